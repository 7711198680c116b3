// The transactional outbox: an alert whose cause committed is never lost to a crash. The
// notifications listener is made to fail with a real SQLite error (a TEMP trigger rejecting
// delivery rows, as a full disk or an I/O error would), which leaves the database exactly as a
// SIGKILL between the commit and the listener would: the change and its event_outbox row, no
// delivery. The restart on the same data folder must turn the row into a delivery, once.
import t from 'tap'
import { agentHeaders, agentReport, createHostViaApi, debianPackages, postReport } from '../helpers/agent-fixtures.js'
import { ADMIN_PASSWORD, userWithRole } from '../helpers/test-app.js'
import { enroll, insertToken } from '../enrollment/enrollment-fixtures.js'
import {
  addDestination,
  addRule,
  buildNotificationTestApp,
  deliveryLog,
  DISCORD_URL,
  insertHost,
  type NotificationTestApp
} from './helpers/notification-test-app.js'
import { HOST_DOWN_TIMER, OUTBOX_SWEEP_AGE_MS, OUTBOX_SWEEP_TIMER } from '../../src/notifications/notifications-plugin.js'
import { routeOutboxLeftovers } from '../../src/notifications/event-routing.js'

type Embed = { title: string; timestamp?: string }
const titles = (ctx: NotificationTestApp) => ctx.receiver.requests.map((r) => (r.json as { embeds: Embed[] }).embeds[0]!.title).sort()
const outbox = (ctx: NotificationTestApp) => ctx.store.db.selectFrom('event_outbox').selectAll().orderBy('created_at').execute()
const deliveryRows = (ctx: NotificationTestApp) =>
  ctx.store.db.selectFrom('notification_deliveries').select(['event_type', 'status']).execute()

/** Makes the listener's delivery insert fail on this connection (TEMP: gone after a restart). */
function breakDeliveryWrites(ctx: NotificationTestApp): void {
  ctx.store.sqlite.exec(
    `CREATE TEMP TRIGGER refuse_deliveries BEFORE INSERT ON notification_deliveries BEGIN SELECT RAISE(ABORT, 'disk I/O error (simulated)'); END`
  )
}

const container = (state: string) => ({
  container_id: 'c1',
  name: 'web',
  image_name: 'nginx',
  image_tag: '1.27',
  image_id: 'sha256:abc',
  state,
  status: state === 'running' ? 'Up 2 hours' : 'Exited (137)'
})

t.test('events whose listener failed stay in the outbox and are delivered once after a restart', async (t) => {
  let ctx = await buildNotificationTestApp(t)
  await addRule(ctx, await addDestination(ctx, DISCORD_URL))
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web01.example.com')
  const docker = (state: string) =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/v1/integrations/docker',
      headers: agentHeaders(host),
      payload: { containers: [container(state)] }
    })
  t.equal((await docker('running')).statusCode, 200)
  const token = await insertToken(ctx)

  breakDeliveryWrites(ctx)
  const report = await postReport(ctx, host, agentReport(debianPackages(30, { updates: 6, securityEvery: 2 })))
  t.equal(report.statusCode, 200, 'the report itself is accepted: its transaction committed')
  t.equal((await docker('exited')).statusCode, 200)
  t.equal((await enroll(ctx, token, { friendly_name: 'lxc-101' })).statusCode, 201)
  await ctx.app.notifications.settle()

  t.same(await deliveryRows(ctx), [], 'no delivery row was written')
  t.same((await outbox(ctx)).map((r) => r.event_name).sort(), ['container_stopped', 'host_enrolled', 'security_updates_available'])
  t.ok(
    ctx.logs.some((l) => l.includes('event listener failed') && l.includes('simulated')),
    'the failure is logged'
  )
  const stored = await ctx.store.db.selectFrom('hosts').select('security_updates').where('id', '=', host.id).executeTakeFirstOrThrow()
  t.equal(
    stored.security_updates,
    report.json().securityUpdates,
    'the count rose: the next identical report will not raise the event again'
  )

  const leftover = await outbox(ctx)
  ctx = await ctx.restartNotifications()
  await ctx.app.notifications.settle()
  t.same(titles(ctx), [
    'Container Stopped: web on web01.example.com',
    'Host Enrolled: lxc-101',
    'Security Updates Available: web01.example.com'
  ])
  t.same(
    (await deliveryRows(ctx)).map((r) => r.status),
    ['sent', 'sent', 'sent']
  )
  t.same(await outbox(ctx), [], 'every outbox row was consumed with its deliveries')
  const security = ctx.receiver.requests.find((r) => (r.json as { embeds: Embed[] }).embeds[0]!.title.startsWith('Security'))
  const securityRow = leftover.find((r) => r.event_name === 'security_updates_available')!
  t.equal(
    (security!.json as { embeds: Embed[] }).embeds[0]!.timestamp,
    securityRow.created_at,
    'the notice keeps the time the report committed'
  )

  const again = await postReport(ctx, host, agentReport(debianPackages(30, { updates: 6, securityEvery: 2 })))
  t.equal(again.statusCode, 200)
  ctx = await ctx.restartNotifications()
  await ctx.app.notifications.settle()
  t.equal(ctx.receiver.requests.length, 3, 'another restart and an unchanged report send nothing more')
  t.equal((await deliveryRows(ctx)).length, 3)
})

