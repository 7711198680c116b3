// "Patch after backup": a schedule with require_pre_patch_hook only launches for an agent that can
// report the hook; the frame says so; a `started` without a passing hook fails the run and the agent
// is told to stop; a passing hook lets the run go on and shows in the run detail.
process.env.TZ = 'UTC'
import t from 'tap'
import { agentHeaders } from '../helpers/agent-fixtures.js'
import { SCHEDULE_TIMER } from '../../src/patching/patching-beyond-plugin.js'
import { beyondApp, pkg, reportedHost, shellAgentPoll, standInAgent, until, type BeyondApp } from './beyond-helpers.js'
import type { TestHost } from '../helpers/agent-fixtures.js'

const stage = (ctx: BeyondApp, host: TestHost, runId: string, body: Record<string, unknown>) =>
  ctx.app.inject({
    method: 'POST',
    url: `/api/v1/patching/runs/${runId}/output`,
    headers: agentHeaders(host),
    payload: JSON.stringify(body)
  })
const runRow = (ctx: BeyondApp, id: string) =>
  ctx.store.sqlite.prepare('select status, error_message, pre_patch_hook from patch_runs where id = ?').get(id) as {
    status: string
    error_message: string | null
    pre_patch_hook: string | null
  }

t.test('a stock agent cannot satisfy require_pre_patch_hook: the schedule skips it with the reason', async (t) => {
  const ctx = await beyondApp(t)
  const host = await reportedHost(ctx, 'stock01', [pkg('curl')])
  const agent = await standInAgent(ctx, host)
  ctx.setNow('2026-06-01T02:00:00Z')
  const s = await ctx.api('POST', '/api/v1/patching/schedules', {
    name: 'after backup',
    target_type: 'host',
    target_id: host.id,
    cron: '0 3 * * *',
    scope: 'all',
    require_pre_patch_hook: true
  })
  t.equal(s.body.require_pre_patch_hook, true)
  ctx.setNow('2026-06-01T03:00:10Z')
  await ctx.app.timers.runNow(SCHEDULE_TIMER)
  const row = (await ctx.api('GET', `/api/v1/patching/schedules/${s.body.id}`)).body
  t.match(
    row.last_result,
    /launched 0 of 1 hosts; skipped stock01: This run requires a pre-patch hook, which this host's agent cannot report/
  )
  t.same(agent.frames, [])
  agent.close()
})

t.test('the shell agent: no hook reported fails the run and stops it; a passing hook lets it run', async (t) => {
  const ctx = await beyondApp(t)
  const host = await reportedHost(ctx, 'shell01', [pkg('curl')])
  ctx.setNow('2026-06-01T02:00:00Z')
  await ctx.api('POST', '/api/v1/patching/schedules', {
    name: 'after backup',
    target_type: 'host',
    target_id: host.id,
    cron: '0 3 * * *',
    scope: 'all',
    require_pre_patch_hook: true
  })

  let poll = await shellAgentPoll(ctx, host)
  ctx.setNow('2026-06-01T03:00:10Z')
  await ctx.app.timers.runNow(SCHEDULE_TIMER)
  const [frame] = await poll.commands
  t.match(frame, { type: 'run_patch', patch_type: 'patch_all', require_pre_patch_hook: true })
  const first = frame?.patch_run_id as string
  poll = await shellAgentPoll(ctx, host)
  t.equal((await stage(ctx, host, first, { stage: 'started' })).statusCode, 200)
  await until(() => runRow(ctx, first).status === 'failed', 'run failed')
  t.equal(runRow(ctx, first).error_message, 'pre-patch hook required, but the agent reported none')
  t.same(await poll.commands, [{ type: 'patch_run_stop', patch_run_id: first }], 'the agent is told to stop')

  poll = await shellAgentPoll(ctx, host)
  ctx.setNow('2026-06-02T03:00:10Z')
  await ctx.app.timers.runNow(SCHEDULE_TIMER)
  const second = (await poll.commands)[0]?.patch_run_id as string
  t.ok(second)
  await stage(ctx, host, second, { stage: 'started', pre_patch_hook: { exit_code: 0, output: 'backup ok\n' } })
  t.equal(runRow(ctx, second).status, 'running', 'a passing hook lets the run go on')
  await stage(ctx, host, second, { stage: 'completed', output: 'done\n' })
  const detail = (await ctx.api('GET', `/api/v1/patching/runs/${second}`)).body
  t.match(detail, { status: 'completed', pre_patch_hook: { exit_code: 0, output: 'backup ok\n' }, options: { requirePrePatchHook: true } })
})
