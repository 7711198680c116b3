// Matrix and the Apprise API against a local receiver (the HTTP proxy of these test apps, so the
// homeserver and Apprise names below reach it): the exact request, the transaction id reused by a
// retry, Apprise's stateful and stateless calls and its types, and what 401, 429 (retry honoured),
// 400, 424 and 204 replies become in the notification log.
import t, { type Test } from 'tap'
import { addRule, buildNotificationTestApp, deliveryLog, type NotificationTestApp } from './helpers/notification-test-app.js'
import { addPreset, APPRISE_URLS, expectNoSecretAnywhere, LOCKED, MATRIX_TOKEN } from './helpers/preset-destinations.js'

const json = { 'content-type': 'application/json' }

async function emitLocked(ctx: NotificationTestApp) {
  ctx.app.events.emit('account_locked', LOCKED)
  await ctx.app.notifications.settle()
}

async function presetApp(t: Test): Promise<NotificationTestApp> {
  const ctx = await buildNotificationTestApp(t)
  ctx.app.notifications.options.retryBaseMs = 1
  return ctx
}

t.test('Matrix: PUT m.room.message with escaped HTML, one transaction id per delivery, and readable failures', async (t) => {
  const ctx = await presetApp(t)
  const dest = await addPreset(ctx, 'matrix', {
    homeserver_url: 'http://matrix.example.org/',
    access_token: MATRIX_TOKEN,
    room_id: '!roomABC:example.org'
  })
  await addRule(ctx, dest)

  ctx.receiver.script({ status: 200, headers: json, body: '{"event_id":"$abc"}' })
  await emitLocked(ctx)
  const [row] = await deliveryLog(ctx)
  const sent = ctx.receiver.requests[0]!
  t.equal(sent.method, 'PUT')
  t.equal(sent.url, `http://matrix.example.org/_matrix/client/v3/rooms/!roomABC%3Aexample.org/send/m.room.message/${String(row!.id)}`)
  t.equal(sent.headers.authorization, `Bearer ${MATRIX_TOKEN}`)
  t.match(sent.headers['content-type'], /^application\/json/)
  const plain = [
    'Account Locked: <b>bob</b> & "co"',
    'Sign-in for <b>bob</b> & "co" is locked after 5 failed attempts from 203.0.113.9, until 2026-04-24T12:30:00.000Z.',
    '',
    'User: <b>bob</b> & "co"',
    'IP address: 203.0.113.9',
    'Failed attempts: 5',
    'Locked until: 2026-04-24T12:30:00.000Z'
  ]
  t.same(sent.json, {
    msgtype: 'm.text',
    body: plain.join('\n'),
    format: 'org.matrix.custom.html',
    formatted_body: [
      '<b>Account Locked: &lt;b&gt;bob&lt;/b&gt; &amp; &quot;co&quot;</b>',
      'Sign-in for &lt;b&gt;bob&lt;/b&gt; &amp; &quot;co&quot; is locked after 5 failed attempts from 203.0.113.9, until 2026-04-24T12:30:00.000Z.',
      '',
      '<b>User: </b>&lt;b&gt;bob&lt;/b&gt; &amp; &quot;co&quot;',
      '<b>IP address: </b>203.0.113.9',
      '<b>Failed attempts: </b>5',
      '<b>Locked until: </b>2026-04-24T12:30:00.000Z'
    ].join('<br>')
  })
  t.match(row, { status: 'sent', response_status: 200 })

  ctx.receiver.script(
    { status: 429, headers: json, body: '{"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":300}' },
    { status: 200, headers: json, body: '{"event_id":"$def"}' }
  )
  await emitLocked(ctx)
  const [retried] = await deliveryLog(ctx)
  t.match(retried, { status: 'sent', attempt_count: 2 })
  const [first, second] = ctx.receiver.requests.slice(1)
  t.equal(first!.url, second!.url, 'the retry reuses the transaction id, so the homeserver can drop a repeat')
  t.ok(first!.url.endsWith(`/send/m.room.message/${String(retried!.id)}`), 'the transaction id is the delivery id')
  t.not(first!.url, sent.url, 'another delivery, another transaction id')
  t.ok(
    ctx.logs.some((l) => l.includes('will retry') && l.includes('"retryInMs":300')),
    'retry_after_ms honoured'
  )

  ctx.receiver.script({
    status: 401,
    headers: json,
    body: '{"errcode":"M_UNKNOWN_TOKEN","error":"Invalid access token passed.","soft_logout":false}'
  })
  await emitLocked(ctx)
  t.match((await deliveryLog(ctx))[0], {
    status: 'failed',
    attempt_count: 1,
    response_status: 401,
    error_message:
      'HTTP 401: M_UNKNOWN_TOKEN: Invalid access token passed. — the access token was refused (logged out or revoked); create a new one'
  })
  ctx.receiver.script({ status: 403, headers: json, body: '{"errcode":"M_FORBIDDEN","error":"User @bot:example.org not in room"}' })
  await emitLocked(ctx)
  t.match((await deliveryLog(ctx))[0], {
    status: 'failed',
    error_message:
      "HTTP 403: M_FORBIDDEN: User @bot:example.org not in room — the token's user is not in the room or may not post there; invite and join it"
  })
  ctx.receiver.script({ status: 400, headers: json, body: '{"errcode":"M_BAD_JSON","error":"Content is not JSON"}' })
  await emitLocked(ctx)
  t.match((await deliveryLog(ctx))[0], {
    status: 'failed',
    attempt_count: 1,
    response_status: 400,
    error_message: 'HTTP 400: M_BAD_JSON: Content is not JSON'
  })
  t.equal(ctx.receiver.requests.length, 6, 'no 4xx other than 429 was retried')
  await expectNoSecretAnywhere(t, ctx)
})

