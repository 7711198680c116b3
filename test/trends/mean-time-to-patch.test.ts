// Mean time to patch a security update, per host group, from report sequences sent through the
// real agent endpoint; and host-group scoping of every trend read (a limited user sees figures of
// their own hosts only).
import t from 'tap'
import { bearer, buildTestApp, login, type TestApp } from '../helpers/test-app.js'
import type { TestHost } from '../helpers/agent-fixtures.js'
import type { FleetTrendReply, PatchTimeReply } from '../../src/trends/trend-schemas.js'
import { getJson, group, host, report, setClock, tick } from './trend-fixtures.js'

async function at(ctx: TestApp, iso: string, h: TestHost, outdated: number, security: string[]) {
  setClock(ctx, iso)
  await report(ctx, h, outdated, security)
}

/** web (group "web", also "all-linux") and db (group "db"): four security updates, one still open. */
async function fleet(t: Parameters<typeof buildTestApp>[0]) {
  const ctx = await buildTestApp(t)
  const web = await group(ctx, 'web')
  const db = await group(ctx, 'db')
  const linux = await group(ctx, 'all-linux')
  const webHost = await host(ctx, 'web-1', [web, linux])
  const dbHost = await host(ctx, 'db-1', [db])
  // web-1: openssl and curl appear; curl is fixed 10 h later, openssl 30 h after it appeared.
  await at(ctx, '2026-06-01T00:00:00Z', webHost, 2, ['openssl', 'curl'])
  await at(ctx, '2026-06-01T10:00:00Z', webHost, 2, ['openssl'])
  await at(ctx, '2026-06-02T06:00:00Z', webHost, 2, [])
  // db-1: libpq fixed after 4 h; then zlib appears and stays open.
  await at(ctx, '2026-06-01T00:00:00Z', dbHost, 0, ['libpq'])
  await at(ctx, '2026-06-01T04:00:00Z', dbHost, 0, [])
  await at(ctx, '2026-06-03T00:00:00Z', dbHost, 0, ['zlib'])
  return { ctx, groups: { web, db, linux }, webHost, dbHost }
}

t.test('mean and median time to patch per group, from first report listing an update to the first without it', async (t) => {
  const { ctx, groups } = await fleet(t)
  setClock(ctx, '2026-06-05T00:00:00Z')
  const res = await getJson<PatchTimeReply>(ctx, '/api/v1/trends/mean-time-to-patch?days=30')
  t.equal(res.status, 200)
  const byName = new Map(res.body.groups.map((g) => [g.name, g]))
  t.match(byName.get('All hosts'), { group_id: null, resolved: 3, open: 1, mean_hours: 14.67, median_hours: 10 })
  t.match(byName.get('web'), { group_id: groups.web, resolved: 2, open: 0, mean_hours: 20, median_hours: 20 })
  t.match(byName.get('all-linux'), { resolved: 2, mean_hours: 20 }, 'a host in two groups counts in both')
  t.match(byName.get('db'), { group_id: groups.db, resolved: 1, open: 1, mean_hours: 4, median_hours: 4 })

  // A security update that comes back later is a new exposure: 2 h this time.
  const again = await host(ctx, 'db-2', [groups.db])
  await at(ctx, '2026-06-04T00:00:00Z', again, 0, ['libpq'])
  await at(ctx, '2026-06-04T02:00:00Z', again, 0, [])
  await at(ctx, '2026-06-04T05:00:00Z', again, 0, ['libpq'])
  await at(ctx, '2026-06-04T07:00:00Z', again, 0, [])
  setClock(ctx, '2026-06-05T00:00:00Z')
  const db = (await getJson<PatchTimeReply>(ctx, '/api/v1/trends/mean-time-to-patch?days=30')).body.groups.find((g) => g.name === 'db')
  t.match(db, { resolved: 3, mean_hours: 2.67, median_hours: 2 })

  // The window: only updates resolved in the last day (db-2's two) count.
  const recent = await getJson<PatchTimeReply>(ctx, '/api/v1/trends/mean-time-to-patch?days=1')
  t.match(
    recent.body.groups.find((g) => g.name === 'All hosts'),
    { resolved: 2, mean_hours: 2 }
  )
  t.match(
    recent.body.groups.find((g) => g.name === 'web'),
    { resolved: 0, mean_hours: null, median_hours: null }
  )
})

t.test('a user limited to one host group gets trends of their hosts only', async (t) => {
  const { ctx, groups, webHost, dbHost } = await fleet(t)
  setClock(ctx, '2026-06-05T00:00:00Z')
  await tick(ctx)
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(ctx.adminToken),
    payload: { username: 'dba', password: 'dba-password', role: 'superadmin', host_group_ids: [groups.db] }
  })
  t.equal(created.statusCode, 201, created.body)
  const limited = await login(ctx.app, 'dba', 'dba-password')

  const all = await getJson<FleetTrendReply>(ctx, '/api/v1/trends/fleet')
  t.match(all.body.points, [{ hosts: 2, outdated_packages: 3, security_updates: 1 }])
  const mine = await getJson<FleetTrendReply>(ctx, '/api/v1/trends/fleet', limited)
  t.match(mine.body.points, [{ day: '2026-06-05', hosts: 1, outdated_packages: 1, security_updates: 1, cves_open: null }])

  t.equal((await getJson(ctx, `/api/v1/trends/hosts/${dbHost.id}`, limited)).status, 200)
  const foreign = await ctx.app.inject({ method: 'GET', url: `/api/v1/trends/hosts/${webHost.id}`, headers: bearer(limited) })
  t.equal(foreign.statusCode, 404, 'a host outside their groups does not exist for them')

  const times = await getJson<PatchTimeReply>(ctx, '/api/v1/trends/mean-time-to-patch?days=30', limited)
  t.same(
    times.body.groups.map((g) => [g.name, g.resolved, g.open, g.mean_hours]),
    [
      ['All hosts', 1, 1, 4],
      ['db', 1, 1, 4]
    ],
    'only their group, and "all hosts" means their hosts'
  )
  t.notMatch(JSON.stringify(times.body), /web|all-linux/)
})
