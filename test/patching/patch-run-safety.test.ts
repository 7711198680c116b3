// No stuck runs (issue 17 item 2, facts §9): names checked with the agent's rule, old agents refused,
// unacknowledged dispatches fail, disconnects and late reports settle correctly, one run at a time
// per host, the stall sweep, the output cap. Time is driven through the patching clock, never waited.
import t from 'tap'
import { bearer } from '../helpers/test-app.js'
import { DISPATCH_TIMER } from '../../src/patching/runs/run-dispatcher.js'
import { advanceClock, patchingSetup, runOf, statusOf, trigger, until } from './patching-fixtures.js'

t.test('trigger validation answers upstream 400s, and names follow the agent rule', async (t) => {
  const { ctx, host, agent } = await patchingSetup(t)
  const cases: Array<[Record<string, unknown>, number, string]> = [
    [{ patch_type: 'patch_all' }, 400, 'Valid host_id is required'],
    [{ host_id: 'nope', patch_type: 'patch_all' }, 400, 'Valid host_id is required'],
    [{ host_id: host.id, patch_type: 'dist_upgrade' }, 400, 'patch_type must be patch_all or patch_package'],
    [{ host_id: host.id, patch_type: 'patch_all', dry_run: true }, 400, 'dry_run is only supported for patch_package'],
    [
      { host_id: host.id, patch_type: 'patch_package', package_name: 'curl', dry_run: true, pending_approval: true },
      400,
      'dry_run and pending_approval are mutually exclusive'
    ],
    [{ host_id: host.id, patch_type: 'patch_package' }, 400, 'Valid package_name or non-empty package_names is required for patch_package'],
    // `/` and `;` pass upstream's server regex (a character range) but the agent drops them.
    [
      { host_id: host.id, patch_type: 'patch_package', package_names: ['curl', 'a/b'] },
      400,
      'Every package_names entry must be a valid package name'
    ],
    [
      { host_id: host.id, patch_type: 'patch_package', package_name: 'x;reboot' },
      400,
      'Every package_names entry must be a valid package name'
    ],
    [
      { host_id: host.id, patch_type: 'patch_package', package_names: ['-rf'] },
      400,
      'Every package_names entry must be a valid package name'
    ],
    [
      { host_id: host.id, patch_type: 'patch_package', package_names: ['a'.repeat(257)] },
      400,
      'Every package_names entry must be a valid package name'
    ],
    [
      { host_id: host.id, patch_type: 'patch_package', package_names: Array.from({ length: 101 }, (_, i) => `p${i}`) },
      400,
      'package_names limited to 100 packages per run'
    ],
    [{ host_id: '00000000-0000-4000-8000-000000000000', patch_type: 'patch_all' }, 404, 'Host not found']
  ]
  for (const [payload, status, error] of cases) {
    const res = await trigger(ctx, payload)
    t.same([res.statusCode, res.json()], [status, { error }], JSON.stringify(payload).slice(0, 80))
  }
  const ok = await trigger(ctx, { host_id: host.id, patch_type: 'patch_package', package_names: ['libstdc++6', 'python3.11', 'g++-12'] })
  t.equal(ok.statusCode, 200, 'names with + . - are fine')
  t.equal(agent.framesOf('run_patch').length <= 1, true)
})

t.test('an agent older than 2.0 is refused with its version; our shell agent with run_patch on its poll is accepted', async (t) => {
  const { ctx, host, port } = await patchingSetup(t, { agentVersion: '1.4.2' })
  const refused = await trigger(ctx, { host_id: host.id, patch_type: 'patch_all' })
  t.equal(refused.statusCode, 409)
  const body = refused.json() as { error: string; message: string }
  t.equal(body.error, 'Agent cannot run patches')
  t.match(body.message, /reports version 1\.4\.2; patch runs need agent 2\.0\.0 or later/)

  const headers = {
    'X-API-ID': host.apiId,
    'X-API-KEY': host.apiKey,
    'X-PatchMon-Capabilities': 'run_patch,patch_run_stop,reboot_host,pre_patch_hook'
  }
  const first = await fetch(`http://127.0.0.1:${port}/api/v1/agents/poll?wait=0`, { headers })
  t.equal(first.status, 204)
  t.same([...ctx.app.agentConnections.capabilities(host.id)].sort(), ['patch_run_stop', 'pre_patch_hook', 'reboot_host', 'run_patch'])
  const accepted = await trigger(ctx, { host_id: host.id, patch_type: 'patch_package', package_name: 'curl' })
  t.equal(accepted.statusCode, 200)
  const id = (accepted.json() as { patch_run_id: string }).patch_run_id
  const poll = await fetch(`http://127.0.0.1:${port}/api/v1/agents/poll?wait=5`, { headers })
  t.equal(poll.status, 200)
  const commands = ((await poll.json()) as { commands: Array<Record<string, unknown>> }).commands.filter((c) => c.type === 'run_patch')
  t.same(commands, [{ type: 'run_patch', patch_run_id: id, patch_type: 'patch_package', dry_run: false, package_names: ['curl'] }])
})

