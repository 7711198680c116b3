// Creating and changing Telegram, Pushover, Matrix and Apprise API destinations through the API:
// each wrong value gets its own 400 sentence, secrets are write-only (masked in every reply, kept
// when an update leaves them out), and the test-send route delivers through the new providers.
import t from 'tap'
import { buildNotificationTestApp } from './helpers/notification-test-app.js'
import {
  addPreset,
  APPRISE_URLS,
  expectNoSecretAnywhere,
  MATRIX_TOKEN,
  PUSHOVER_TOKEN,
  PUSHOVER_USER,
  SECRET_PATTERN,
  TELEGRAM_TOKEN
} from './helpers/preset-destinations.js'
import { findDestination } from '../../src/notifications/destination-store.js'

const URL = '/api/v1/notifications/destinations'

t.test('notification presets through the destinations API', async (t) => {
  const ctx = await buildNotificationTestApp(t)
  const create = (channel_type: string, config: Record<string, unknown>) =>
    ctx.app.inject({ method: 'POST', url: URL, headers: ctx.auth, payload: { channel_type, display_name: 'X', config } })
  const update = (id: string, config: Record<string, unknown>) =>
    ctx.app.inject({ method: 'PUT', url: `${URL}/${id}`, headers: ctx.auth, payload: { config } })

  t.test('every wrong value is a 400 naming what to fix', async (t) => {
    const telegram = { bot_token: TELEGRAM_TOKEN, chat_id: '-100123' }
    const pushover = { app_token: PUSHOVER_TOKEN, user_key: PUSHOVER_USER }
    const matrix = { homeserver_url: 'https://matrix.example.org', access_token: MATRIX_TOKEN, room_id: '!abc:example.org' }
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['telegram', { chat_id: '1' }, 'Telegram bot token is required (from @BotFather)'],
      [
        'telegram',
        { ...telegram, bot_token: '123/../../evil?x=' },
        'Telegram bot token must look like 123456789:AAH… (digits, a colon, then the secret from @BotFather)'
      ],
      ['telegram', { bot_token: TELEGRAM_TOKEN }, 'Telegram chat id is required'],
      [
        'telegram',
        { ...telegram, chat_id: 'my group' },
        'Telegram chat id must be a number such as -1001234567890, or @channelname for a public channel'
      ],
      ['telegram', { ...telegram, message_thread_id: 'x' }, 'message_thread_id must be a whole number from 1 to 2147483647'],
      ['pushover', { user_key: PUSHOVER_USER }, 'Pushover application token is required'],
      [
        'pushover',
        { ...pushover, app_token: 'short' },
        "Pushover application token must be the 30 letters and digits shown on your application's page"
      ],
      ['pushover', { app_token: PUSHOVER_TOKEN }, 'Pushover user or group key is required'],
      [
        'pushover',
        { ...pushover, user_key: 'me@example.com' },
        'Pushover user or group key must be the 30 letters and digits shown on your Pushover dashboard'
      ],
      [
        'pushover',
        { ...pushover, device: 'my phone!' },
        'Pushover device must be device names (letters, digits, _ and -, up to 25 each) separated by commas'
      ],
      ['pushover', { ...pushover, priority: 2 }, 'priority must be a whole number from -2 to 1'],
      ['matrix', { access_token: MATRIX_TOKEN, room_id: '!a:b' }, 'Matrix homeserver URL is required'],
      ['matrix', { ...matrix, homeserver_url: 'matrix.example.org' }, 'Matrix homeserver URL must be a valid http(s) URL'],
      ['matrix', { ...matrix, access_token: '' }, 'Matrix access token is required'],
      ['matrix', { ...matrix, access_token: 'two words here' }, 'Matrix access token must be printable characters without spaces'],
      ['matrix', { ...matrix, room_id: undefined }, 'Matrix room id is required'],
      [
        'matrix',
        { ...matrix, room_id: '#ops:example.org' },
        'Matrix room id must look like !abcdefgh:example.org (Room settings → Advanced), not a #alias'
      ],
      ['apprise', { key: 'k' }, 'Apprise API server URL is required'],
      ['apprise', { server_url: 'ftp://apprise', key: 'k' }, 'Apprise API server URL must be a valid http(s) URL'],
      ['apprise', { server_url: 'http://apprise.lan' }, 'Give either a configuration key (stateful) or Apprise URLs (stateless)'],
      ['apprise', { server_url: 'http://apprise.lan', key: 'k', urls: APPRISE_URLS }, 'Give a configuration key or Apprise URLs, not both'],
      ['apprise', { server_url: 'http://apprise.lan', key: '../admin' }, 'Apprise configuration key must be 1-128 letters, digits, _ or -']
    ]
    for (const [type, config, error] of cases) {
      const res = await create(type, config)
      t.same([res.statusCode, res.json()], [400, { error }], `${type}: ${error}`)
    }
  })

  t.test('secrets are sealed, masked in replies and kept when an update leaves them out', async (t) => {
    const telegram = await create('telegram', { bot_token: TELEGRAM_TOKEN, chat_id: '@patchmon_alerts', message_thread_id: 7 })
    t.equal(telegram.statusCode, 201)
    t.same(telegram.json().config, { has_bot_token: true, chat_id: '@patchmon_alerts', message_thread_id: 7 })
    t.equal(telegram.json().format, 'telegram')
    const pushover = await create('pushover', { app_token: PUSHOVER_TOKEN, user_key: PUSHOVER_USER, priority: -1 })
    t.same(pushover.json().config, { has_app_token: true, has_user_key: true, device: null, priority: -1 })
    const matrix = await create('matrix', {
      homeserver_url: 'https://matrix.example.org/',
      access_token: MATRIX_TOKEN,
      room_id: '!abc:example.org'
    })
    t.same(matrix.json().config, { homeserver_url: 'https://matrix.example.org', room_id: '!abc:example.org', has_access_token: true })
    const apprise = await create('apprise', { server_url: 'http://apprise.lan:8000', urls: APPRISE_URLS })
    t.same(apprise.json().config, { server_url: 'http://apprise.lan:8000', mode: 'stateless', key: null, tag: null, has_urls: true })
    for (const res of [telegram, pushover, matrix, apprise]) t.notMatch(res.body, SECRET_PATTERN)

    const moved = await update(telegram.json().id, { chat_id: '-1009876543210', message_thread_id: null })
    t.same(moved.json().config, { has_bot_token: true, chat_id: '-1009876543210', message_thread_id: null })
    const stored = await findDestination(ctx.store.db, ctx.app.secretBox, telegram.json().id)
    t.equal(stored?.config.bot_token, TELEGRAM_TOKEN, 'the token was kept')
    const roomChanged = await update(matrix.json().id, { room_id: '!other:example.org' })
    t.equal(roomChanged.json().config.has_access_token, true)
    t.equal((await findDestination(ctx.store.db, ctx.app.secretBox, matrix.json().id))?.config.access_token, MATRIX_TOKEN)
    const cleared = await update(pushover.json().id, { user_key: '' })
    t.same(
      [cleared.statusCode, cleared.json()],
      [400, { error: 'Pushover user or group key is required' }],
      'a required secret cannot be cleared'
    )

    const toStateful = await update(apprise.json().id, { key: 'patchmon', tag: 'ops' })
    t.same(toStateful.json().config, {
      server_url: 'http://apprise.lan:8000',
      mode: 'stateful',
      key: 'patchmon',
      tag: 'ops',
      has_urls: false
    })
    t.notOk((await findDestination(ctx.store.db, ctx.app.secretBox, apprise.json().id))?.config.urls, 'the URLs went with the switch')
    const tagOnly = await update(apprise.json().id, { tag: 'all' })
    t.match(tagOnly.json().config, { mode: 'stateful', key: 'patchmon', tag: 'all' })
    const backToUrls = await update(apprise.json().id, { key: '', urls: APPRISE_URLS })
    t.match(backToUrls.json().config, { mode: 'stateless', key: null, tag: null, has_urls: true })
    await expectNoSecretAnywhere(t, ctx)
  })

  t.test('the test-send route delivers through a preset and reports the outcome', async (t) => {
    ctx.app.notifications.endpoints.telegram = 'http://api.telegram.org'
    const id = await addPreset(ctx, 'telegram', { bot_token: TELEGRAM_TOKEN, chat_id: '42' }, 'Test me')
    ctx.receiver.script({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' })
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/test',
      headers: ctx.auth,
      payload: { destination_id: id }
    })
    t.equal(res.json().message, 'Test notification sent')
    const sent = ctx.receiver.requests.at(-1)!
    t.equal(sent.url, `http://api.telegram.org/bot${TELEGRAM_TOKEN}/sendMessage`)
    t.match(sent.json, {
      chat_id: '42',
      text: '<b>PatchMon test notification</b>\nThis is a test message from PatchMon notification settings.'
    })
    ctx.receiver.script({
      status: 401,
      headers: { 'content-type': 'application/json' },
      body: '{"ok":false,"error_code":401,"description":"Unauthorized"}'
    })
    const refused = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/test',
      headers: ctx.auth,
      payload: { destination_id: id }
    })
    t.equal(
      refused.json().message,
      'Test notification not delivered yet: HTTP 401: Unauthorized — the bot token was refused; copy it again from @BotFather'
    )
    t.notMatch(refused.body, SECRET_PATTERN)
  })
})
