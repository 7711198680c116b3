// Telegram and Pushover against a local receiver standing in for api.telegram.org and
// api.pushover.net: the exact request (path, method, headers, body, escaping, truncation), and
// what their 401, 429 (retry honoured) and 400 replies become in the notification log.
// The services' fixed API addresses are pointed, in process, at plain-http names that the
// receiver (the HTTP proxy of these test apps) records; nothing leaves loopback.
import t, { type Test } from 'tap'
import { addRule, buildNotificationTestApp, deliveryLog, type NotificationTestApp } from './helpers/notification-test-app.js'
import { addPreset, expectNoSecretAnywhere, LOCKED, PUSHOVER_TOKEN, PUSHOVER_USER, TELEGRAM_TOKEN } from './helpers/preset-destinations.js'

async function emitLocked(ctx: NotificationTestApp, payload = LOCKED) {
  ctx.app.events.emit('account_locked', payload)
  await ctx.app.notifications.settle()
}

async function presetApp(t: Test): Promise<NotificationTestApp> {
  const ctx = await buildNotificationTestApp(t)
  ctx.app.notifications.endpoints.telegram = 'http://api.telegram.org'
  ctx.app.notifications.endpoints.pushover = 'http://api.pushover.net'
  // The wait below comes from the service's reply, not from our back-off.
  ctx.app.notifications.options.retryBaseMs = 1
  return ctx
}

const json = { 'content-type': 'application/json' }

t.test('Telegram: sendMessage with escaped HTML, 4096-character cut, and readable failures', async (t) => {
  const ctx = await presetApp(t)
  await addRule(ctx, await addPreset(ctx, 'telegram', { bot_token: TELEGRAM_TOKEN, chat_id: '-1001234567890', message_thread_id: 42 }))

  ctx.receiver.script({ status: 200, headers: json, body: '{"ok":true,"result":{"message_id":1}}' })
  await emitLocked(ctx)
  const sent = ctx.receiver.requests[0]!
  t.equal(sent.method, 'POST')
  t.equal(sent.url, `http://api.telegram.org/bot${TELEGRAM_TOKEN}/sendMessage`)
  t.match(sent.headers['content-type'], /^application\/json/)
  t.same(sent.json, {
    chat_id: '-1001234567890',
    message_thread_id: 42,
    text: [
      '<b>Account Locked: &lt;b&gt;bob&lt;/b&gt; &amp; &quot;co&quot;</b>',
      'Sign-in for &lt;b&gt;bob&lt;/b&gt; &amp; &quot;co&quot; is locked after 5 failed attempts from 203.0.113.9, until 2026-04-24T12:30:00.000Z.',
      '',
      '<b>User: </b>&lt;b&gt;bob&lt;/b&gt; &amp; &quot;co&quot;',
      '<b>IP address: </b>203.0.113.9',
      '<b>Failed attempts: </b>5',
      '<b>Locked until: </b>2026-04-24T12:30:00.000Z'
    ].join('\n'),
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true }
  })
  t.match((await deliveryLog(ctx))[0], { status: 'sent', response_status: 200 })

  await emitLocked(ctx, { ...LOCKED, username: `<${'x'.repeat(5000)}>` })
  const long = (ctx.receiver.requests[1]!.json as { text: string }).text
  const visible = long.replace(/<\/?b>/g, '').replace(/&lt;|&gt;|&amp;|&quot;/g, '.')
  t.equal(visible.length, 4096, 'cut to exactly 4096 visible characters')
  t.ok(long.endsWith('… (truncated)'), 'the cut is marked')
  t.equal((long.match(/<b>/g) ?? []).length, (long.match(/<\/b>/g) ?? []).length, 'no tag is cut in half')
  t.notMatch(long, /&[a-z]*$|&[a-z]*…/, 'no entity is cut in half')

  ctx.receiver.script(
    {
      status: 429,
      headers: json,
      body: '{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 0.3","parameters":{"retry_after":0.3}}'
    },
    { status: 200, headers: json, body: '{"ok":true}' }
  )
  await emitLocked(ctx)
  t.equal(ctx.receiver.requests.length, 4, '429 then retried once')
  t.match((await deliveryLog(ctx))[0], { status: 'sent', attempt_count: 2 })
  t.ok(
    ctx.logs.some((l) => l.includes('will retry') && l.includes('"retryInMs":300')),
    'waited parameters.retry_after (0.3 s), not the 1 ms back-off'
  )

  ctx.receiver.script({ status: 401, headers: json, body: '{"ok":false,"error_code":401,"description":"Unauthorized"}' })
  await emitLocked(ctx)
  t.match((await deliveryLog(ctx))[0], {
    status: 'failed',
    attempt_count: 1,
    response_status: 401,
    error_message: 'HTTP 401: Unauthorized — the bot token was refused; copy it again from @BotFather'
  })

  ctx.receiver.script({ status: 400, headers: json, body: '{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}' })
  await emitLocked(ctx)
  t.match((await deliveryLog(ctx))[0], {
    status: 'failed',
    attempt_count: 1,
    response_status: 400,
    error_message: 'HTTP 400: Bad Request: chat not found — check the chat id, and that the bot was added to the chat'
  })
  ctx.receiver.script({
    status: 400,
    headers: json,
    body: '{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1009876543210}}'
  })
  await emitLocked(ctx)
  t.match((await deliveryLog(ctx))[0], {
    error_message:
      'HTTP 400: Bad Request: group chat was upgraded to a supergroup chat: the group became a supergroup; change the chat id to -1009876543210'
  })
  t.equal(ctx.receiver.requests.length, 7, 'no 4xx other than 429 was retried')

  ctx.receiver.script({ status: 404, headers: json, body: `{"ok":false,"error_code":404,"description":"Not Found ${TELEGRAM_TOKEN}"}` })
  await emitLocked(ctx)
  t.notMatch(String((await deliveryLog(ctx))[0]!.error_message), /secretTELEGRAM/, 'a token echoed in a reply is cut out')
  await expectNoSecretAnywhere(t, ctx)
})

