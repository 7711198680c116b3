// Trends through the real HTTP surface on a real SQLite file: the daily snapshot (one row per host
// per day across restarts, missed days absent), retention, the optional CVE source, and the
// "time since last patch" rule fed by reports sent to the real agent endpoint.
import t from 'tap'
import { bearer, buildTestApp, userWithRole } from '../helpers/test-app.js'
import { takeDailySnapshot } from '../../src/trends/daily-snapshot.js'
import type { FleetTrendReply, HostTrendReply } from '../../src/trends/trend-schemas.js'
import { getJson, host, report, rowCount, setClock, tick } from './trend-fixtures.js'

t.test('the daily snapshot keeps one row per host per day across reruns and a restart; a missed day stays absent', async (t) => {
  const ctx = await buildTestApp(t)
  const a = await host(ctx, 'alpha')
  const b = await host(ctx, 'bravo')
  await host(ctx, 'never-reported')
  await report(ctx, a, 3, ['openssl'], { needsReboot: true })
  await report(ctx, b, 1)

  setClock(ctx, '2026-03-01T00:20:00Z')
  await tick(ctx)
  t.equal(rowCount(ctx, 'trend_host_days'), 2, 'one row per reported host (never-reported left out)')
  t.equal(rowCount(ctx, 'trend_fleet_days'), 1)
  await tick(ctx)
  t.equal(rowCount(ctx, 'trend_host_days'), 2, 'a second tick the same day adds nothing')

  // A later snapshot the same day replaces the day's figures (upsert), still one row each.
  await report(ctx, b, 5)
  await takeDailySnapshot(ctx.store.db, new Date('2026-03-01T18:00:00Z'))
  t.equal(rowCount(ctx, 'trend_host_days'), 2)

  const again = await ctx.restart()
  setClock(again, '2026-03-01T23:59:00Z')
  await tick(again)
  t.equal(rowCount(again, 'trend_host_days'), 2, 'after a restart the same day: still one row per host')
  t.equal(rowCount(again, 'trend_fleet_days'), 1)

  // 2 March: the server was down. 3 March: the next snapshot.
  setClock(again, '2026-03-03T00:05:00Z')
  await tick(again)
  const fleet = await getJson<FleetTrendReply>(again, '/api/v1/trends/fleet?days=7')
  t.equal(fleet.status, 200)
  t.same(
    fleet.body.points.map((p) => p.day),
    ['2026-03-01', '2026-03-03'],
    'the missed day is absent, not invented'
  )
  t.match(fleet.body.points[0], {
    day: '2026-03-01',
    hosts: 2,
    outdated_packages: 4 + 5,
    security_updates: 1,
    hosts_needing_reboot: 1,
    cves_open: null
  })
  t.equal(fleet.body.from, '2026-02-25')

  const alpha = await getJson<HostTrendReply>(again, `/api/v1/trends/hosts/${a.id}?days=7`)
  t.equal(alpha.status, 200)
  t.same(
    alpha.body.points.map((p) => [p.day, p.outdated_packages, p.security_updates, p.needs_reboot, p.cves_open]),
    [
      ['2026-03-01', 4, 1, true, null],
      ['2026-03-03', 4, 1, true, null]
    ]
  )
})

t.test('retention: rows older than trend_retention_days go at the next daily tick; the setting is validated', async (t) => {
  const ctx = await buildTestApp(t)
  const a = await host(ctx, 'alpha')
  await report(ctx, a, 2)
  for (const day of ['2026-01-01', '2026-01-20', '2026-02-10']) {
    setClock(ctx, `${day}T01:00:00Z`)
    await tick(ctx)
  }
  t.equal(rowCount(ctx, 'trend_fleet_days'), 3)

  const bad = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings',
    headers: bearer(ctx.adminToken),
    payload: { trend_retention_days: 5 }
  })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { errors: [{ msg: 'Trend retention must be an integer between 30 and 3650 days', param: 'trend_retention_days' }] })
  const settings = await getJson<{ trend_retention_days: number }>(ctx, '/api/v1/settings')
  t.equal(settings.body.trend_retention_days, 730, 'two years by default')

  const ok = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings',
    headers: bearer(ctx.adminToken),
    payload: { trend_retention_days: 30 }
  })
  t.equal(ok.statusCode, 200)
  setClock(ctx, '2026-02-15T01:00:00Z')
  await tick(ctx)
  const days = (ctx.store.sqlite.prepare('select day from trend_fleet_days order by day').all() as { day: string }[]).map((r) => r.day)
  t.same(days, ['2026-01-20', '2026-02-10', '2026-02-15'], '1 January is older than 30 days and was pruned')
  const hostDays = (ctx.store.sqlite.prepare('select day from trend_host_days order by day').all() as { day: string }[]).map((r) => r.day)
  t.same(hostDays, ['2026-01-20', '2026-02-10', '2026-02-15'])
})