t.test('Apprise API: stateful /notify/{key} with a tag, stateless /notify with the URLs, types from severity', async (t) => {
  const ctx = await presetApp(t)
  const stateful = await addPreset(ctx, 'apprise', { server_url: 'http://apprise.lan:8000/', key: 'patchmon', tag: 'ops' }, 'Stateful')
  const rule = await addRule(ctx, stateful, { event_types: ['account_locked', 'host_came_up'] })

  await emitLocked(ctx)
  const sent = ctx.receiver.requests[0]!
  t.equal(sent.method, 'POST')
  t.equal(sent.url, 'http://apprise.lan:8000/notify/patchmon')
  t.same(sent.json, {
    title: 'Account Locked: <b>bob</b> & "co"',
    body: [
      'Sign-in for <b>bob</b> & "co" is locked after 5 failed attempts from 203.0.113.9, until 2026-04-24T12:30:00.000Z.',
      '',
      'User: <b>bob</b> & "co"',
      'IP address: 203.0.113.9',
      'Failed attempts: 5',
      'Locked until: 2026-04-24T12:30:00.000Z'
    ].join('\n'),
    type: 'warning',
    format: 'text',
    tag: 'ops'
  })
  ctx.app.events.emit('host_came_up', { hostId: 'h1', hostName: 'web01', downSince: null })
  await ctx.app.notifications.settle()
  t.equal((ctx.receiver.requests[1]!.json as { type: string }).type, 'success', 'a host coming back is good news')

  await ctx.app.inject({ method: 'DELETE', url: `/api/v1/notifications/routes/${rule}`, headers: ctx.auth })
  const stateless = await addPreset(ctx, 'apprise', { server_url: 'http://apprise.lan:8000', urls: APPRISE_URLS }, 'Stateless')
  await addRule(ctx, stateless)
  ctx.app.events.emit('host_went_down', { hostId: 'h1', hostName: 'web01', lastUpdate: null, thresholdSeconds: 600 })
  await ctx.app.notifications.settle()
  const direct = ctx.receiver.requests[2]!
  t.equal(direct.url, 'http://apprise.lan:8000/notify')
  t.match(direct.json, { urls: APPRISE_URLS, title: 'Host Down: web01', type: 'failure', format: 'text' })
  t.notOk('tag' in (direct.json as object), 'no tag without a key')

  ctx.receiver.script(
    { status: 424, body: 'One or more notification could not be sent.' },
    { status: 429, headers: { 'retry-after': '0.3' }, body: 'Too Many Requests' },
    { status: 200, body: 'Notification(s) sent.' }
  )
  await emitLocked(ctx)
  t.match((await deliveryLog(ctx))[0], { status: 'sent', attempt_count: 3 })
  t.ok(
    ctx.logs.some((l) =>
      l.includes(
        "HTTP 424: One or more notification could not be sent. — Apprise could not deliver to one or more of its services; see the Apprise server's log"
      )
    ),
    '424 (a service behind Apprise failed) is retried with a clear line'
  )
  t.ok(
    ctx.logs.some((l) => l.includes('will retry') && l.includes('"retryInMs":300')),
    'Retry-After honoured'
  )

  ctx.receiver.script({ status: 400, body: 'Bad FORMAT' })
  await emitLocked(ctx)
  t.match((await deliveryLog(ctx))[0], { status: 'failed', attempt_count: 1, response_status: 400, error_message: 'HTTP 400: Bad FORMAT' })
  ctx.receiver.script({ status: 204 })
  await emitLocked(ctx)
  t.match((await deliveryLog(ctx))[0], {
    status: 'failed',
    attempt_count: 1,
    response_status: 204,
    error_message: 'HTTP 204: Apprise found no services to notify — check the configuration key, the tag or the URLs'
  })
  ctx.receiver.script({ status: 500, body: `boom ${APPRISE_URLS}` }, { status: 200 })
  await emitLocked(ctx)
  t.ok(
    ctx.logs.some((l) => l.includes('HTTP 500: boom [redacted]')),
    'Apprise URLs echoed in a reply are cut out of the line'
  )
  await expectNoSecretAnywhere(t, ctx)
})