t.test('an event already turned into deliveries is not recorded twice', async (t) => {
  const ctx = await buildNotificationTestApp(t)
  await addRule(ctx, await addDestination(ctx, DISCORD_URL))
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'db01')
  breakDeliveryWrites(ctx)
  t.equal((await postReport(ctx, host, agentReport(debianPackages(10, { updates: 2, securityEvery: 1 })))).statusCode, 200)
  await ctx.app.notifications.settle()
  const [row] = await outbox(ctx)
  t.ok(row, 'left in the outbox')
  ctx.store.sqlite.exec('DROP TRIGGER refuse_deliveries')

  // The start-up recovery racing a late listener for the same row: exactly one wins.
  const payload = JSON.parse(row!.payload)
  ctx.app.events.emit('security_updates_available', payload, { outboxId: row!.id })
  const [first, second] = await Promise.all([
    routeOutboxLeftovers(ctx.app, ctx.app.notifications),
    routeOutboxLeftovers(ctx.app, ctx.app.notifications)
  ])
  await ctx.app.notifications.settle()
  t.same([first.failed, second.failed], [0, 0])
  t.equal((await deliveryRows(ctx)).length, 1, 'one delivery row for one event')
  t.equal(ctx.receiver.requests.length, 1)
  t.same(await outbox(ctx), [])

  // A normal event: delivered by the listener, outbox row gone, nothing left for the next start.
  t.equal((await postReport(ctx, host, agentReport(debianPackages(10, { updates: 4, securityEvery: 1 })))).statusCode, 200)
  await ctx.app.notifications.settle()
  t.same(await outbox(ctx), [])
  const restarted = await ctx.restartNotifications()
  await restarted.app.notifications.settle()
  t.equal((await deliveryLog(restarted)).length, 2)
  t.equal(restarted.receiver.requests.length, 2)
})

