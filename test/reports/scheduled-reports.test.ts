// Scheduled reports: validation, on-time weekly delivery with its CSV as a Discord file upload,
// run-now, a run missed while the server was down sent once, and the schedule surviving restarts.
import t from 'tap'
process.env.TZ = 'Europe/Berlin'
import {
  addDestination,
  buildNotificationTestApp,
  DISCORD_URL,
  GENERIC_URL,
  insertHost,
  type NotificationTestApp
} from '../notifications/helpers/notification-test-app.js'
import { REPORT_SCHEDULER_TIMER } from '../../src/reports/reports-plugin.js'

const url = '/api/v1/notifications/scheduled-reports'

async function seedFleet(ctx: NotificationTestApp) {
  const db = ctx.store.db
  const web = await insertHost(ctx, 'web01', new Date())
  const db1 = await insertHost(ctx, 'db01', new Date())
  await db.updateTable('hosts').set({ outdated_packages: 12, security_updates: 3 }).where('id', '=', web).execute()
  await db.updateTable('hosts').set({ outdated_packages: 4, security_updates: 1 }).where('id', '=', db1).execute()
  const now = new Date().toISOString()
  await db
    .insertInto('packages')
    .values([
      { id: 'p1', name: 'openssl', description: null, category: null, created_at: now },
      { id: 'p2', name: 'sudo', description: null, category: null, created_at: now }
    ])
    .execute()
  await db
    .insertInto('host_packages')
    .values([
      {
        host_id: web,
        package_id: 'p1',
        current_version: '1',
        available_version: '2',
        needs_update: 1,
        is_security_update: 1,
        last_checked: now
      },
      {
        host_id: db1,
        package_id: 'p1',
        current_version: '1',
        available_version: '2',
        needs_update: 1,
        is_security_update: 1,
        last_checked: now
      },
      {
        host_id: web,
        package_id: 'p2',
        current_version: '1',
        available_version: '2',
        needs_update: 1,
        is_security_update: 1,
        last_checked: now
      }
    ])
    .execute()
  await db.insertInto('host_alert_states').values({ host_id: db1, down_since: '2026-06-01T09:00:00.000Z', notified_at: now }).execute()
}

async function tick(ctx: NotificationTestApp, at: string) {
  ctx.app.notifications.now = () => new Date(at)
  await ctx.app.timers.runNow(REPORT_SCHEDULER_TIMER)
  await ctx.app.notifications.settle()
}

