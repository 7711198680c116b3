// The "done when" journey: add a Discord webhook, add a rule, stop an agent, see one
// "Host Down" embed after the grace period and one "Host Up" when it returns — across a restart.
// The second test walks it with the real agent path (POST /api/v1/hosts/ping); the first drives
// every timestamp explicitly.
import t from 'tap'
import { agentHeaders, createHostViaApi } from '../helpers/agent-fixtures.js'
import { buildNotificationTestApp, DISCORD_URL, insertHost, type NotificationTestApp } from './helpers/notification-test-app.js'
import { HOST_DOWN_TIMER } from '../../src/notifications/notifications-plugin.js'

const MINUTE = 60_000

function setClock(ctx: NotificationTestApp, at: Date) {
  ctx.app.notifications.now = () => at
}

async function checkIn(ctx: NotificationTestApp, hostId: string, at: Date) {
  await ctx.store.db.updateTable('hosts').set({ last_update: at.toISOString(), status: 'active' }).where('id', '=', hostId).execute()
}

async function tick(ctx: NotificationTestApp, at: Date) {
  setClock(ctx, at)
  await ctx.app.timers.runNow(HOST_DOWN_TIMER)
  await ctx.app.notifications.settle()
}

const titles = (ctx: NotificationTestApp) =>
  ctx.receiver.requests.map((r) => (r.json as { embeds: Array<{ title: string }> }).embeds[0]!.title)

t.test('a stopped agent gives one Host Down after the grace period and one Host Up when it returns', async (t) => {
  let ctx = await buildNotificationTestApp(t)
  await ctx.app.settings.set('update_interval', 60)
  await ctx.app.settings.set('host_down_grace_minutes', 5)
  const dest = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/notifications/destinations',
    headers: ctx.auth,
    payload: { channel_type: 'webhook', display_name: 'Ops Discord', config: { url: DISCORD_URL } }
  })
  t.equal(dest.json().format, 'discord')
  const rule = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/notifications/routes',
    headers: ctx.auth,
    payload: {
      destination_id: dest.json().id,
      event_types: [
        'host_went_down',
        'host_came_up',
        'container_stopped',
        'security_updates_available',
        'user_tfa_disabled',
        'account_locked'
      ]
    }
  })
  t.equal(rule.statusCode, 201)

  const t0 = new Date('2026-06-01T10:00:00.000Z')
  const web01 = await insertHost(ctx, 'web01.example.com', t0)
  const blip = await insertHost(ctx, 'blip01', t0)
  await insertHost(ctx, 'never-reported', null)

  await tick(ctx, t0) // the server starts watching
  await tick(ctx, new Date(t0.getTime() + 60 * MINUTE))
  t.same(titles(ctx), [], 'on schedule: nothing')
  // blip01 is late by less than the grace period, then reports.
  await tick(ctx, new Date(t0.getTime() + 64 * MINUTE))
  await checkIn(ctx, blip, new Date(t0.getTime() + 64 * MINUTE))
  t.same(titles(ctx), [], 'a report late by less than the grace period pages nobody')

  // web01's agent is stopped: silent past interval + grace.
  await tick(ctx, new Date(t0.getTime() + 66 * MINUTE))
  t.same(titles(ctx), ['Host Down: web01.example.com'])
  const down = ctx.receiver.requests[0]!
  t.equal(down.url, DISCORD_URL)
  t.match(down.json, {
    embeds: [
      {
        color: 15105570,
        footer: { text: 'PatchMon' },
        fields: [
          { name: 'Host', value: 'web01.example.com' },
          { name: 'Last seen', value: t0.toISOString() },
          { name: 'Threshold', value: '65 min' }
        ]
      }
    ]
  })

  await tick(ctx, new Date(t0.getTime() + 90 * MINUTE))
  t.equal(ctx.receiver.requests.length, 1, 'still down: no repeat')

  ctx = await ctx.restartNotifications()
  await tick(ctx, new Date(t0.getTime() + 100 * MINUTE))
  t.equal(ctx.receiver.requests.length, 1, 'the restart neither repeats Host Down nor forgets it')

  const back = new Date(t0.getTime() + 120 * MINUTE)
  await checkIn(ctx, web01, back)
  await checkIn(ctx, blip, back)
  await tick(ctx, back)
  t.same(
    titles(ctx),
    ['Host Down: web01.example.com', 'Host Up: web01.example.com'],
    'one Host Up, and none for the host that never went down'
  )
  await tick(ctx, new Date(back.getTime() + MINUTE))
  t.equal(ctx.receiver.requests.length, 2)

  const log = await ctx.app.inject({ method: 'GET', url: '/api/v1/notifications/delivery-log', headers: ctx.auth })
  t.same(
    log.json().deliveries.map((d: { event_type: string; status: string }) => `${d.event_type}:${d.status}`),
    ['host_came_up:sent', 'host_went_down:sent']
  )
})