t.test('Pushover: form-encoded message with severity priority, 1024/250 limits, and readable failures', async (t) => {
  const ctx = await presetApp(t)
  await addRule(ctx, await addPreset(ctx, 'pushover', { app_token: PUSHOVER_TOKEN, user_key: PUSHOVER_USER, device: 'phone, tablet' }))

  ctx.receiver.script({ status: 200, headers: json, body: '{"status":1,"request":"647d2300-702c-4b38-8b2f-d56326ae460b"}' })
  await emitLocked(ctx)
  const sent = ctx.receiver.requests[0]!
  t.equal(sent.method, 'POST')
  t.equal(sent.url, 'http://api.pushover.net/1/messages.json')
  t.equal(sent.headers['content-type'], 'application/x-www-form-urlencoded')
  const form = Object.fromEntries(new URLSearchParams(sent.body))
  t.same(form, {
    token: PUSHOVER_TOKEN,
    user: PUSHOVER_USER,
    title: 'Account Locked: <b>bob</b> & "co"',
    message: [
      'Sign-in for <b>bob</b> & "co" is locked after 5 failed attempts from 203.0.113.9, until 2026-04-24T12:30:00.000Z.',
      '',
      'User: <b>bob</b> & "co"',
      'IP address: 203.0.113.9',
      'Failed attempts: 5',
      'Locked until: 2026-04-24T12:30:00.000Z'
    ].join('\n'),
    priority: '0',
    device: 'phone,tablet',
    timestamp: form.timestamp
  })
  t.match(form.timestamp, /^\d{10}$/, 'unix seconds')
  t.match((await deliveryLog(ctx))[0], { status: 'sent', response_status: 200 })

  ctx.app.events.emit('host_went_down', { hostId: 'h1', hostName: 'w'.repeat(2000), lastUpdate: null, thresholdSeconds: 600 })
  await ctx.app.notifications.settle()
  const long = Object.fromEntries(new URLSearchParams(ctx.receiver.requests[1]!.body))
  t.equal(long.title!.length, 250, 'title cut to 250')
  t.ok(long.title!.endsWith('…'))
  t.equal(long.message!.length, 1024, 'message cut to 1024')
  t.ok(long.message!.endsWith('… (truncated)'))
  t.equal(long.priority, '1', 'an error alert is high priority')

  ctx.receiver.script(
    { status: 429, headers: { ...json, 'retry-after': '0.3' }, body: '{"status":0,"errors":["application is over its message limit"]}' },
    { status: 200, headers: json, body: '{"status":1}' }
  )
  await emitLocked(ctx)
  t.equal(ctx.receiver.requests.length, 4)
  t.match((await deliveryLog(ctx))[0], { status: 'sent', attempt_count: 2 })
  t.ok(
    ctx.logs.some((l) => l.includes('will retry') && l.includes('"retryInMs":300')),
    'Retry-After honoured'
  )

  ctx.receiver.script({
    status: 400,
    headers: json,
    body: '{"token":"invalid","errors":["application token is invalid"],"status":0,"request":"5042853c"}'
  })
  await emitLocked(ctx)
  t.match((await deliveryLog(ctx))[0], {
    status: 'failed',
    attempt_count: 1,
    response_status: 400,
    error_message: 'HTTP 400: application token is invalid — copy the API token from your application page again'
  })
  ctx.receiver.script({
    status: 400,
    headers: json,
    body: '{"user":"invalid","errors":["user identifier is not a valid user, group, or subscribed user key"],"status":0}'
  })
  await emitLocked(ctx)
  t.match((await deliveryLog(ctx))[0], {
    status: 'failed',
    error_message:
      'HTTP 400: user identifier is not a valid user, group, or subscribed user key — copy the user key from the Pushover dashboard again'
  })
  ctx.receiver.script({ status: 401, headers: json, body: '{"status":0,"errors":["unauthorized"]}' })
  await emitLocked(ctx)
  t.match((await deliveryLog(ctx))[0], {
    status: 'failed',
    attempt_count: 1,
    response_status: 401,
    error_message: 'HTTP 401: unauthorized'
  })
  t.equal(ctx.receiver.requests.length, 7, 'no 4xx other than 429 was retried')
  await expectNoSecretAnywhere(t, ctx)
})