t.test('CVEs open come from the source buildApp was given; a host missing from its map has none', async (t) => {
  const hosts: Record<string, string> = {}
  const ctx = await buildTestApp(t, {
    cveCountsByHost: async () => new Map([[hosts.alpha as string, 7]])
  })
  const a = await host(ctx, 'alpha')
  const b = await host(ctx, 'bravo')
  hosts.alpha = a.id
  await report(ctx, a, 1)
  await report(ctx, b, 1)
  setClock(ctx, '2026-04-02T03:00:00Z')
  await tick(ctx)
  const fleet = await getJson<FleetTrendReply>(ctx, '/api/v1/trends/fleet?days=1')
  t.equal(fleet.body.points[0]?.cves_open, 7)
  t.equal((await getJson<HostTrendReply>(ctx, `/api/v1/trends/hosts/${a.id}`)).body.points[0]?.cves_open, 7)
  t.equal((await getJson<HostTrendReply>(ctx, `/api/v1/trends/hosts/${b.id}`)).body.points[0]?.cves_open, 0)
})

t.test('time since last patch: the latest report with fewer outdated packages or a resolved security update', async (t) => {
  const ctx = await buildTestApp(t)
  const a = await host(ctx, 'alpha')
  setClock(ctx, '2026-05-01T08:00:00Z')
  await report(ctx, a, 5, ['openssl'])
  setClock(ctx, '2026-05-02T08:00:00Z')
  await report(ctx, a, 7, ['openssl'])
  let trend = await getJson<HostTrendReply>(ctx, `/api/v1/trends/hosts/${a.id}`)
  t.equal(trend.body.last_patched_at, null, 'more updates pending than before is not a patch')

  setClock(ctx, '2026-05-03T08:00:00Z')
  await report(ctx, a, 2, ['openssl'])
  setClock(ctx, '2026-05-04T08:00:00Z')
  await report(ctx, a, 2, ['openssl'])
  trend = await getJson<HostTrendReply>(ctx, `/api/v1/trends/hosts/${a.id}`)
  t.equal(trend.body.last_patched_at, '2026-05-03T08:00:00.000Z', 'the count fell on 3 May; an unchanged report keeps it')

  setClock(ctx, '2026-05-05T08:00:00Z')
  await report(ctx, a, 4, [])
  trend = await getJson<HostTrendReply>(ctx, `/api/v1/trends/hosts/${a.id}`)
  t.equal(trend.body.last_patched_at, '2026-05-05T08:00:00.000Z', 'a security update gone counts, even though the total rose')

  setClock(ctx, '2026-05-07T20:00:00Z')
  await tick(ctx)
  trend = await getJson<HostTrendReply>(ctx, `/api/v1/trends/hosts/${a.id}`)
  t.equal(trend.body.points[0]?.days_since_patch, 2.5)
  t.equal((await getJson<FleetTrendReply>(ctx, '/api/v1/trends/fleet')).body.points[0]?.days_since_patch, 2.5)
})

t.test('trend reads: unknown host 404, days validated, sign-in and permissions required', async (t) => {
  const ctx = await buildTestApp(t)
  t.equal((await getJson(ctx, '/api/v1/trends/hosts/no-such-host')).status, 404)
  const bad = await getJson<{ errors: { msg: string }[] }>(ctx, '/api/v1/trends/fleet?days=0')
  t.equal(bad.status, 400)
  t.equal(bad.body.errors[0]?.msg, 'days must be an integer between 1 and 3650')
  t.equal((await ctx.app.inject({ method: 'GET', url: '/api/v1/trends/fleet' })).statusCode, 401)
  const fleet = await getJson<FleetTrendReply>(ctx, '/api/v1/trends/fleet')
  t.same(fleet.body.points, [], 'no snapshot yet: no points')

  // A role with the overview but not the host pages: fleet trends yes, a host's trend no.
  const role = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/roles',
    headers: bearer(ctx.adminToken),
    payload: { name: 'wallboard', permissions: ['can_view_dashboard'] }
  })
  t.equal(role.statusCode, 201)
  const h = await host(ctx, 'alpha')
  const wallboard = await userWithRole(ctx, 'wallboard')
  t.equal((await getJson(ctx, '/api/v1/trends/fleet', wallboard)).status, 200)
  t.equal((await getJson(ctx, '/api/v1/trends/mean-time-to-patch', wallboard)).status, 200)
  t.equal((await getJson(ctx, `/api/v1/trends/hosts/${h.id}`, wallboard)).status, 403)
})
