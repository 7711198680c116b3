// Every event, through every provider, as the receiving service sees it on the wire.
import t from 'tap'
import { createHmac } from 'node:crypto'
import type { AppEventMap } from '../../src/events/app-events.js'
import { addDestination, addRule, buildNotificationTestApp, DISCORD_URL, GENERIC_URL, SLACK_URL } from './helpers/notification-test-app.js'
import { startSmtpReceiver } from './helpers/smtp-receiver.js'
import type { RecordedRequest } from './helpers/webhook-receiver.js'

type Sample = { [K in keyof AppEventMap]?: AppEventMap[K] }
const SAMPLES: Sample = {
  host_went_down: { hostId: 'h1', hostName: 'web01.example.com', lastUpdate: '2026-04-24T12:00:00.000Z', thresholdSeconds: 3900 },
  host_came_up: { hostId: 'h1', hostName: 'web01.example.com', downSince: '2026-04-24T12:00:00.000Z' },
  container_stopped: {
    hostId: 'h1',
    hostName: 'web01.example.com',
    container: 'nginx',
    image: 'nginx:1.27',
    oldStatus: 'running',
    newStatus: 'exited'
  },
  security_updates_available: {
    hostId: 'h1',
    hostName: 'web01.example.com',
    previousCount: 0,
    securityCount: 3,
    packages: ['openssl', 'libssl3', 'sudo']
  },
  user_tfa_disabled: { userId: 'u1', username: 'alice' },
  account_locked: { username: 'bob', ip: '203.0.113.7', failures: 5, lockedUntil: '2026-04-24T12:30:00.000Z' },
  user_role_changed: { userId: 'u1', username: 'alice', oldRole: 'user', newRole: 'admin' },
  host_enrolled: { hostId: 'h2', hostName: 'db01', tokenName: 'proxmox' },
  host_deleted: { hostId: 'h3', hostName: 'old01' },
  patch_window_upcoming: {
    scheduleId: 's1',
    scheduleName: 'Nightly security',
    targetType: 'host',
    targetName: 'web01.example.com',
    hostId: 'h1',
    runAt: '2026-04-25T00:30:00.000Z',
    minutesBefore: 30,
    scope: 'security'
  }
}

const EXPECTED: Record<string, { title: string; color: number; fields: string[] }> = {
  host_went_down: { title: 'Host Down: web01.example.com', color: 15105570, fields: ['Host', 'Last seen', 'Threshold'] },
  host_came_up: { title: 'Host Up: web01.example.com', color: 3447003, fields: ['Host', 'Status', 'Down since'] },
  container_stopped: {
    title: 'Container Stopped: nginx on web01.example.com',
    color: 16776960,
    fields: ['Host', 'Container', 'Image', 'Old status', 'New status']
  },
  security_updates_available: {
    title: 'Security Updates Available: web01.example.com',
    color: 16776960,
    fields: ['Host', 'Security updates', 'Previously', 'Packages']
  },
  user_tfa_disabled: { title: 'Two-Factor Authentication Disabled: alice', color: 16776960, fields: ['User'] },
  account_locked: { title: 'Account Locked: bob', color: 16776960, fields: ['User', 'IP address', 'Failed attempts', 'Locked until'] },
  user_role_changed: { title: 'User Role Changed: alice', color: 3447003, fields: ['User', 'Old role', 'New role'] },
  host_enrolled: { title: 'Host Enrolled: db01', color: 3447003, fields: ['Host', 'Token'] },
  host_deleted: { title: 'Host Deleted: old01', color: 3447003, fields: ['Host'] },
  patch_window_upcoming: { title: 'Patching Soon: Nightly security', color: 3447003, fields: ['Host', 'Runs at', 'Updates'] }
}

