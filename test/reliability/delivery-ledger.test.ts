// The delivery checks of the crash-safety script must be able to fail: a real delivery passes them,
// and each kind of damage they look for (a body no row explains, a row missing what its status
// implies, a `sent` row the receiver never accepted, a delivery left open after a restart) is
// reported when planted.
import t from 'tap'
import type { AddressInfo } from 'node:net'
import { buildTestApp } from '../helpers/test-app.js'
import { databaseFile } from '../../src/store/open-database.js'
import { DeliveryLedger } from './delivery-ledger.js'

t.test('the delivery ledger passes a real delivery and reports every planted fault', async (t) => {
  // The ledger's receiver listens on loopback, which the outbound policy blocks by default.
  const ctx = await buildTestApp(t, { env: { PATCHMON_NOTIFY_ALLOWED_TARGETS: '127.0.0.1' } })
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`
  const ledger = await DeliveryLedger.start()
  t.teardown(() => ledger.close())
  await ledger.subscribe(baseUrl, ctx.adminToken)
  ledger.answer('recovered')
  const dbFile = databaseFile(ctx.dataDir)

  ctx.app.events.emit('security_updates_available', {
    hostId: 'h1',
    hostName: 'web01',
    previousCount: 0,
    securityCount: 3,
    packages: ['openssl', 'libc6', 'curl']
  })
  await ctx.app.notifications.settle()
  const clean = ledger.snapshot(dbFile)
  t.same(clean.problems, [], 'a delivered event passes every check')
  t.equal(clean.sent, 1, 'its row is sent')
  t.equal(clean.open.size, 0, 'nothing is open')

  const sentRow = ctx.store.sqlite.prepare("select * from notification_deliveries where status = 'sent'").get() as Record<string, unknown>
  const insert = ctx.store.sqlite
    .prepare(`insert into notification_deliveries (id, destination_id, destination_name, event_type, severity, title, payload, status, attempt_count, response_status, next_attempt_at, created_at, updated_at, sent_at)
    values (@id, @destination_id, @destination_name, @event_type, @severity, @title, @payload, @status, @attempt_count, @response_status, @next_attempt_at, @created_at, @updated_at, @sent_at)`)
  const notice = (title: string) =>
    JSON.stringify({
      kind: 'alert',
      eventType: 'security_updates_available',
      severity: 'warning',
      title,
      message: title,
      fields: [],
      timestamp: new Date().toISOString()
    })
  insert.run({ ...sentRow, id: 'never-received', title: 'Never received', payload: notice('Never received') })
  insert.run({
    ...sentRow,
    id: 'no-next-attempt',
    title: 'No next attempt',
    payload: notice('No next attempt'),
    status: 'pending',
    response_status: null,
    sent_at: null,
    next_attempt_at: null
  })
  const stray = await fetch(`${ledger.receiver.url}/crash-hook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'sent without a row' })
  })
  t.equal(stray.status, 200, 'the receiver accepted the stray delivery')

  const damaged = ledger.snapshot(dbFile)
  t.match(
    damaged.problems.join('\n'),
    /delivery never-received is marked sent but the receiver never got it/,
    'a sent row the receiver never accepted is reported'
  )
  t.match(
    damaged.problems.join('\n'),
    /delivery no-next-attempt \(pending\): pending without a next attempt/,
    'a half-written pending row is reported'
  )
  t.match(
    damaged.problems.join('\n'),
    /the receiver got a delivery no row explains: \{"title":"sent without a row"\}/,
    'a body no row explains is reported'
  )
  t.same([...damaged.open.keys()], ['no-next-attempt'], 'the pending row is open')

  const restart = await ledger.checkAfterRestart(dbFile, damaged.open, false, 300)
  t.equal(restart.delivered, 0, 'the open row was not delivered')
  t.match(
    restart.problems.join('\n'),
    /1 of 1 deliveries open at the kill not delivered within 300 ms after the restart: \{"pending":1\}/,
    'a delivery left open is reported, with its status'
  )
  const stillFailing = await ledger.checkAfterRestart(dbFile, damaged.open, true, 300)
  t.match(
    stillFailing.problems.join('\n'),
    /not attempted again and pending with a next attempt/,
    'with the receiver failing, a row not attempted again is reported'
  )
})
