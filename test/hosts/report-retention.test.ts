import t from 'tap'
import { buildTestApp } from '../helpers/test-app.js'
import { agentReport, createHostViaApi, debianPackages, postReport } from '../helpers/agent-fixtures.js'
import { pruneReportHistory, RETENTION_TIMER } from '../../src/hosts/report-retention.js'

t.test('the retention timer deletes history older than AGENT_REPORTS_RETENTION_DAYS', async (t) => {
  const ctx = await buildTestApp(t, { env: { AGENT_REPORTS_RETENTION_DAYS: '7' } })
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-01')
  for (let i = 0; i < 3; i++) t.equal((await postReport(ctx, host, agentReport(debianPackages(5)))).statusCode, 200)
  const rows = ctx.store.sqlite.prepare('select id from report_history order by created_at').all() as { id: string }[]
  ctx.store.sqlite.prepare('update report_history set created_at = ? where id = ?').run(new Date(Date.now() - 8 * 86_400_000).toISOString(), rows[0]!.id)
  t.ok(ctx.app.timers.names().includes(RETENTION_TIMER))
  await ctx.app.timers.runNow(RETENTION_TIMER)
  const left = ctx.store.sqlite.prepare('select id from report_history').all() as { id: string }[]
  t.equal(left.length, 2)
  t.notOk(left.some((r) => r.id === rows[0]!.id), 'the 8-day-old row is gone')
})

t.test('history is capped per host, newest rows kept', async (t) => {
  const ctx = await buildTestApp(t)
  const a = await createHostViaApi(ctx.app, ctx.adminToken, 'a')
  const b = await createHostViaApi(ctx.app, ctx.adminToken, 'b')
  const insert = ctx.store.sqlite.prepare(`insert into report_history (id, host_id, status, created_at) values (?, ?, 'success', ?)`)
  const base = Date.now() - 3600_000
  for (let i = 0; i < 12; i++) insert.run(`a-${i}`, a.id, new Date(base + i * 1000).toISOString())
  for (let i = 0; i < 4; i++) insert.run(`b-${i}`, b.id, new Date(base + i * 1000).toISOString())
  const removed = await pruneReportHistory(ctx.store.db, 30, 5)
  t.equal(removed, 7)
  const left = (ctx.store.sqlite.prepare('select id from report_history order by id').all() as { id: string }[]).map((r) => r.id)
  t.same(left, ['a-10', 'a-11', 'a-7', 'a-8', 'a-9', 'b-0', 'b-1', 'b-2', 'b-3'])
})