t.test('a dispatched run the agent never acknowledges fails after 3 minutes, naming the cause', async (t) => {
  const { ctx, host, agent } = await patchingSetup(t)
  const failed: string[] = []
  ctx.app.events.on('patch_run_failed', (p) => void failed.push(p.errorMessage ?? ''))
  const id = ((await trigger(ctx, { host_id: host.id, patch_type: 'patch_all' })).json() as { patch_run_id: string }).patch_run_id
  await agent.waitFrame('run_patch', id)
  advanceClock(ctx, 170_000)
  await ctx.app.timers.runNow(DISPATCH_TIMER)
  t.equal(await statusOf(ctx, id), 'queued', 'still waiting before the limit')
  advanceClock(ctx, 11_000)
  await ctx.app.timers.runNow(DISPATCH_TIMER)
  const run = await runOf(ctx, id)
  t.equal(run.status, 'failed')
  t.equal(run.error_message, 'agent did not acknowledge the patch run within 3 minutes (agent older than 2.0, or not listening)')
  t.same(failed, [run.error_message])
})

t.test('agent disconnect mid-run → agent_disconnected (after a grace period); its late completion still settles the run', async (t) => {
  const { ctx, host, agent } = await patchingSetup(t)
  const id = ((await trigger(ctx, { host_id: host.id, patch_type: 'patch_all' })).json() as { patch_run_id: string }).patch_run_id
  await agent.waitFrame('run_patch', id)
  await agent.post(id, { stage: 'started' })
  // A reconnect within the grace period keeps the run running.
  ctx.app.patchRunDispatcher.disconnectGraceMs = 200
  await agent.disconnect()
  await agent.connect()
  await new Promise((r) => setTimeout(r, 400))
  t.equal(await statusOf(ctx, id), 'running', 'a quick reconnect is not a disconnect')
  await agent.disconnect()
  await until(async () => (await statusOf(ctx, id)) === 'agent_disconnected', 'agent_disconnected')
  t.equal((await runOf(ctx, id)).error_message, 'Agent disconnected during patch run')
  // The agent kept patching (its own goroutine and HTTP client) and reports when done.
  t.same(await agent.post(id, { stage: 'completed', output: 'Setting up curl (8.5.0-2) ...\n' }), { status: 200, body: { ok: true } })
  const run = await runOf(ctx, id)
  t.same([run.status, run.error_message], ['completed', null])
})

t.test('two runs on one host serialise: the second is sent when the first settles', async (t) => {
  const { ctx, host, agent } = await patchingSetup(t)
  const a = (
    (await trigger(ctx, { host_id: host.id, patch_type: 'patch_package', package_name: 'curl' })).json() as { patch_run_id: string }
  ).patch_run_id
  const b = (
    (await trigger(ctx, { host_id: host.id, patch_type: 'patch_package', package_name: 'vim' })).json() as { patch_run_id: string }
  ).patch_run_id
  await agent.waitFrame('run_patch', a)
  await agent.post(a, { stage: 'started' })
  await ctx.app.timers.runNow(DISPATCH_TIMER)
  t.equal(agent.framesOf('run_patch', b).length, 0, 'nothing sent for the second run while the first runs')
  t.equal(await statusOf(ctx, b), 'queued')
  await agent.post(a, { stage: 'failed', output: '', error_message: 'apt-get upgrade failed: exit status 100' })
  await agent.waitFrame('run_patch', b)
  t.same(
    agent.frames.filter((f) => f.type === 'run_patch').map((f) => f.patch_run_id),
    [a, b]
  )
})

