// Recurring schedules driven by an injected clock (no real waits): the picker and cron forms, the
// server time zone across both DST changes, the notice event, a fired slot reaching the stand-in
// agent, and a restart that re-arms slots (a missed one within the grace runs once, an older one is
// skipped with its reason).
process.env.TZ = 'Europe/Berlin'
import t from 'tap'
import { SCHEDULE_TIMER } from '../../src/patching/patching-beyond-plugin.js'
import { beyondApp, pkg, reportedHost, standInAgent, until, type BeyondApp } from './beyond-helpers.js'

const tick = (ctx: BeyondApp) => ctx.app.timers.runNow(SCHEDULE_TIMER)
const runsOf = (ctx: BeyondApp, hostId: string) =>
  ctx.store.sqlite
    .prepare(
      'select id, patch_type, package_names, trigger_source, schedule_id, options from patch_runs where host_id = ? order by created_at'
    )
    .all(hostId) as Array<{
    id: string
    patch_type: string
    package_names: string | null
    trigger_source: string
    schedule_id: string
    options: string | null
  }>

t.test('a daily 02:30 schedule in Europe/Berlin fires at the right instants across spring-forward and fall-back', async (t) => {
  const ctx = await beyondApp(t)
  const host = await reportedHost(ctx, 'berlin01', [pkg('openssl', true)])
  ctx.setNow('2026-03-28T12:00:00Z')
  const created = await ctx.api('POST', '/api/v1/patching/schedules', {
    name: 'Nightly',
    target_type: 'host',
    target_id: host.id,
    frequency: 'daily',
    time: '02:30',
    scope: 'all'
  })
  t.equal(created.status, 201, created.body?.error)
  t.match(created.body, { cron: '30 2 * * *', timezone: 'Europe/Berlin', scope: 'all', reboot: 'never', enabled: true })
  // 02:30 does not exist on 2026-03-29 (02:00 CET -> 03:00 CEST): the first minute after the gap.
  t.equal(created.body.next_run_at, '2026-03-29T01:00:00.000Z')

  ctx.setNow('2026-03-29T01:00:10Z')
  await tick(ctx)
  t.equal(runsOf(ctx, host.id).length, 1, 'fired once on the spring-forward day')
  let row = (await ctx.api('GET', `/api/v1/patching/schedules/${created.body.id}`)).body
  t.equal(row.next_run_at, '2026-03-30T00:30:00.000Z', '02:30 CEST the next day')
  t.match(row.last_result, /^launched 1 of 1 hosts/)
  await tick(ctx)
  t.equal(runsOf(ctx, host.id).length, 1, 'a second tick in the same slot fires nothing')

  // Fall-back: 02:30 happens twice on 2026-10-25; one run only, at the first (CEST) one.
  ctx.setNow('2026-10-24T12:00:00Z')
  await ctx.api('PUT', `/api/v1/patching/schedules/${created.body.id}`, { time: '02:30', frequency: 'daily' })
  row = (await ctx.api('GET', `/api/v1/patching/schedules/${created.body.id}`)).body
  t.equal(row.next_run_at, '2026-10-25T00:30:00.000Z')
  ctx.setNow('2026-10-25T00:30:05Z')
  await tick(ctx)
  row = (await ctx.api('GET', `/api/v1/patching/schedules/${created.body.id}`)).body
  t.equal(row.next_run_at, '2026-10-26T01:30:00.000Z', 'the repeated hour does not fire again')
  ctx.setNow('2026-10-25T01:30:05Z')
  await tick(ctx)
  t.equal(runsOf(ctx, host.id).length, 2, 'one run on the fall-back day')
})

