// One host-status rule, every surface: the dashboard (overview and host list), the Integration
// API's effective_status, gethomepage's host count and the Prometheus gauge must say the same
// thing about the same hosts, including at the 2 x interval boundary.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createHost } from '../../src/hosts/host-service.js'
import { hostStatusFromLastReport, hostStatusSql, type HostStatus } from '../../src/hosts/host-status.js'
import { hostCountsByStatus } from '../../src/hosts/fleet-stats-queries.js'
import { bearer, buildTestApp } from '../helpers/test-app.js'
import { apiCredential, basic, homepageCredential } from '../integration-api/fleet-fixture.js'

const MINUTE = 60_000

t.test('dashboard, Integration API, gethomepage and metrics agree on pending/active/inactive', async (t) => {
  const ctx = await buildTestApp(t)
  const db = ctx.store.db
  const interval = await ctx.app.settings.get('update_interval')
  const now = Date.now()
  // last_update per host; undefined = never reported. "active-no-report" is stored active without a
  // last_update: nothing has been heard, so every surface must call it pending.
  const specs: Record<string, { status: 'pending' | 'active'; last?: number; expect: HostStatus }> = {
    'never-reported': { status: 'pending', expect: 'pending' },
    'active-no-report': { status: 'active', expect: 'pending' },
    fresh: { status: 'active', last: now, expect: 'active' },
    'just-inside': { status: 'active', last: now - 2 * interval * MINUTE + 5 * MINUTE, expect: 'active' },
    'just-outside': { status: 'active', last: now - 2 * interval * MINUTE - 5 * MINUTE, expect: 'inactive' },
    'long-silent': { status: 'active', last: now - 50 * interval * MINUTE, expect: 'inactive' }
  }
  const ids = new Map<string, string>()
  for (const [name, spec] of Object.entries(specs)) {
    const { host } = await createHost(db, { friendlyName: name })
    const last = spec.last === undefined ? null : new Date(spec.last).toISOString()
    await db.updateTable('hosts').set({ status: spec.status, last_update: last }).where('id', '=', host.id).execute()
    ids.set(name, host.id)
  }
  const expected = { pending: 0, active: 0, inactive: 0 }
  for (const spec of Object.values(specs)) expected[spec.expect]++

  const overview = (await ctx.app.inject({ method: 'GET', url: '/api/v1/dashboard/stats', headers: bearer(ctx.adminToken) })).json()
  t.same(overview.hosts_by_status, expected, 'dashboard overview')

  const list = (await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts?limit=100', headers: bearer(ctx.adminToken) })).json()
  const listed = new Map<string, string>((list.hosts as { id: string; status: string }[]).map((h) => [h.id, h.status]))
  for (const [name, spec] of Object.entries(specs))
    t.equal(listed.get(ids.get(name) as string), spec.expect, `dashboard host list: ${name}`)

  for (const status of ['pending', 'active', 'inactive'] as const) {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts?status=${status}&limit=100`, headers: bearer(ctx.adminToken) })
    const names = (res.json().hosts as { friendly_name: string }[]).map((h) => h.friendly_name).sort()
    const want = Object.entries(specs)
      .filter(([, spec]) => spec.expect === status)
      .map(([name]) => name)
      .sort()
    t.same(names, want, `dashboard host list filter status=${status}`)
  }

  const api = await apiCredential(ctx)
  const apiRes = await ctx.app.inject({ method: 'GET', url: '/api/v1/api/hosts?include=stats', headers: basic(api.key, api.secret) })
  t.equal(apiRes.statusCode, 200)
  const effective = new Map<string, string>(
    (apiRes.json().hosts as { id: string; effective_status: string }[]).map((h) => [h.id, h.effective_status])
  )
  for (const [name, spec] of Object.entries(specs))
    t.equal(effective.get(ids.get(name) as string), spec.expect, `Integration API effective_status: ${name}`)

  const hp = await homepageCredential(ctx)
  const stats = (await ctx.app.inject({ method: 'GET', url: '/api/v1/gethomepage/stats', headers: basic(hp.key, hp.secret) })).json()
  t.equal(stats.total_hosts, expected.active + expected.inactive, 'gethomepage counts the hosts that have reported')

  const token = readFileSync(join(ctx.dataDir, 'metrics-token'), 'utf8').trim()
  const metrics = (await ctx.app.inject({ method: 'GET', url: '/metrics', headers: bearer(token) })).body
  for (const [status, n] of Object.entries(expected))
    t.match(metrics, new RegExp(`patchmon_hosts\\{status="${status}",service="patchmon"\\} ${n}\\n`), `metrics ${status}`)
})

t.test('the SQL rule and the row rule agree at the exact boundary', async (t) => {
  const ctx = await buildTestApp(t)
  const db = ctx.store.db
  const interval = 30
  const nowMs = Date.parse('2026-11-25T12:00:00.000Z')
  const edge = nowMs - 2 * interval * MINUTE
  const cases = [edge - 1, edge, edge + 1]
  for (const at of cases) {
    const { host } = await createHost(db, { friendlyName: `at-${at}` })
    await db
      .updateTable('hosts')
      .set({ status: 'active', last_update: new Date(at).toISOString() })
      .where('id', '=', host.id)
      .execute()
  }
  const rows = await db
    .selectFrom('hosts')
    .select(['status', 'last_update', hostStatusSql(interval, nowMs).as('sql_status')])
    .execute()
  for (const row of rows)
    t.equal(row.sql_status, hostStatusFromLastReport(row.status, row.last_update, interval, nowMs), `at ${row.last_update}`)
  t.same(await hostCountsByStatus(db, interval, nowMs), { pending: 0, active: 2, inactive: 1 }, 'exactly 2 intervals is still active')
})
