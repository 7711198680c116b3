// Routing, retries and the notification log: nothing is sent without a rule, nothing is lost when
// the receiver fails, goes down or the server restarts, and the log explains every delivery.
import t from 'tap'
import {
  addDestination,
  addRule,
  buildNotificationTestApp,
  deliveryLog,
  DISCORD_URL,
  GENERIC_URL,
  insertHost,
  waitForNewestDelivery,
  type NotificationTestApp
} from './helpers/notification-test-app.js'
import { LOG_RETENTION_TIMER } from '../../src/notifications/notifications-plugin.js'

const locked = { username: 'bob', ip: '203.0.113.9', failures: 5, lockedUntil: '2026-04-24T12:30:00.000Z' }

async function emitAndSettle(ctx: NotificationTestApp, emit: () => void) {
  emit()
  await ctx.app.notifications.settle()
}

t.test('no rule, no delivery; rules filter by event, severity, host group and enabled flags', async (t) => {
  const ctx = await buildNotificationTestApp(t)
  const dest = await addDestination(ctx, GENERIC_URL)
  await emitAndSettle(ctx, () => ctx.app.events.emit('account_locked', locked))
  t.equal(ctx.receiver.requests.length, 0, 'a destination alone routes nothing')
  t.equal((await deliveryLog(ctx)).length, 0)

  const rule = await addRule(ctx, dest, { event_types: ['host_down'], min_severity: 'error' })
  await emitAndSettle(ctx, () => ctx.app.events.emit('account_locked', locked))
  t.equal(ctx.receiver.requests.length, 0, 'event not in the rule')
  await emitAndSettle(ctx, () =>
    ctx.app.events.emit('host_went_down', { hostId: 'h', hostName: 'web01', lastUpdate: null, thresholdSeconds: 60 })
  )
  t.equal(ctx.receiver.requests.length, 1, 'alias host_down matches host_went_down')

  await ctx.app.inject({
    method: 'PUT',
    url: `/api/v1/notifications/routes/${rule}`,
    headers: ctx.auth,
    payload: { event_types: ['*'], min_severity: 'critical' }
  })
  await emitAndSettle(ctx, () =>
    ctx.app.events.emit('host_went_down', { hostId: 'h', hostName: 'web01', lastUpdate: null, thresholdSeconds: 60 })
  )
  t.equal(ctx.receiver.requests.length, 1, 'error is below the critical minimum')

  const group = await ctx.store.db
    .insertInto('host_groups')
    .values({ id: 'g1', name: 'prod', description: null, created_at: '', updated_at: '' })
    .execute()
    .then(() => 'g1')
  const inGroup = await insertHost(ctx, 'in-group', new Date())
  await ctx.store.db.insertInto('host_group_memberships').values({ host_id: inGroup, host_group_id: group, created_at: '' }).execute()
  await ctx.app.inject({
    method: 'PUT',
    url: `/api/v1/notifications/routes/${rule}`,
    headers: ctx.auth,
    payload: { min_severity: 'informational', host_group_ids: [group] }
  })
  await emitAndSettle(ctx, () => ctx.app.events.emit('host_deleted', { hostId: 'elsewhere', hostName: 'other' }))
  await emitAndSettle(ctx, () => ctx.app.events.emit('host_came_up', { hostId: inGroup, hostName: 'in-group', downSince: null }))
  t.equal(ctx.receiver.requests.length, 2, "only the host in the rule's group")
  t.match(ctx.receiver.requests[1]!.json, { title: 'Host Up: in-group' })

  await ctx.app.inject({ method: 'PUT', url: `/api/v1/notifications/destinations/${dest}`, headers: ctx.auth, payload: { enabled: false } })
  await emitAndSettle(ctx, () => ctx.app.events.emit('host_came_up', { hostId: inGroup, hostName: 'in-group', downSince: null }))
  t.equal(ctx.receiver.requests.length, 2, 'disabled destination receives nothing')
})

