// The HTTP long-poll live channel (GET /api/v1/agents/poll) over a real listening server.
import t from 'tap'
import type { AddressInfo } from 'node:net'
import { buildTestApp, bearer, type TestApp } from '../helpers/test-app.js'
import { createHost } from '../../src/hosts/host-service.js'
import { listAgentJobs } from '../../src/agent/agent-jobs.js'

async function listening(ctx: TestApp): Promise<string> {
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = ctx.app.server.address() as AddressInfo
  return `http://127.0.0.1:${port}`
}

async function agentHost(ctx: TestApp) {
  const { host, apiKey } = await createHost(ctx.store.db, { friendlyName: 'poll-host' })
  return { id: host.id, headers: { 'X-API-ID': host.api_id, 'X-API-KEY': apiKey } }
}

interface Answer {
  status: number
  body: unknown
  ms: number
}

async function poll(base: string, headers: Record<string, string>, wait?: number, signal?: AbortSignal): Promise<Answer> {
  const started = performance.now()
  const res = await fetch(`${base}/api/v1/agents/poll${wait === undefined ? '' : `?wait=${wait}`}`, {
    headers,
    ...(signal ? { signal } : {})
  })
  const text = await res.text()
  return { status: res.status, body: text === '' ? null : JSON.parse(text), ms: performance.now() - started }
}

async function until(check: () => boolean, what: string, limitMs = 3000): Promise<void> {
  for (let i = 0; i < limitMs / 10; i++) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`timed out waiting for ${what}`)
}

t.test('a poll needs agent credentials and answers 204 when nothing happens', async (t) => {
  const ctx = await buildTestApp(t)
  const base = await listening(ctx)
  const host = await agentHost(ctx)
  t.same(await poll(base, {}, 0).then((a) => [a.status, a.body]), [401, { error: 'API credentials required' }])
  t.same(await poll(base, { ...host.headers, 'X-API-KEY': 'f'.repeat(64) }, 0).then((a) => [a.status, a.body]), [
    401,
    { error: 'Invalid API credentials' }
  ])
  t.equal(ctx.app.agentConnections.isConnected(host.id), false)
  const quiet = await poll(base, host.headers, 1)
  t.equal(quiet.status, 204)
  t.ok(quiet.ms >= 900 && quiet.ms < 6000, `held about a second (${Math.round(quiet.ms)} ms)`)
  const bad = await poll(base, host.headers, 31)
  t.equal(bad.status, 400, 'wait is bounded')
})

t.test('report-now and update-agent reach a held poll at once; the host shows connected by poll', async (t) => {
  const ctx = await buildTestApp(t)
  const base = await listening(ctx)
  const host = await agentHost(ctx)
  const connects: string[] = []
  const disconnects: string[] = []
  ctx.app.agentConnections.onConnect((id) => connects.push(id))
  ctx.app.agentConnections.onDisconnect((id) => disconnects.push(id))

  const held = poll(base, host.headers, 20)
  await until(() => ctx.app.agentConnections.isConnected(host.id), 'registration')
  const state = await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}/connection`, headers: bearer(ctx.adminToken) })
  t.match(state.json(), { hostId: host.id, connected: true, connections: 1, transports: ['poll'] })

  const clicked = performance.now()
  const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/hosts/${host.id}/report-now`, headers: bearer(ctx.adminToken) })
  t.equal(res.statusCode, 202)
  const answer = await held
  t.same([answer.status, answer.body], [200, { commands: [{ type: 'report_now' }] }])
  t.ok(performance.now() - clicked < 5000, `delivered within 5 s of the click (${Math.round(performance.now() - clicked)} ms)`)

  // update-agent sends two messages in one push: they leave together, every key intact.
  const next = poll(base, host.headers, 20)
  await new Promise((r) => setTimeout(r, 50))
  const upd = await ctx.app.inject({ method: 'POST', url: `/api/v1/hosts/${host.id}/update-agent`, headers: bearer(ctx.adminToken) })
  t.equal(upd.statusCode, 202)
  const both = await next
  t.equal(both.status, 200)
  t.match(both.body, {
    commands: [
      { type: 'update_agent' },
      { type: 'update_notification', force: true, version: String, message: /requested from the dashboard/ }
    ]
  })

  // Between two polls the host stays connected and a command waits for the next poll.
  t.ok(ctx.app.agentConnections.isConnected(host.id), 'connected between polls')
  const queued = await ctx.app.inject({ method: 'POST', url: `/api/v1/hosts/${host.id}/report-now`, headers: bearer(ctx.adminToken) })
  t.equal(queued.statusCode, 202)
  const pickedUp = await poll(base, host.headers, 20)
  t.same([pickedUp.status, pickedUp.body], [200, { commands: [{ type: 'report_now' }] }])
  t.ok(pickedUp.ms < 5000, 'answered at once, not after the 20 s hold')
  t.same(connects, [host.id], 'one connect over several polls')
  t.same(disconnects, [], 'no disconnect between polls')

  const jobs = await listAgentJobs(ctx.store.db, host.id)
  t.same(
    jobs.map((j) => j.status),
    ['completed', 'completed', 'completed']
  )
})