t.test('every event reaches Discord, Slack, generic webhooks, ntfy, Gotify and e-mail in their formats', async (t) => {
  const smtp = await startSmtpReceiver()
  t.teardown(() => smtp.close())
  const ctx = await buildNotificationTestApp(t)
  const byHost = (host: string) => ctx.receiver.requests.filter((r) => r.url.startsWith(`http://${host}/`))
  for (const id of [
    await addDestination(ctx, DISCORD_URL, {}, 'Discord'),
    await addDestination(ctx, SLACK_URL, {}, 'Slack'),
    await addDestination(ctx, GENERIC_URL, { signing_secret: 'shared-secret', headers: { 'X-Team': 'ops' } }, 'Generic')
  ])
    await addRule(ctx, id)
  for (const [type, config] of [
    ['ntfy', { server_url: 'http://ntfy.example', topic: 'pm', token: 'tk_ntfy' }],
    ['gotify', { server_url: 'http://gotify.example/', app_token: 'gotify-token' }],
    ['email', { host: '127.0.0.1', port: smtp.port, tls_mode: 'none', from: 'patchmon@example.com', to: ['ops@example.com'] }]
  ] as const) {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/destinations',
      headers: ctx.auth,
      payload: { channel_type: type, display_name: type, config }
    })
    t.equal(res.statusCode, 201, `${type} destination created`)
    await addRule(ctx, res.json().id)
  }

  for (const [name, payload] of Object.entries(SAMPLES)) ctx.app.events.emit(name as keyof AppEventMap, payload as never)
  await ctx.app.notifications.settle()
  const events = Object.keys(SAMPLES)

  const discord = byHost('discord.com')
  t.equal(discord.length, events.length, 'one Discord request per event')
  type Embeds = { embeds: Array<{ title: string }> }
  const discordFor = (event: string) => discord.find((r) => (r.json as Embeds).embeds[0]!.title === EXPECTED[event]!.title)
  for (const event of events) {
    const expected = EXPECTED[event]!
    const req = discordFor(event)
    if (!req) {
      t.fail(`no Discord request for ${event}`)
      continue
    }
    const body = req.json as {
      username: string
      allowed_mentions: unknown
      embeds: Array<{
        title: string
        description: string
        color: number
        fields: Array<{ name: string }>
        footer: { text: string }
        timestamp: string
      }>
    }
    t.equal(req.url, DISCORD_URL, 'posted to the webhook path through the proxy')
    t.equal(req.headers['user-agent'], 'PatchMon-Appliance/0.1.0')
    t.same(body.allowed_mentions, { parse: [] })
    t.equal(body.embeds[0]!.title, expected.title)
    t.equal(body.embeds[0]!.color, expected.color, `${event} colour`)
    t.same(
      body.embeds[0]!.fields.map((f) => f.name),
      expected.fields,
      `${event} fields`
    )
    t.equal(body.embeds[0]!.footer.text, 'PatchMon')
    t.ok(body.embeds[0]!.description.length > 10)
  }
  const stopped = (discordFor('container_stopped')!.json as { embeds: Array<{ fields: Array<{ value: string }> }> }).embeds[0]!.fields.map(
    (f) => f.value
  )
  t.same(stopped, ['web01.example.com', 'nginx', 'nginx:1.27', 'running', 'exited'])

  const slack = byHost('hooks.slack.com')
  t.equal(slack.length, events.length)
  const slackDown = slack.find((r) => (r.json as { text: string }).text.includes('Host Down'))!.json as {
    text: string
    username: string
    icon_emoji: string
  }
  t.match(slackDown.text, /^🟠 \*Host Down: web01\.example\.com\*/)
  t.match(slackDown.text, /\*Last seen:\* 2026-04-24T12:00:00.000Z/)
  t.equal(slackDown.username, 'PatchMon')

  const generic = byHost('hooks.example.net')
  t.equal(generic.length, events.length)
  for (const req of generic) {
    const body = req.json as { title: string; message: string; severity: string }
    t.type(body.title, 'string')
    t.type(body.message, 'string')
    t.type(body.severity, 'string')
    const expected = `sha256=${createHmac('sha256', 'shared-secret').update(req.body).digest('hex')}`
    t.equal(req.headers['x-patchmon-signature'], expected, 'HMAC over the exact body verifies')
    t.equal(req.headers['x-team'], 'ops', 'custom header applied')
  }
  t.same(generic.map((r) => (r.json as { event_type: string }).event_type).sort(), [...events].sort())
  const genericIds = generic.map((r) => r.headers['x-patchmon-delivery'])
  const genericRows = await ctx.store.db.selectFrom('notification_deliveries').select('id').execute()
  t.equal(new Set(genericIds).size, events.length, 'each generic webhook request names its own delivery')
  for (const id of genericIds)
    t.ok(
      genericRows.some((row) => row.id === id),
      `X-PatchMon-Delivery ${String(id)} is a delivery row`
    )

  const ntfy = byHost('ntfy.example')
  t.equal(ntfy.length, events.length)
  const ntfyDown = ntfy.find((r) => (r.json as { title: string }).title.startsWith('Host Down'))!
  t.same([ntfyDown.url, ntfyDown.headers.authorization], ['http://ntfy.example/', 'Bearer tk_ntfy'])
  t.match(ntfyDown.json, { topic: 'pm', title: 'Host Down: web01.example.com', priority: 4, tags: ['host_went_down'] })

  const gotify = byHost('gotify.example')
  t.equal(gotify.length, events.length)
  const gotifyDown = gotify.find((r) => (r.json as { title: string }).title.startsWith('Host Down'))!
  t.same([gotifyDown.url, gotifyDown.headers['x-gotify-key']], ['http://gotify.example/message', 'gotify-token'])
  t.match(gotifyDown.json, { title: 'Host Down: web01.example.com', priority: 8 })

  t.equal(smtp.mails.length, events.length)
  t.ok(smtp.mails.some((m) => m.data.includes('Subject: Host Down: web01.example.com')))
  t.ok(smtp.mails.every((m) => m.to.some((rcpt) => rcpt.includes('ops@example.com'))))

  const log = await ctx.app.inject({ method: 'GET', url: '/api/v1/notifications/delivery-log?limit=500', headers: ctx.auth })
  const rows = log.json().deliveries as Array<{ status: string }>
  t.equal(rows.length, events.length * 6)
  t.ok(
    rows.every((r) => r.status === 'sent'),
    'every delivery logged as sent'
  )
  t.notOk(
    ctx.logs.some((l) => /secretTOKEN|slackSECRET|genericSECRET|shared-secret|tk_ntfy|gotify-token/.test(l)),
    'no URL or secret in the server log'
  )
})

t.test('host names cannot ping @everyone and Slack text is escaped', async (t) => {
  const ctx = await buildNotificationTestApp(t)
  await addRule(ctx, await addDestination(ctx, DISCORD_URL))
  await addRule(ctx, await addDestination(ctx, SLACK_URL, {}, 'Slack'))
  ctx.app.events.emit('host_deleted', { hostId: 'x', hostName: '@everyone <!channel> & co' })
  await ctx.app.notifications.settle()
  const [discord, slack] = [
    ctx.receiver.requests.find((r) => r.url.includes('discord')),
    ctx.receiver.requests.find((r) => r.url.includes('slack'))
  ] as RecordedRequest[]
  t.same((discord!.json as { allowed_mentions: unknown }).allowed_mentions, { parse: [] })
  t.match((slack!.json as { text: string }).text, '@everyone &lt;!channel&gt; &amp; co')
})