t.test('the stall sweep times out a silent running run (setting, floor 5); a late report still settles it', async (t) => {
  const { ctx, host, agent } = await patchingSetup(t)
  const put = (minutes: number) =>
    ctx.app.inject({
      method: 'PUT',
      url: '/api/v1/settings',
      headers: bearer(ctx.adminToken),
      payload: { patch_run_stall_timeout_minutes: minutes }
    })
  const low = await put(2)
  t.same(
    [low.statusCode, low.json()],
    [
      400,
      {
        errors: [
          {
            msg: 'Patch run stall timeout must be an integer between 5 and 10080 minutes',
            param: 'patch_run_stall_timeout_minutes',
            location: 'body'
          }
        ]
      }
    ]
  )
  t.equal((await put(45)).json().patch_run_stall_timeout_minutes, 45, 'the dashboard setting is saved')
  // A value stored below the floor (an older install, a hand edit) still counts as 5.
  await ctx.app.settings.set('patch_run_stall_timeout_minutes', 2)
  const id = ((await trigger(ctx, { host_id: host.id, patch_type: 'patch_all' })).json() as { patch_run_id: string }).patch_run_id
  await agent.waitFrame('run_patch', id)
  await agent.post(id, { stage: 'started' })
  advanceClock(ctx, 4 * 60_000)
  await ctx.app.timers.runNow(DISPATCH_TIMER)
  t.equal(await statusOf(ctx, id), 'running', 'a setting below 5 minutes counts as 5')
  advanceClock(ctx, 2 * 60_000)
  await ctx.app.timers.runNow(DISPATCH_TIMER)
  const run = await runOf(ctx, id)
  t.same([run.status, run.error_message], ['timed_out', 'Marked as timed_out after 5 minutes with no progress from the agent'])
  await agent.post(id, { stage: 'completed', output: 'done\n' })
  t.equal(await statusOf(ctx, id), 'completed')
})

t.test('output is capped: the tail is kept and the run is marked truncated', async (t) => {
  const { ctx, host, agent } = await patchingSetup(t, { env: { PATCHMON_PATCH_OUTPUT_CAP_BYTES: '4096' } })
  const id = ((await trigger(ctx, { host_id: host.id, patch_type: 'patch_all' })).json() as { patch_run_id: string }).patch_run_id
  await agent.waitFrame('run_patch', id)
  await agent.post(id, { stage: 'started' })
  await agent.post(id, { stage: 'progress', output: 'a'.repeat(3000) })
  t.equal((await runOf(ctx, id)).output_truncated, false)
  await agent.post(id, { stage: 'progress', output: 'b'.repeat(3000) })
  let run = await runOf(ctx, id)
  t.equal((run.shell_output as string).length, 4096)
  t.ok((run.shell_output as string).endsWith('b'.repeat(3000)), 'the newest output is kept')
  t.equal(run.output_truncated, true)
  await agent.post(id, { stage: 'completed', output: 'x'.repeat(5000) + 'END' })
  run = await runOf(ctx, id)
  t.same([(run.shell_output as string).length, (run.shell_output as string).endsWith('END'), run.output_truncated], [4096, true, true])
})

t.test('a report for another host’s run is 403; an unknown run 404', async (t) => {
  const { ctx, host, agent } = await patchingSetup(t)
  const id = (
    (await trigger(ctx, { host_id: host.id, patch_type: 'patch_all', pending_approval: true })).json() as { patch_run_id: string }
  ).patch_run_id
  const other = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/hosts',
    headers: bearer(ctx.adminToken),
    payload: { friendly_name: 'other' }
  })
  const creds = other.json() as { api_id: string; api_key: string }
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/patching/runs/${id}/output`,
    headers: { 'X-API-ID': creds.api_id, 'X-API-KEY': creds.api_key },
    payload: { stage: 'started' }
  })
  t.same([res.statusCode, res.json()], [403, { error: 'Patch run does not belong to this host' }])
  t.same(await agent.post('00000000-0000-4000-8000-000000000000', { stage: 'started' }), {
    status: 404,
    body: { error: 'Patch run not found' }
  })
  t.same(await agent.post('bogus', { stage: 'started' }), { status: 400, body: { error: 'Invalid patch run ID' } })
})

t.test('a host whose agent is offline: the run waits (agent_connected false) and is sent when the agent connects', async (t) => {
  const { ctx, host, agent } = await patchingSetup(t)
  await agent.disconnect()
  const res = (await trigger(ctx, { host_id: host.id, patch_type: 'patch_all' })).json() as {
    patch_run_id: string
    agent_connected: boolean
    message: string
  }
  t.same([res.message, res.agent_connected], ['Patch queued', false])
  advanceClock(ctx, 10 * 60_000)
  await ctx.app.timers.runNow(DISPATCH_TIMER)
  t.equal(await statusOf(ctx, res.patch_run_id), 'queued', 'an undelivered run does not time out')
  await agent.connect()
  await agent.waitFrame('run_patch', res.patch_run_id)
})