t.test('one held poll per host: a newer poll answers the older 409, and only one link is counted', async (t) => {
  const ctx = await buildTestApp(t)
  const base = await listening(ctx)
  const host = await agentHost(ctx)
  const first = poll(base, host.headers, 20)
  await until(() => ctx.app.agentConnections.isConnected(host.id), 'registration')
  const second = poll(base, host.headers, 20)
  const older = await first
  t.same([older.status, older.body], [409, { error: 'Replaced by a newer poll' }])
  t.equal(ctx.app.agentConnections.state(host.id).connections, 1)
  ctx.app.agentConnections.send(host.id, { type: 'report_now' })
  t.same((await second).body, { commands: [{ type: 'report_now' }] }, 'the newer poll gets the command')
})

t.test('a hung-up poll loses nothing: the command waits for the next poll', async (t) => {
  const ctx = await buildTestApp(t)
  const base = await listening(ctx)
  const host = await agentHost(ctx)
  const abort = new AbortController()
  const gone = poll(base, host.headers, 20, abort.signal).catch(() => 'aborted')
  await until(() => ctx.app.agentConnections.isConnected(host.id), 'registration')
  abort.abort()
  t.equal(await gone, 'aborted')
  await new Promise((r) => setTimeout(r, 100))
  t.equal(ctx.app.agentConnections.send(host.id, { type: 'report_now' }), 1)
  const next = await poll(base, host.headers, 20)
  t.same(next.body, { commands: [{ type: 'report_now' }] })
})

t.test('a poll channel silent for 90 s is dropped by the keep-alive round', async (t) => {
  const ctx = await buildTestApp(t)
  const base = await listening(ctx)
  const host = await agentHost(ctx)
  let now = 1_000_000
  ctx.app.agentConnections.clock = () => now
  t.equal((await poll(base, host.headers, 0)).status, 204)
  now += 80_000
  await ctx.app.timers.runNow('agent-websocket-keepalive')
  t.ok(ctx.app.agentConnections.isConnected(host.id), 'still connected 80 s after the last poll')
  now += 10_001
  await ctx.app.timers.runNow('agent-websocket-keepalive')
  t.notOk(ctx.app.agentConnections.isConnected(host.id), 'dropped after 90 s of silence')
  const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/hosts/${host.id}/report-now`, headers: bearer(ctx.adminToken) })
  t.equal(res.statusCode, 409)
  t.equal((await poll(base, host.headers, 0)).status, 204, 'the agent can come back')
  t.ok(ctx.app.agentConnections.isConnected(host.id))
})

t.test('regenerated credentials end the held poll; the old key is refused', async (t) => {
  const ctx = await buildTestApp(t)
  const base = await listening(ctx)
  const host = await agentHost(ctx)
  const held = poll(base, host.headers, 20)
  await until(() => ctx.app.agentConnections.isConnected(host.id), 'registration')
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/hosts/${host.id}/regenerate-credentials`,
    headers: bearer(ctx.adminToken)
  })
  t.equal(res.statusCode, 200)
  const ended = await held
  t.equal(ended.status, 204)
  t.ok(ended.ms < 15_000, 'answered when the credentials changed, not after the 20 s hold')
  t.notOk(ctx.app.agentConnections.isConnected(host.id))
  t.equal((await poll(base, host.headers, 0)).status, 401)
})

t.test('closing the server answers held polls 503 at once instead of waiting out the hold', async (t) => {
  const ctx = await buildTestApp(t)
  const base = await listening(ctx)
  const host = await agentHost(ctx)
  const held = poll(base, host.headers, 30)
  await until(() => ctx.app.agentConnections.isConnected(host.id), 'registration')
  const started = performance.now()
  await ctx.app.close()
  const closeMs = performance.now() - started
  const ended = await held
  t.same([ended.status, ended.body], [503, { error: 'Server is shutting down' }])
  t.ok(closeMs < 5000, `server closed in ${Math.round(closeMs)} ms, not after the 30 s hold`)
})

t.test('50 concurrent polls from one key: 49 are answered 409, one stays held, one link is counted', async (t) => {
  const ctx = await buildTestApp(t)
  const base = await listening(ctx)
  const host = await agentHost(ctx)
  t.equal((await poll(base, host.headers, 0)).status, 204, 'credentials verified once (cached after)')
  const answers: Answer[] = []
  const polls = Array.from({ length: 50 }, () => poll(base, host.headers, 25).then((a) => answers.push(a)))
  await until(() => answers.length === 49, '49 replaced polls', 20_000)
  t.ok(
    answers.every((a) => a.status === 409),
    'every replaced poll got 409'
  )
  t.equal(ctx.app.agentConnections.state(host.id).connections, 1)
  t.equal(ctx.app.agentConnections.send(host.id, { type: 'report_now' }), 1)
  await Promise.all(polls)
  t.same(answers.at(-1)?.body, { commands: [{ type: 'report_now' }] }, 'the held one gets the command')
})