t.test('Discord 429 is retried after Retry-After; 404 is final and not retried', async (t) => {
  const ctx = await buildNotificationTestApp(t)
  await addRule(ctx, await addDestination(ctx, DISCORD_URL))
  ctx.app.notifications.options.retryBaseMs = 1
  ctx.receiver.script(
    {
      status: 429,
      headers: { 'retry-after': '0.3', 'content-type': 'application/json' },
      body: '{"message":"You are being rate limited.","retry_after":0.3,"global":false}'
    },
    { status: 204 }
  )
  await emitAndSettle(ctx, () => ctx.app.events.emit('account_locked', locked))
  t.equal(ctx.receiver.requests.length, 2)
  const [row] = await deliveryLog(ctx)
  t.match(row, { status: 'sent', attempt_count: 2, response_status: 204, error_message: null })
  const retryLine = ctx.logs.find((l) => l.includes('will retry'))
  t.match(retryLine, /"retryInMs":300/, 'waited the 0.3 s Discord asked for, not the 1 ms back-off')

  ctx.receiver.script({
    status: 404,
    headers: { 'content-type': 'application/json' },
    body: '{"message": "Unknown Webhook", "code": 10015}'
  })
  await emitAndSettle(ctx, () => ctx.app.events.emit('account_locked', locked))
  t.equal(ctx.receiver.requests.length, 3, '404 attempted once')
  const [latest] = await deliveryLog(ctx)
  t.match(latest, {
    status: 'failed',
    attempt_count: 1,
    response_status: 404,
    error_message: 'HTTP 404: {"message": "Unknown Webhook", "code": 10015}'
  })
})

t.test('5xx and timeouts are retried with back-off, then fail with a readable line', async (t) => {
  const ctx = await buildNotificationTestApp(t)
  await addRule(ctx, await addDestination(ctx, GENERIC_URL))
  ctx.app.notifications.options.maxAttempts = 3
  ctx.app.notifications.http.timeoutMs = 300
  ctx.receiver.script({ status: 500, body: 'boom' }, { status: 200, hang: true }, { status: 500, body: 'still broken' })
  const started = Date.now()
  await emitAndSettle(ctx, () => ctx.app.events.emit('account_locked', locked))
  t.equal(ctx.receiver.requests.length, 3)
  t.ok(Date.now() - started >= 20 + 40 + 300, 'back-off 20 ms, 40 ms and one 300 ms timeout')
  const [row] = await deliveryLog(ctx)
  t.match(row, { status: 'failed', attempt_count: 3, response_status: 500, error_message: 'HTTP 500: still broken' })
  const timeoutLine = ctx.logs.find((l) => l.includes('timed out waiting for the remote server'))
  t.ok(timeoutLine, 'the hang was reported as a timeout')
  t.notOk(ctx.logs.some((l) => l.includes('genericSECRET')))
})

t.test('a receiver that is down and comes back gets the alert: nothing lost', async (t) => {
  const ctx = await buildNotificationTestApp(t)
  await addRule(ctx, await addDestination(ctx, GENERIC_URL))
  ctx.app.notifications.options.retryBaseMs = 100
  await ctx.receiver.stop()
  ctx.app.events.emit('account_locked', locked)
  // Wait for the first failed attempt, then bring the receiver back.
  const failing = await waitForNewestDelivery(ctx, (row) => row.attempt_count === 1 && row.status === 'pending')
  t.match(failing, { status: 'pending', attempt_count: 1, response_status: null, error_message: /network error: ECONNREFUSED/ })
  t.notMatch(String(failing!.error_message), /genericSECRET/)
  await ctx.receiver.start()
  await ctx.app.notifications.settle()
  const [row] = await deliveryLog(ctx)
  t.match(row, { status: 'sent', attempt_count: 2 })
  t.equal(ctx.receiver.requests.length, 1)
})

t.test('deliveries pending at shutdown are sent after a restart', async (t) => {
  let ctx = await buildNotificationTestApp(t)
  await addRule(ctx, await addDestination(ctx, DISCORD_URL))
  ctx.app.notifications.options.retryBaseMs = 60_000
  ctx.receiver.script({ status: 503, body: 'maintenance' })
  ctx.app.notifications.options.maxRetryDelayMs = 60_000
  ctx.app.events.emit('user_tfa_disabled', { userId: 'u', username: 'alice' })
  const before = await waitForNewestDelivery(ctx, (row) => row.attempt_count === 1 && row.status === 'pending')
  t.match(before, { status: 'pending', attempt_count: 1, response_status: 503 })
  ctx = await ctx.restartNotifications()
  // Re-queued on start, without waiting out the minute-long back-off from before the restart.
  await ctx.app.notifications.settle()
  const [after] = await deliveryLog(ctx)
  t.match(after, { status: 'sent', attempt_count: 2, response_status: 200 })
  t.equal(ctx.receiver.requests.length, 2)
  t.match(ctx.receiver.requests[1]!.json, { embeds: [{ title: 'Two-Factor Authentication Disabled: alice' }] })
})