t.test('security scope sends only security updates; the notice goes out N minutes before, once', async (t) => {
  const ctx = await beyondApp(t)
  const host = await reportedHost(ctx, 'sec01', [pkg('openssl', true), pkg('libssl3', true), pkg('vim')])
  const agent = await standInAgent(ctx, host)
  const notices: unknown[] = []
  ctx.app.events.on('patch_window_upcoming', (e) => void notices.push(e))
  ctx.setNow('2026-06-01T09:00:00Z')
  const created = await ctx.api('POST', '/api/v1/patching/schedules', {
    name: 'Security at noon',
    target_type: 'host',
    target_id: host.id,
    cron: '0 12 * * *',
    scope: 'security',
    notice_minutes: 15,
    reboot: 'if_required'
  })
  t.equal(created.status, 201)
  t.equal(created.body.next_run_at, '2026-06-01T10:00:00.000Z', '12:00 CEST')
  ctx.setNow('2026-06-01T09:44:00Z')
  await tick(ctx)
  t.equal(notices.length, 0, 'not yet')
  ctx.setNow('2026-06-01T09:46:00Z')
  await tick(ctx)
  await tick(ctx)
  t.equal(notices.length, 1, 'one notice per slot')
  t.match(notices[0], { scheduleName: 'Security at noon', hostId: host.id, minutesBefore: 14, scope: 'security' })

  ctx.setNow('2026-06-01T10:00:30Z')
  await tick(ctx)
  await until(() => agent.frames.length === 1, 'frame')
  // A stock agent ignores the frame's reboot field: the run says so instead of promising a reboot.
  t.match(agent.frames[0], { type: 'run_patch', patch_type: 'patch_package', reboot: 'never' })
  t.same([...(agent.frames[0]?.package_names ?? [])].sort(), ['libssl3', 'openssl'])
  t.match(runsOf(ctx, host.id)[0], { trigger_source: 'schedule', schedule_id: created.body.id })
  t.same(JSON.parse(runsOf(ctx, host.id)[0]?.options ?? 'null'), {
    reboot: 'never',
    securityOnly: true,
    rebootSkipped: "reboot skipped: this host's agent cannot reboot (no reboot_host capability)"
  })
  agent.close()
})

t.test('a restart re-arms schedules: a slot missed within the grace runs once, an older one is skipped with a reason', async (t) => {
  let ctx: BeyondApp = await beyondApp(t)
  const host = await reportedHost(ctx, 'restart01', [pkg('curl')])
  ctx.setNow('2026-06-01T08:00:00Z')
  const soon = await ctx.api('POST', '/api/v1/patching/schedules', {
    name: 'soon',
    target_type: 'host',
    target_id: host.id,
    cron: '30 10 * * *',
    scope: 'all'
  })
  const early = await ctx.api('POST', '/api/v1/patching/schedules', {
    name: 'early',
    target_type: 'host',
    target_id: host.id,
    cron: '0 9 * * *',
    scope: 'all'
  })
  t.equal(soon.body.next_run_at, '2026-06-01T08:30:00.000Z')
  t.equal(early.body.next_run_at, '2026-06-02T07:00:00.000Z', '09:00 CEST has passed today')

  ctx = await ctx.restart()
  // Down from 08:00Z to 08:40Z: the "soon" slot (08:30Z) is 10 minutes late, within the grace.
  ctx.setNow('2026-06-01T08:40:00Z')
  await tick(ctx)
  t.equal(runsOf(ctx, host.id).length, 1, 'the missed slot ran once after the restart')
  t.equal((await ctx.api('GET', `/api/v1/patching/schedules/${soon.body.id}`)).body.next_run_at, '2026-06-02T08:30:00.000Z')

  ctx = await ctx.restart()
  // Down for two days: the next "soon" slot is 47 hours late; skipped, audited, re-armed.
  ctx.setNow('2026-06-04T07:40:00Z')
  await tick(ctx)
  t.equal(runsOf(ctx, host.id).length, 1, 'nothing ran for the stale slot')
  const row = (await ctx.api('GET', `/api/v1/patching/schedules/${soon.body.id}`)).body
  t.match(row.last_result, /^slot 2026-06-02T08:30:00.000Z skipped: missed by \d+ minutes/)
  t.equal(row.next_run_at, '2026-06-04T08:30:00.000Z')
  const audit = ctx.store.sqlite.prepare("select count(*) as n from patch_audit where action = 'schedule_slot_skipped'").get() as {
    n: number
  }
  t.ok(audit.n >= 1, 'the skip is audited')
  t.ok(
    ctx.logs.some((l) => l.includes('patch schedule slot skipped')),
    'and logged'
  )
})

t.test('bad schedules are refused with the reason', async (t) => {
  const ctx = await beyondApp(t)
  const host = await reportedHost(ctx, 'bad01', [pkg('curl')])
  const base = { name: 'x', target_type: 'host', target_id: host.id, scope: 'all' }
  t.match((await ctx.api('POST', '/api/v1/patching/schedules', { ...base, cron: '61 * * * *' })).body, {
    error: 'Invalid schedule: give a five-field cron expression or frequency and time'
  })
  t.equal((await ctx.api('POST', '/api/v1/patching/schedules', { ...base, cron: '0 0 * * * *' })).status, 400, 'six fields')
  t.equal((await ctx.api('POST', '/api/v1/patching/schedules', base)).status, 400, 'no time')
  t.same((await ctx.api('POST', '/api/v1/patching/schedules', { ...base, cron: '0 3 * * 0', scope: 'packages' })).body, {
    error: 'scope packages needs package_names (1-100 valid package names)'
  })
  t.equal((await ctx.api('POST', '/api/v1/patching/schedules', { ...base, target_id: 'missing', cron: '0 3 * * 0' })).status, 404)
})