t.test(
  'a listener that failed while the server runs is retried by the minute sweep once the fault is gone, without a restart',
  async (t) => {
    const ctx = await buildNotificationTestApp(t)
    await addRule(ctx, await addDestination(ctx, DISCORD_URL))
    const host = await createHostViaApi(ctx.app, ctx.adminToken, 'cache01')
    breakDeliveryWrites(ctx)
    t.equal((await postReport(ctx, host, agentReport(debianPackages(10, { updates: 2, securityEvery: 1 })))).statusCode, 200)
    await ctx.app.notifications.settle()
    t.equal((await outbox(ctx)).length, 1, 'the failed event waits in the outbox')

    await ctx.app.timers.runNow(OUTBOX_SWEEP_TIMER)
    await ctx.app.notifications.settle()
    t.equal((await outbox(ctx)).length, 1, 'a young row is left to its live listener')

    const realNow = ctx.app.notifications.now
    ctx.app.notifications.now = () => new Date(realNow().getTime() + OUTBOX_SWEEP_AGE_MS + 1_000)
    await ctx.app.timers.runNow(OUTBOX_SWEEP_TIMER)
    await ctx.app.notifications.settle()
    t.equal((await outbox(ctx)).length, 1, 'still failing: the row stays for the next try')
    t.ok(
      ctx.logs.some((l) => l.includes('kept for the next try')),
      'the failed retry is logged'
    )

    ctx.store.sqlite.exec('DROP TRIGGER refuse_deliveries') // the disk was cleared
    await ctx.app.timers.runNow(OUTBOX_SWEEP_TIMER)
    await ctx.app.notifications.settle()
    t.same(await outbox(ctx), [], 'routed by the sweep')
    t.same(titles(ctx), ['Security Updates Available: cache01'], 'delivered once, without a restart')
    await ctx.app.timers.runNow(OUTBOX_SWEEP_TIMER)
    await ctx.app.notifications.settle()
    t.equal(ctx.receiver.requests.length, 1, 'a later sweep sends nothing more')
  }
)

t.test('an event that matches no rule just leaves the outbox', async (t) => {
  const ctx = await buildNotificationTestApp(t)
  await addRule(ctx, await addDestination(ctx, DISCORD_URL), { event_types: ['host_went_down'] })
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'quiet01')
  t.equal((await postReport(ctx, host, agentReport(debianPackages(10, { updates: 2, securityEvery: 1 })))).statusCode, 200)
  await ctx.app.notifications.settle()
  t.same(await outbox(ctx), [])
  t.same(await deliveryRows(ctx), [])
})

t.test('rejected or unchanged input writes no outbox row', async (t) => {
  const ctx = await buildNotificationTestApp(t)
  breakDeliveryWrites(ctx) // so any row written would stay visible
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web02')
  const empty = await postReport(ctx, host, agentReport([]))
  t.equal(empty.statusCode, 400)
  const wrongKey = await postReport(
    ctx,
    { ...host, apiKey: 'f'.repeat(64) },
    agentReport(debianPackages(10, { updates: 2, securityEvery: 1 }))
  )
  t.equal(wrongKey.statusCode, 401)
  const badJson = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/hosts/update',
    headers: { ...agentHeaders(host), 'content-type': 'application/json' },
    payload: '{"packages": ['
  })
  t.equal(badJson.statusCode, 400)
  const noSecurity = await postReport(ctx, host, agentReport(debianPackages(10, { updates: 2 })))
  t.equal(noSecurity.statusCode, 200)
  const token = await insertToken(ctx)
  t.equal((await enroll(ctx, token, {})).statusCode, 400, 'enrollment without a friendly name')
  t.equal((await enroll(ctx, { ...token, secret: 'wrong' }, { friendly_name: 'x' })).statusCode, 401)
  const docker = (payload: unknown) =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/v1/integrations/docker',
      headers: agentHeaders(host),
      payload: payload as Record<string, unknown>
    })
  t.equal((await docker({ containers: [container('exited')] })).statusCode, 200, 'a container first seen stopped did not stop now')
  await ctx.app.notifications.settle()
  t.same(await outbox(ctx), [])
})