t.test('test-send goes through the same path and reports the outcome', async (t) => {
  const ctx = await buildNotificationTestApp(t)
  const dest = await addDestination(ctx, DISCORD_URL)
  const ok = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/notifications/test',
    headers: ctx.auth,
    payload: { destination_id: dest }
  })
  t.equal(ok.statusCode, 200)
  t.match(ok.json(), { message: 'Test notification sent', delivery: { status: 'sent', event_type: 'test', response_status: 200 } })
  t.match(ctx.receiver.requests[0]!.json, {
    embeds: [{ title: 'PatchMon test notification', description: 'This is a test message from PatchMon notification settings.' }]
  })
  ctx.receiver.script({ status: 401, body: '{"message": "Invalid Webhook Token"}' })
  const bad = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/notifications/test',
    headers: ctx.auth,
    payload: { destination_id: dest }
  })
  t.match(bad.json(), { message: /^Test notification not delivered yet: HTTP 401/, delivery: { status: 'failed', response_status: 401 } })
  t.notMatch(bad.body, /secretTOKEN/)
  const missing = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/notifications/test',
    headers: ctx.auth,
    payload: { destination_id: 'nope' }
  })
  t.same([missing.statusCode, missing.json()], [404, { error: 'Destination not found' }])
})

t.test('the delivery log filters by destination, event, status and time, and old rows are pruned', async (t) => {
  const ctx = await buildNotificationTestApp(t)
  const a = await addDestination(ctx, DISCORD_URL, {}, 'A')
  const b = await addDestination(ctx, GENERIC_URL, {}, 'B')
  await addRule(ctx, a)
  await addRule(ctx, b, { event_types: ['account_locked'] })
  ctx.receiver.script({ status: 404 })
  await emitAndSettle(ctx, () => ctx.app.events.emit('account_locked', locked))
  await emitAndSettle(ctx, () =>
    ctx.app.events.emit('host_went_down', { hostId: 'h', hostName: 'web01', lastUpdate: null, thresholdSeconds: 60 })
  )
  t.equal((await deliveryLog(ctx)).length, 3)
  t.equal((await deliveryLog(ctx, `?destination_id=${b}`)).length, 1)
  t.equal((await deliveryLog(ctx, '?event_type=host_down')).length, 1, 'alias accepted in the filter')
  t.equal((await deliveryLog(ctx, '?status=failed')).length, 1)
  t.equal((await deliveryLog(ctx, '?since=2999-01-01T00:00:00Z')).length, 0)
  t.equal((await deliveryLog(ctx, '?limit=1&offset=1')).length, 1)
  const bad = await ctx.app.inject({ method: 'GET', url: '/api/v1/notifications/delivery-log?limit=abc', headers: ctx.auth })
  t.same([bad.statusCode, bad.json()], [400, { error: 'limit must be a number from 1 to 500' }])

  ctx.app.notifications.now = () => new Date(Date.now() + 31 * 86_400_000)
  await ctx.app.timers.runNow(LOG_RETENTION_TIMER)
  t.equal((await deliveryLog(ctx)).length, 0, 'finished rows older than 30 days pruned')
})

t.test('closing the app lets an in-flight delivery finish instead of cutting it off', async (t) => {
  const ctx = await buildNotificationTestApp(t)
  await addRule(ctx, await addDestination(ctx, GENERIC_URL))
  ctx.receiver.script({ status: 200, body: 'ok', delayMs: 300 })
  ctx.app.events.emit('account_locked', locked)
  const sending = await waitForNewestDelivery(ctx, (row) => row.status === 'sending')
  t.ok(sending, 'attempt in flight')
  await ctx.app.close()
  const row = await ctx.store.db.selectFrom('notification_deliveries').select(['status', 'response_status']).executeTakeFirstOrThrow()
  t.same(row, { status: 'sent', response_status: 200 })
})
