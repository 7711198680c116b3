// Reboots: the action goes out as a reboot_host frame only to an agent that announced the
// reboot_host capability (our shell agent on the poll channel); a stock agent gets 409 saying why;
// an exempt host never gets a reboot frame, and a patch run asking to reboot afterwards says so.
process.env.TZ = 'UTC'
import t from 'tap'
import { SCHEDULE_TIMER } from '../../src/patching/patching-beyond-plugin.js'
import { DISPATCH_TIMER } from '../../src/patching/runs/run-dispatcher.js'
import { agentHeaders } from '../helpers/agent-fixtures.js'
import { beyondApp, pkg, reportedHost, shellAgentPoll, standInAgent } from './beyond-helpers.js'

t.test('the reboot action reaches a capable agent as reboot_host; a stock agent gets 409', async (t) => {
  const ctx = await beyondApp(t)
  const shell = await reportedHost(ctx, 'shell01', [pkg('curl')])
  const { commands } = await shellAgentPoll(ctx, shell)
  const res = await ctx.api('POST', '/api/v1/patching/reboots', { host_id: shell.id })
  t.equal(res.status, 200, res.body?.error)
  t.equal(res.body.message, 'Reboot queued')
  t.same(await commands, [{ type: 'reboot_host', patch_run_id: res.body.patch_run_id, delay_seconds: 60 }])
  t.match(ctx.store.sqlite.prepare('select patch_type, trigger_source from patch_runs where id = ?').get(res.body.patch_run_id), {
    patch_type: 'reboot',
    trigger_source: 'user'
  })

  const stock = await reportedHost(ctx, 'stock01', [pkg('curl')])
  const agent = await standInAgent(ctx, stock)
  const refused = await ctx.api('POST', '/api/v1/patching/reboots', { host_id: stock.id })
  t.equal(refused.status, 409)
  t.equal(refused.body.error, 'Agent cannot reboot this host')
  t.same(agent.frames, [], 'no frame to the stock agent')
  agent.close()
})

t.test('an exempt host never gets a reboot frame; a run asking for one says so', async (t) => {
  const ctx = await beyondApp(t)
  const host = await reportedHost(ctx, 'db-primary', [pkg('curl')])
  const viewer = await ctx.api('GET', '/api/v1/patching/reboot-exemptions')
  t.same(viewer.body, { exemptions: [] })
  const put = await ctx.api('PUT', `/api/v1/patching/reboot-exemptions/${host.id}`, { reason: 'primary database' })
  t.match(put.body, { host_id: host.id, reason: 'primary database' })
  t.equal((await ctx.api('PUT', '/api/v1/patching/reboot-exemptions/missing', {})).status, 404)

  const { commands } = await shellAgentPoll(ctx, host)
  const refused = await ctx.api('POST', '/api/v1/patching/reboots', { host_id: host.id })
  t.same(refused, { status: 409, body: { error: 'This host is exempt from reboots', message: 'Reason: primary database' } })

  // A schedule asking for "reboot after" still patches, without the reboot, and the run says why.
  ctx.setNow('2026-06-01T02:00:00Z')
  await ctx.api('POST', '/api/v1/patching/schedules', {
    name: 'n',
    target_type: 'host',
    target_id: host.id,
    cron: '0 3 * * *',
    scope: 'all',
    reboot: 'after'
  })
  ctx.setNow('2026-06-01T03:00:10Z')
  await ctx.app.timers.runNow(SCHEDULE_TIMER)
  const [frame] = await commands
  t.match(frame, { type: 'run_patch', patch_type: 'patch_all', reboot: 'never' })
  const run = (await ctx.api('GET', `/api/v1/patching/runs/${frame?.patch_run_id as string}`)).body
  t.match(run.options, { reboot: 'never', rebootSkipped: 'reboot skipped: this host is exempt from reboots' })

  t.equal((await ctx.api('DELETE', `/api/v1/patching/reboot-exemptions/${host.id}`)).status, 204)
  t.equal((await ctx.api('DELETE', `/api/v1/patching/reboot-exemptions/${host.id}`)).status, 404)
  const actions = ctx.store.sqlite.prepare("select action from patch_audit where action like 'reboot_%' order by rowid").all()
  t.same(actions, [{ action: 'reboot_exempt' }, { action: 'reboot_unexempt' }])
})

t.test('reboot at window end: the schedule patches, then a reboot run goes out when the window closes', async (t) => {
  const ctx = await beyondApp(t)
  const host = await reportedHost(ctx, 'kiosk01', [pkg('curl')])
  await ctx.api('POST', '/api/v1/patching/windows', {
    name: 'night',
    target_type: 'host',
    target_id: host.id,
    cron: '0 1 * * *',
    duration_minutes: 120
  })
  ctx.setNow('2026-06-01T00:00:00Z')
  await ctx.api('POST', '/api/v1/patching/schedules', {
    name: 'n',
    target_type: 'host',
    target_id: host.id,
    cron: '0 2 * * *',
    scope: 'all',
    reboot: 'window_end'
  })

  let poll = await shellAgentPoll(ctx, host)
  ctx.setNow('2026-06-01T02:00:10Z')
  await ctx.app.timers.runNow(SCHEDULE_TIMER)
  const [frame] = await poll.commands
  t.match(frame, { type: 'run_patch', patch_type: 'patch_all', reboot: 'never' })
  const reboot = ctx.store.sqlite.prepare("select id, status, run_at from patch_runs where patch_type = 'reboot'").get() as {
    id: string
    status: string
    run_at: string
  }
  t.match(reboot, { status: 'queued', run_at: '2026-06-01T03:00:00.000Z' }, 'due when the window closes')

  poll = await shellAgentPoll(ctx, host)
  const runId = frame?.patch_run_id as string
  await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/patching/runs/${runId}/output`,
    headers: agentHeaders(host),
    payload: { stage: 'started' }
  })
  await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/patching/runs/${runId}/output`,
    headers: agentHeaders(host),
    payload: { stage: 'completed', output: 'ok' }
  })
  ctx.setNow('2026-06-01T03:00:00Z')
  await ctx.app.timers.runNow(DISPATCH_TIMER)
  t.same(await poll.commands, [{ type: 'reboot_host', patch_run_id: reboot.id, delay_seconds: 60 }])
})
