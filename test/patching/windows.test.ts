// The maintenance-window guard: a run asked for outside every window of the host (or its groups) is
// refused with the window named and the next opening; inside it goes out; a scheduled run is held
// until the window opens; a run still waiting when its window closes fails instead of starting.
process.env.TZ = 'UTC'
import t from 'tap'
import { SCHEDULE_TIMER } from '../../src/patching/patching-beyond-plugin.js'
import { DISPATCH_TIMER } from '../../src/patching/runs/run-dispatcher.js'
import { beyondApp, hostGroup, pkg, reportedHost, standInAgent, until } from './beyond-helpers.js'

// 2026-06-06 is a Saturday. The window: Saturdays 22:00 for 4 hours.
const WINDOW = { name: 'Saturday night', frequency: 'weekly', days: [6], time: '22:00', duration_minutes: 240 }

t.test('a run outside the window is refused with the next opening; inside it is sent', async (t) => {
  const ctx = await beyondApp(t)
  const group = await hostGroup(ctx, 'prod')
  const host = await reportedHost(ctx, 'prod01', [pkg('curl')], [group])
  const w = await ctx.api('POST', '/api/v1/patching/windows', { ...WINDOW, target_type: 'host_group', target_id: group })
  t.equal(w.status, 201, w.body?.error)
  t.match(w.body, { cron: '0 22 * * 6', duration_minutes: 240 })

  ctx.setNow('2026-06-01T10:00:00Z')
  const refused = await ctx.api('POST', '/api/v1/patching/trigger', { host_id: host.id, patch_type: 'patch_all' })
  t.equal(refused.status, 409)
  t.same(refused.body, {
    error: 'Outside the maintenance window of this host',
    message: 'Next opening: "Saturday night" at 2026-06-06T22:00:00.000Z (240 minutes)'
  })
  const state = await ctx.api('GET', `/api/v1/patching/hosts/${host.id}/window`)
  t.match(state.body, {
    has_windows: true,
    open_now: false,
    current: null,
    next: { name: 'Saturday night', opens_at: '2026-06-06T22:00:00.000Z' }
  })
  t.equal(
    (
      await ctx.api('POST', '/api/v1/patching/trigger', {
        host_id: host.id,
        patch_type: 'patch_package',
        package_names: ['curl'],
        dry_run: true
      })
    ).status,
    200,
    'a dry run installs nothing and may run outside'
  )

  const agent = await standInAgent(ctx, host)
  await until(() => agent.frames.length === 1, 'dry-run frame')
  await agent.stage(agent.frames[0]!.patch_run_id, 'started')
  await agent.stage(agent.frames[0]!.patch_run_id, 'dry_run_completed')
  ctx.setNow('2026-06-07T01:59:00Z')
  const inside = await ctx.api('POST', '/api/v1/patching/trigger', { host_id: host.id, patch_type: 'patch_all' })
  t.equal(inside.status, 200, inside.body?.error)
  await until(() => agent.frames.length === 2, 'run frame inside the window')
  t.equal(agent.frames[1]?.patch_run_id, inside.body.patch_run_id)
  agent.close()
})

t.test('a scheduled run outside its window waits for the opening; one still waiting at the close fails', async (t) => {
  const ctx = await beyondApp(t)
  const host = await reportedHost(ctx, 'night01', [pkg('curl')])
  await ctx.api('POST', '/api/v1/patching/windows', { ...WINDOW, target_type: 'host', target_id: host.id })
  ctx.setNow('2026-06-01T02:00:00Z')
  const s = await ctx.api('POST', '/api/v1/patching/schedules', {
    name: 'Monday 03:00',
    target_type: 'host',
    target_id: host.id,
    cron: '0 3 * * 1',
    scope: 'all'
  })
  t.equal(s.status, 201)
  ctx.setNow('2026-06-01T03:00:30Z')
  await ctx.app.timers.runNow(SCHEDULE_TIMER)
  const run = ctx.store.sqlite.prepare('select id, status, run_at from patch_runs where host_id = ?').get(host.id) as {
    id: string
    status: string
    run_at: string
  }
  t.match(run, { status: 'queued', run_at: '2026-06-06T22:00:00.000Z' }, 'held until the window opens')

  // The agent is away the whole window: when it connects after the close, the run fails, unsent.
  ctx.setNow('2026-06-07T02:30:00Z')
  const agent = await standInAgent(ctx, host)
  await ctx.app.timers.runNow(DISPATCH_TIMER)
  await until(
    () => (ctx.store.sqlite.prepare('select status from patch_runs where id = ?').get(run.id) as { status: string }).status === 'failed',
    'failed'
  )
  t.same(agent.frames, [], 'nothing was sent')
  const failed = ctx.store.sqlite.prepare('select error_message from patch_runs where id = ?').get(run.id) as { error_message: string }
  t.match(failed.error_message, /^Not started: the maintenance window "Saturday night" closed at 2026-06-07T02:00:00.000Z/)
  agent.close()
})

t.test('windows are validated and removable, changes audited', async (t) => {
  const ctx = await beyondApp(t)
  const host = await reportedHost(ctx, 'w01', [pkg('curl')])
  t.same(
    (await ctx.api('POST', '/api/v1/patching/windows', { ...WINDOW, target_type: 'host', target_id: host.id, duration_minutes: 1 })).body,
    {
      error: 'duration_minutes must be an integer between 5 and 10080'
    }
  )
  t.equal(
    (
      await ctx.api('POST', '/api/v1/patching/windows', {
        name: 'x',
        target_type: 'host',
        target_id: host.id,
        cron: 'nonsense',
        duration_minutes: 60
      })
    ).status,
    400
  )
  const w = await ctx.api('POST', '/api/v1/patching/windows', { ...WINDOW, target_type: 'host', target_id: host.id })
  t.equal((await ctx.api('DELETE', `/api/v1/patching/windows/${w.body.id}`)).status, 204)
  t.equal((await ctx.api('DELETE', `/api/v1/patching/windows/${w.body.id}`)).status, 404)
  const actions = ctx.store.sqlite.prepare("select action from patch_audit where action like 'window_%' order by rowid").all()
  t.same(actions, [{ action: 'window_added' }, { action: 'window_removed' }])
})
