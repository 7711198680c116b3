// The outbox checks of the crash-safety script must be able to fail: an event lost between its
// report and its delivery row, an outbox row the restart did not route, and an outbox row that
// became two delivery rows are each reported; a real routed event passes.
import t from 'tap'
import { agentReport, createHostViaApi, debianPackages, postReport } from '../helpers/agent-fixtures.js'
import { buildTestApp } from '../helpers/test-app.js'
import { databaseFile } from '../../src/store/open-database.js'
import { routeOutboxLeftovers } from '../../src/notifications/event-routing.js'
import { checkOutboxAfterRestart, eventsWithoutRow, outboxRows } from './outbox-check.js'

t.test('the outbox checks pass a routed event and report every planted fault', async (t) => {
  const ctx = await buildTestApp(t)
  const auth = { authorization: `Bearer ${ctx.adminToken}` }
  const dest = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/notifications/destinations',
    headers: auth,
    payload: { channel_type: 'webhook', display_name: 'x', config: { url: 'http://127.0.0.1:9/hook' } }
  })
  t.equal(
    (
      await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/notifications/routes',
        headers: auth,
        payload: { destination_id: dest.json().id, event_types: ['*'] }
      })
    ).statusCode,
    201
  )
  ctx.app.notifications.options.retryBaseMs = 60_000
  const dbFile = databaseFile(ctx.dataDir)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web01')
  const hosts = [{ id: host.id, apiId: host.apiId, expectedEvents: 1 }]

  // The listener fails (a real SQLite error), so the event stays in the outbox as after a kill.
  ctx.store.sqlite.exec(`CREATE TEMP TRIGGER refuse BEFORE INSERT ON notification_deliveries BEGIN SELECT RAISE(ABORT, 'simulated'); END`)
  t.equal((await postReport(ctx, host, agentReport(debianPackages(10, { updates: 2, securityEvery: 1 })))).statusCode, 200)
  await ctx.app.notifications.settle()
  const left = outboxRows(dbFile)
  t.equal(left.length, 1)
  t.same(eventsWithoutRow(dbFile, hosts), { missing: 0, problems: [] }, 'an event in the outbox is not lost')
  const lost = eventsWithoutRow(dbFile, [{ ...hosts[0]!, expectedEvents: 2 }])
  t.equal(lost.missing, 1, 'an acknowledged event in neither place is reported')
  t.match(lost.problems, [/2 acknowledged reports raised the security count, only 1 delivery or outbox rows/])

  const notRouted = await checkOutboxAfterRestart(dbFile, left, 300)
  t.equal(notRouted.routed, 0)
  t.match(notRouted.problems, [/still there/, /became 0 delivery rows/])

  ctx.store.sqlite.exec('DROP TRIGGER refuse')
  await routeOutboxLeftovers(ctx.app, ctx.app.notifications)
  const routed = await checkOutboxAfterRestart(dbFile, left, 2_000)
  t.same(routed.problems, [], 'routed: gone from the outbox and one delivery row')
  t.equal(routed.routed, 1)
  t.same(eventsWithoutRow(dbFile, hosts), { missing: 0, problems: [] })

  const row = ctx.store.sqlite.prepare('select * from notification_deliveries').get() as Record<string, unknown>
  ctx.store.sqlite
    .prepare(
      `insert into notification_deliveries (id, destination_id, destination_name, event_type, severity, title, reference_id, payload, status, attempt_count, next_attempt_at, created_at, updated_at)
    values ('planted-duplicate', @destination_id, @destination_name, @event_type, @severity, @title, @reference_id, @payload, 'pending', 0, @created_at, @created_at, @created_at)`
    )
    .run(row)
  const twice = await checkOutboxAfterRestart(dbFile, left, 300)
  t.match(twice.problems, [/became 2 delivery rows, expected 1/])
})
