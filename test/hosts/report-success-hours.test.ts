// The maintained successful-reports-per-hour counts (migration 0030) behind gethomepage's
// recent_updates_24h: successfulReportsSince must equal the plain count over report_history at any
// `since`, including the hour boundaries, through inserts, status and time changes, deletions and
// a host deletion's cascade.
import t, { type Test } from 'tap'
import { bearer, buildTestApp, type TestApp } from '../helpers/test-app.js'
import { createHostViaApi } from '../helpers/agent-fixtures.js'
import { successfulReportsSince } from '../../src/hosts/fleet-stats-queries.js'

const HOUR = 3_600_000
const BASE = Date.parse('2026-11-20T10:00:00.000Z')
const iso = (ms: number) => new Date(ms).toISOString()

function truth(ctx: TestApp, since: string): number {
  const row = ctx.store.sqlite
    .prepare("SELECT count(*) AS n FROM report_history WHERE status = 'success' AND created_at >= ?")
    .get(since) as { n: number }
  return row.n
}

async function checkAll(t: Test, ctx: TestApp, when: string): Promise<void> {
  const sinces = [BASE - HOUR, BASE, BASE + 1, BASE + HOUR - 1, BASE + HOUR, BASE + 90 * 60_000, BASE + 5 * HOUR, BASE + 30 * HOUR]
  for (const since of sinces)
    t.equal(await successfulReportsSince(ctx.store.db, iso(since)), truth(ctx, iso(since)), `${when}: since ${iso(since)}`)
}

t.test('successful reports since a time equal the count over report_history', async (t) => {
  const ctx = await buildTestApp(t)
  const a = await createHostViaApi(ctx.app, ctx.adminToken, 'a')
  const b = await createHostViaApi(ctx.app, ctx.adminToken, 'b')
  const insert = ctx.store.sqlite.prepare('INSERT INTO report_history (id, host_id, status, created_at) VALUES (?, ?, ?, ?)')
  const offsets = [0, 1, HOUR - 1, HOUR, HOUR + 1, 2 * HOUR + 30 * 60_000, 26 * HOUR]
  offsets.forEach((offset, i) => {
    insert.run(`a-${i}`, a.id, 'success', iso(BASE + offset))
    insert.run(`b-${i}`, b.id, i % 2 === 0 ? 'success' : 'error', iso(BASE + offset))
  })
  await checkAll(t, ctx, 'inserted')
  t.ok(truth(ctx, iso(BASE)) > 0, 'the counts are not vacuous')

  ctx.store.sqlite.prepare("UPDATE report_history SET status = 'error' WHERE id = 'a-1'").run()
  ctx.store.sqlite.prepare("UPDATE report_history SET status = 'success' WHERE id = 'b-1'").run()
  ctx.store.sqlite.prepare('UPDATE report_history SET created_at = ? WHERE id = ?').run(iso(BASE + 5 * HOUR), 'a-2')
  await checkAll(t, ctx, 'status and time changed')

  ctx.store.sqlite.prepare("DELETE FROM report_history WHERE id = 'a-3'").run()
  await checkAll(t, ctx, 'one report deleted')

  t.equal((await ctx.app.inject({ method: 'DELETE', url: `/api/v1/hosts/${b.id}`, headers: bearer(ctx.adminToken) })).statusCode, 200)
  await checkAll(t, ctx, 'host deleted (cascade)')
  const hours = ctx.store.sqlite.prepare('SELECT count(*) AS n FROM report_success_hours WHERE successes <= 0').get() as { n: number }
  t.equal(hours.n, 0, 'emptied hours are removed')
})
