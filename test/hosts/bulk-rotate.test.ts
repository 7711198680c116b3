// Rotating credentials in bulk: the preview warns which hosts will be cut off (no agent can receive a
// new key), the new keys are shown once in the reply and never stored or logged in plain text, and
// the real agent endpoint refuses the old key and accepts the new one.
import t from 'tap'
import { beyondApp, standInAgent, until } from '../patching/beyond-helpers.js'
import { agentHeaders } from '../helpers/agent-fixtures.js'
import { fleetHost, preview, run } from './bulk-helpers.js'
import { ERROR_MESSAGES } from '../../src/http/error-messages.js'

const E = ERROR_MESSAGES.hostBulk

t.test('rotation: the preview names who is cut off, the keys are shown once, the old key is refused', async (t) => {
  const ctx = await beyondApp(t)
  const running = await fleetHost(ctx, 'running-1')
  const pending = await fleetHost(ctx, 'pending-1', [], null)
  const agent = await standInAgent(ctx, running)
  const body = { action: 'rotate_credentials', host_ids: [running.id, pending.id] }

  const seen = await preview(ctx, body)
  t.equal(seen.status, 200)
  t.equal(seen.body.summary, 'Issue new API credentials for 2 hosts: running-1, pending-1; their current keys stop working at once')
  t.same(
    seen.body.hosts.map((h: { outcome: string; warning: string | null }) => [h.outcome, h.warning]),
    [
      ['apply', E.keyNotDelivered.message],
      ['apply', null]
    ],
    'only the host with a running agent is cut off'
  )
  t.match(seen.body.warnings, [/^1 host has a running agent that cannot receive its new key/])
  t.notOk(/[0-9a-f]{64}/.test(JSON.stringify(seen.body)), 'the preview carries no key')

  const done = await run(ctx, body)
  t.equal(done.status, 200)
  t.match(done.body, { succeeded: 2, failed: 0 })
  t.match(done.body.results[0], { status: 'succeeded', warning: E.keyNotDelivered.message })
  const keys = done.body.credentials as Array<{ host_id: string; friendly_name: string; api_id: string; api_key: string }>
  t.same(
    keys.map((k) => k.host_id),
    [running.id, pending.id]
  )
  t.ok(
    keys.every((k) => /^[0-9a-f]{64}$/.test(k.api_key) && k.api_id !== running.apiId && k.api_id !== pending.apiId),
    'new pairs'
  )

  // The open agent link made with the old key is closed; the old key is refused on the real agent endpoint.
  await until(() => !ctx.app.agentConnections.isConnected(running.id), 'old link closed')
  agent.close()
  const ping = (apiId: string, apiKey: string) =>
    ctx.app.inject({ method: 'POST', url: '/api/v1/hosts/ping', headers: agentHeaders({ apiId, apiKey }), payload: '' })
  const old = await ping(running.apiId, running.apiKey)
  t.equal(old.statusCode, 401)
  t.same(old.json(), { error: 'Invalid API credentials' })
  const renewed = await ping(keys[0]!.api_id, keys[0]!.api_key)
  t.equal(renewed.statusCode, 200, 'the new key works')

  // Never stored or logged in plain text (the test app's secrets audit also fails the file if a key
  // shows up in a log line or in any later reply).
  const stored =
    JSON.stringify(ctx.store.sqlite.prepare('SELECT * FROM hosts').all()) +
    JSON.stringify(ctx.store.sqlite.prepare('SELECT * FROM audit_log').all())
  for (const k of keys) t.notOk(stored.includes(k.api_key), `${k.friendly_name}'s key is not in the database`)
  t.notOk(
    ctx.logs.some((line) => keys.some((k) => line.includes(k.api_key))),
    'no key in the log'
  )
  const again = await ctx.api('GET', `/api/v1/hosts/${running.id}`)
  t.notOk(JSON.stringify(again.body).includes(keys[0]!.api_key), 'the host page does not show it again')
})