t.test('scheduled reports', async (t) => {
  let ctx = await buildNotificationTestApp(t)
  await seedFleet(ctx)
  const discord = await addDestination(ctx, DISCORD_URL, {}, 'Discord')
  const generic = await addDestination(ctx, GENERIC_URL, {}, 'Generic')
  // Sunday 2026-06-07 12:00 Berlin.
  ctx.app.notifications.now = () => new Date('2026-06-07T10:00:00Z')

  t.test('bad schedules are rejected with a sentence', async (t) => {
    const base = { name: 'Weekly', frequency: 'weekly', days: [1], time: '08:00', sections: ['open_alerts'], destination_ids: [discord] }
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ days: [] }, 'days is required for weekly reports (0-6, Sunday = 0)'],
      [{ time: '8am' }, 'time must be HH:MM (24-hour)'],
      [{ frequency: 'hourly' }, 'frequency must be one of daily, weekdays, weekly, monthly'],
      [{ frequency: 'monthly' }, 'day_of_month is required for monthly reports (1-31 or "last")'],
      [{ day_of_month: 32, frequency: 'monthly' }, 'day_of_month must be 1-31 or "last"'],
      [{ sections: ['weather'] }, 'sections must list one or more of open_alerts, hosts_by_updates, top_security_packages, top_cves'],
      [{ destination_ids: [] }, 'Choose at least one destination'],
      [{ destination_ids: ['ghost'] }, 'Destination not found'],
      [{ name: '' }, 'Report name is required']
    ]
    for (const [change, error] of cases) {
      const res = await ctx.app.inject({ method: 'POST', url, headers: ctx.auth, payload: { ...base, ...change } })
      t.same([res.statusCode, res.json()], [400, { error }], error)
    }
  })

  let weeklyId = ''
  t.test('a weekly report arrives on time with its CSV uploaded as a Discord file', async (t) => {
    const res = await ctx.app.inject({
      method: 'POST',
      url,
      headers: ctx.auth,
      payload: {
        name: 'Weekly fleet',
        frequency: 'weekly',
        days: [1],
        time: '08:00',
        sections: ['open_alerts', 'hosts_by_updates', 'top_security_packages'],
        destination_ids: [discord, generic],
        attach_csv: true
      }
    })
    t.equal(res.statusCode, 201)
    weeklyId = res.json().id
    t.match(res.json(), {
      frequency: 'weekly',
      days: [1],
      day_of_month: null,
      time: '08:00',
      timezone: 'Europe/Berlin',
      attach_csv: true,
      enabled: true,
      next_run_at: '2026-06-08T06:00:00.000Z',
      last_run_at: null
    })

    await tick(ctx, '2026-06-08T05:59:00Z')
    t.equal(ctx.receiver.requests.length, 0, 'not before Monday 08:00 Berlin')
    await tick(ctx, '2026-06-08T06:00:00Z')
    t.equal(ctx.receiver.requests.length, 2)
    const upload = ctx.receiver.requests.find((r) => r.url === DISCORD_URL)!
    t.match(String(upload.headers['content-type']), /^multipart\/form-data; boundary=/)
    const parts = upload.parts ?? []
    t.same(
      parts.map((p) => p.name),
      ['payload_json', 'files[0]']
    )
    const payload = JSON.parse(parts[0]!.content)
    t.match(payload, {
      username: 'PatchMon',
      allowed_mentions: { parse: [] },
      embeds: [{ title: 'PatchMon Report: Weekly fleet', footer: { text: 'PatchMon' }, color: 3447003 }],
      attachments: [{ id: 0, filename: 'patchmon-report-2026-06-08.csv' }]
    })
    const description: string = payload.embeds[0].description
    t.notMatch(description, /<[a-z/]/, 'tags stripped')
    t.match(description, /Open alerts\n+db01: down since 2026-06-01T09:00:00.000Z/)
    t.match(description, /Hosts by outstanding updates\n+web01: 12 updates, 3 security\ndb01: 4 updates, 1 security/)
    t.match(description, /Top outdated security packages\n+openssl: 2 hosts\nsudo: 1 host/)
    t.equal(parts[1]!.filename, 'patchmon-report-2026-06-08.csv')
    t.equal(
      parts[1]!.content,
      [
        'section,metric,value',
        'open_alerts,db01,2026-06-01T09:00:00.000Z',
        'hosts_by_updates,web01,12|3',
        'hosts_by_updates,db01,4|1',
        'top_security_package,openssl,2',
        'top_security_package,sudo,1',
        ''
      ].join('\n')
    )

    const plain = ctx.receiver.requests.find((r) => r.url.startsWith('http://hooks.example.net/'))!
    t.match(plain.json, {
      title: 'PatchMon Report: Weekly fleet',
      severity: 'informational',
      kind: 'scheduled_report',
      csv: /^section,metric,value\n/,
      html: /<h2>Open alerts<\/h2>/
    })

    const view = (await ctx.app.inject({ method: 'GET', url, headers: ctx.auth })).json()[0]
    t.match(view, { next_run_at: '2026-06-15T06:00:00.000Z', last_run_at: '2026-06-08T06:00:00.000Z' })
    await tick(ctx, '2026-06-08T06:01:00Z')
    t.equal(ctx.receiver.requests.length, 2, 'sent once')
    const log = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/notifications/delivery-log?event_type=scheduled_report',
      headers: ctx.auth
    })
    t.same(
      log.json().deliveries.map((d: { status: string; reference_id: string }) => [d.status, d.reference_id]),
      [
        ['sent', weeklyId],
        ['sent', weeklyId]
      ]
    )
  })

  t.test('a run missed while the server was down is sent once on start, and the schedule survives restarts', async (t) => {
    ctx = await ctx.restartNotifications()
    const before = ctx.receiver.requests.length
    // Three Mondays were missed.
    await tick(ctx, '2026-07-01T10:00:00Z')
    t.equal(ctx.receiver.requests.length, before + 2, 'one run (two destinations), not three')
    const view = (await ctx.app.inject({ method: 'GET', url, headers: ctx.auth })).json()[0]
    t.equal(view.next_run_at, '2026-07-06T06:00:00.000Z')
  })

  t.test('run-now sends immediately without moving the schedule; updates recompute the next run', async (t) => {
    const before = ctx.receiver.requests.length
    const res = await ctx.app.inject({ method: 'POST', url: `${url}/${weeklyId}/run-now`, headers: ctx.auth })
    t.equal(res.statusCode, 202)
    t.equal(res.json().delivery_ids.length, 2)
    await ctx.app.notifications.settle()
    t.equal(ctx.receiver.requests.length, before + 2)
    const upd = await ctx.app.inject({
      method: 'PUT',
      url: `${url}/${weeklyId}`,
      headers: ctx.auth,
      payload: { frequency: 'monthly', day_of_month: 'last', time: '18:30', destination_ids: [generic] }
    })
    t.equal(upd.statusCode, 200)
    t.match(upd.json(), {
      frequency: 'monthly',
      day_of_month: 'last',
      days: [],
      next_run_at: '2026-07-31T16:30:00.000Z',
      destination_ids: [generic]
    })
    const off = await ctx.app.inject({ method: 'PUT', url: `${url}/${weeklyId}`, headers: ctx.auth, payload: { enabled: false } })
    t.match(off.json(), { enabled: false, next_run_at: null })
    t.equal((await ctx.app.inject({ method: 'POST', url: `${url}/nope/run-now`, headers: ctx.auth })).statusCode, 404)
    t.same((await ctx.app.inject({ method: 'DELETE', url: `${url}/${weeklyId}`, headers: ctx.auth })).json(), {
      message: 'Scheduled report deleted successfully'
    })
  })
})