t.test('host down and up are written with their alert state; a failed listener is retried after restart', async (t) => {
  let ctx = await buildNotificationTestApp(t)
  await ctx.app.settings.set('update_interval', 60)
  await ctx.app.settings.set('host_down_grace_minutes', 5)
  await addRule(ctx, await addDestination(ctx, DISCORD_URL), { event_types: ['host_went_down', 'host_came_up'] })
  const t0 = new Date('2026-06-01T10:00:00.000Z')
  const web = await insertHost(ctx, 'web03', t0)
  const tick = async (c: NotificationTestApp, minutes: number) => {
    const at = new Date(t0.getTime() + minutes * 60_000)
    c.app.notifications.now = () => at
    await c.app.timers.runNow(HOST_DOWN_TIMER)
    await c.app.notifications.settle()
  }
  await tick(ctx, 0)
  breakDeliveryWrites(ctx)
  await tick(ctx, 70)
  t.same(
    (await outbox(ctx)).map((r) => r.event_name),
    ['host_went_down']
  )
  t.ok(
    await ctx.store.db.selectFrom('host_alert_states').select('host_id').where('host_id', '=', web).executeTakeFirst(),
    'alert state committed with the event'
  )

  ctx = await ctx.restartNotifications()
  await ctx.app.notifications.settle()
  t.same(titles(ctx), ['Host Down: web03'])
  await ctx.store.db
    .updateTable('hosts')
    .set({ last_update: new Date(t0.getTime() + 75 * 60_000).toISOString() })
    .where('id', '=', web)
    .execute()
  await tick(ctx, 76)
  t.same(titles(ctx), ['Host Down: web03', 'Host Up: web03'])
  t.same(await outbox(ctx), [])
})

t.test('a host deletion, a role change and a disabled second factor commit their events with the change', async (t) => {
  let ctx = await buildNotificationTestApp(t)
  await addRule(ctx, await addDestination(ctx, DISCORD_URL))
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'old01')
  await userWithRole(ctx, 'user', 'alice')
  const alice = await ctx.store.db.selectFrom('users').select('id').where('username', '=', 'alice').executeTakeFirstOrThrow()
  // Second factor on (the enrolment itself is tfa.test.ts's subject): disabling it is what emits.
  await ctx.store.db.updateTable('users').set({ tfa_enabled: 1 }).where('username', '=', 'admin').execute()

  breakDeliveryWrites(ctx)
  t.equal((await ctx.app.inject({ method: 'DELETE', url: `/api/v1/hosts/${host.id}`, headers: ctx.auth })).statusCode, 200)
  t.equal(
    (await ctx.app.inject({ method: 'DELETE', url: `/api/v1/hosts/${host.id}`, headers: ctx.auth })).statusCode,
    404,
    'a second delete finds nothing and writes no event'
  )
  t.equal(
    (await ctx.app.inject({ method: 'PUT', url: `/api/v1/users/${alice.id}`, headers: ctx.auth, payload: { role: 'admin' } })).statusCode,
    200
  )
  t.equal(
    (
      await ctx.app.inject({
        method: 'PUT',
        url: `/api/v1/users/${alice.id}`,
        headers: ctx.auth,
        payload: { role: 'admin', first_name: 'Alice' }
      })
    ).statusCode,
    200,
    'the same role again is no change'
  )
  t.equal(
    (await ctx.app.inject({ method: 'POST', url: '/api/v1/tfa/disable', headers: ctx.auth, payload: { password: 'wrong' } })).statusCode,
    400
  )
  t.equal(
    (await ctx.app.inject({ method: 'POST', url: '/api/v1/tfa/disable', headers: ctx.auth, payload: { password: ADMIN_PASSWORD } }))
      .statusCode,
    200
  )
  await ctx.app.notifications.settle()
  t.same((await outbox(ctx)).map((r) => r.event_name).sort(), ['host_deleted', 'user_role_changed', 'user_tfa_disabled'])
  t.same(await deliveryRows(ctx), [])

  ctx = await ctx.restartNotifications()
  await ctx.app.notifications.settle()
  t.same(titles(ctx), ['Host Deleted: old01', 'Two-Factor Authentication Disabled: admin', 'User Role Changed: alice'])
  t.same(await outbox(ctx), [])
})
