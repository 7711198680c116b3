import t from 'tap'
import { buildTestApp } from '../helpers/test-app.js'
import { agentReport, createHostViaApi, debianPackages, postReport } from '../helpers/agent-fixtures.js'
import { REPORTS_KEPT_PER_HOST, RETENTION_TIMER } from '../../src/hosts/report-retention.js'

t.test('the retention timer deletes history older than AGENT_REPORTS_RETENTION_DAYS', async (t) => {
  const ctx = await buildTestApp(t, { env: { AGENT_REPORTS_RETENTION_DAYS: '7' } })
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-01')
  for (let i = 0; i < 3; i++) t.equal((await postReport(ctx, host, agentReport(debianPackages(5)))).statusCode, 200)
  const rows = ctx.store.sqlite.prepare('select id from report_history order by created_at').all() as { id: string }[]
  ctx.store.sqlite
    .prepare('update report_history set created_at = ? where id = ?')
    .run(new Date(Date.now() - 8 * 86_400_000).toISOString(), rows[0]!.id)
  t.ok(ctx.app.timers.names().includes(RETENTION_TIMER))
  await ctx.app.timers.runNow(RETENTION_TIMER)
  const left = ctx.store.sqlite.prepare('select id from report_history').all() as { id: string }[]
  t.equal(left.length, 2)
  t.notOk(
    left.some((r) => r.id === rows[0]!.id),
    'the 8-day-old row is gone'
  )
})

t.test("each report trims its host's history to the newest 500 rows; other hosts are untouched", async (t) => {
  const ctx = await buildTestApp(t)
  const a = await createHostViaApi(ctx.app, ctx.adminToken, 'a')
  const b = await createHostViaApi(ctx.app, ctx.adminToken, 'b')
  const insert = ctx.store.sqlite.prepare(`insert into report_history (id, host_id, status, created_at) values (?, ?, 'success', ?)`)
  const base = Date.now() - 86_400_000
  ctx.store.sqlite.transaction(() => {
    for (let i = 0; i < 600; i++) insert.run(`a-${String(i).padStart(3, '0')}`, a.id, new Date(base + i * 1000).toISOString())
    for (let i = 0; i < 520; i++) insert.run(`b-${String(i).padStart(3, '0')}`, b.id, new Date(base + i * 1000).toISOString())
  })()
  t.equal((await postReport(ctx, a, agentReport(debianPackages(5)))).statusCode, 200)
  const count = ctx.store.sqlite
    .prepare(`select host_id, count(*) as n, min(case when id like '_-%' then id end) as oldest from report_history group by host_id`)
    .all() as { host_id: string; n: number; oldest: string }[]
  const byHost = new Map(count.map((r) => [r.host_id, r]))
  t.equal(byHost.get(a.id)!.n, REPORTS_KEPT_PER_HOST)
  t.equal(byHost.get(a.id)!.oldest, 'a-101', 'the newest 499 old rows plus the new report are kept')
  t.equal(byHost.get(b.id)!.n, 520, 'another host is trimmed only by its own reports')
})