t.test('the threshold follows the update interval and grace settings', async (t) => {
  const ctx = await buildNotificationTestApp(t)
  await ctx.app.settings.set('update_interval', 5)
  await ctx.app.settings.set('host_down_grace_minutes', 2)
  const t0 = new Date('2026-06-01T10:00:00.000Z')
  const host = await insertHost(ctx, 'fast01', t0)
  const events: string[] = []
  ctx.app.events.on('host_went_down', (p) => void events.push(`${p.hostId}:${p.thresholdSeconds}`))
  await tick(ctx, t0)
  await tick(ctx, new Date(t0.getTime() + 7 * MINUTE))
  t.same(events, [], 'exactly interval + grace is not yet down')
  await tick(ctx, new Date(t0.getTime() + 7 * MINUTE + 1000))
  t.same(events, [`${host}:420`])
})

t.test('after the server itself was down, hosts get a full interval + grace to report before any alert', async (t) => {
  const ctx = await buildNotificationTestApp(t)
  await ctx.app.settings.set('update_interval', 60)
  await ctx.app.settings.set('host_down_grace_minutes', 5)
  const t0 = new Date('2026-06-01T10:00:00.000Z')
  const quiet = await insertHost(ctx, 'quiet01', t0)
  const reporting = await insertHost(ctx, 'reporting01', t0)
  const events: string[] = []
  ctx.app.events.on('host_went_down', (p) => void events.push(p.hostName))
  // The server comes back three hours after both hosts last reported.
  const start = new Date(t0.getTime() + 180 * MINUTE)
  await tick(ctx, start)
  t.same(events, [], 'no page at start-up for silence the server could not observe')
  await checkIn(ctx, reporting, new Date(start.getTime() + 10 * MINUTE))
  await tick(ctx, new Date(start.getTime() + 66 * MINUTE))
  t.same(events, ['quiet01'], 'only the host that stayed silent while watched')
  const states = await ctx.store.db.selectFrom('host_alert_states').select('host_id').execute()
  t.same(
    states.map((s) => s.host_id),
    [quiet],
    'alert state kept for the silent host only'
  )
})

t.test('journey through the real agent ping: stop the agent, one Host Down; it pings again, one Host Up', async (t) => {
  let ctx = await buildNotificationTestApp(t)
  await ctx.app.settings.set('update_interval', 60)
  await ctx.app.settings.set('host_down_grace_minutes', 5)
  const dest = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/notifications/destinations',
    headers: ctx.auth,
    payload: { channel_type: 'webhook', display_name: 'Ops Discord', config: { url: DISCORD_URL } }
  })
  await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/notifications/routes',
    headers: ctx.auth,
    payload: { destination_id: dest.json().id, event_types: ['host_went_down', 'host_came_up'] }
  })
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web01.example.com')
  const ping = () => ctx.app.inject({ method: 'POST', url: '/api/v1/hosts/ping', headers: agentHeaders(host), payload: '' })
  t.equal((await ping()).statusCode, 200)

  // The server has been watching for 70 minutes; the agent was stopped right after its ping.
  const now = Date.now()
  await tick(ctx, new Date(now - 70 * MINUTE))
  await tick(ctx, new Date(now))
  t.same(titles(ctx), [], 'a fresh ping: nothing')
  // 66 minutes pass without a ping (interval 60 + grace 5): age the stored report instead of waiting.
  await checkIn(ctx, host.id, new Date(now - 66 * MINUTE))
  await tick(ctx, new Date(now))
  t.same(titles(ctx), ['Host Down: web01.example.com'])
  await tick(ctx, new Date(now + MINUTE))
  t.equal(ctx.receiver.requests.length, 1, 'one Host Down, not one per check')

  ctx = await ctx.restartNotifications()
  await tick(ctx, new Date(now + 2 * MINUTE))
  t.equal(ctx.receiver.requests.length, 1, 'no repeat after a restart')

  // The agent is started again and pings.
  t.equal((await ping()).statusCode, 200)
  await tick(ctx, new Date())
  t.same(titles(ctx), ['Host Down: web01.example.com', 'Host Up: web01.example.com'])
  const log = await ctx.app.inject({
    method: 'GET',
    url: '/api/v1/notifications/delivery-log?destination_id=' + dest.json().id,
    headers: ctx.auth
  })
  t.same(
    log
      .json()
      .deliveries.map((d: { event_type: string; status: string }) => `${d.event_type}:${d.status}`)
      .sort(),
    ['host_came_up:sent', 'host_went_down:sent']
  )
})
