// A forward step of the wall clock (VM resumed, NTP step) must not page "host down" for the
// whole fleet (issue 15, item 23). The host-down check gets an injected wall clock and monotonic
// clock; the wall clock jumps two hours while the monotonic one moves a minute.
import t from 'tap'
import { buildTestApp, type TestApp } from '../helpers/test-app.js'
import { createHost } from '../../src/hosts/host-service.js'
import { checkHostsDown } from '../../src/notifications/host-down-monitor.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

async function hostReportedAt(ctx: TestApp, name: string, at: number): Promise<string> {
  const { host } = await createHost(ctx.store.db, { friendlyName: name })
  await reportAt(ctx, host.id, at)
  return host.id
}

async function reportAt(ctx: TestApp, hostId: string, at: number): Promise<void> {
  await ctx.store.db
    .updateTable('hosts')
    .set({ last_update: new Date(at).toISOString(), status: 'active' })
    .where('id', '=', hostId)
    .execute()
}

t.test('a forward clock step pages nobody; a host that really stops still goes down', async (t) => {
  const ctx = await buildTestApp(t)
  await ctx.app.settings.set('update_interval', 5)
  await ctx.app.settings.set('host_down_grace_minutes', 5)
  const wall0 = Date.parse('2026-06-01T10:00:00.000Z')
  const mono0 = 1_000_000
  const fleet = await Promise.all(['web01', 'web02', 'db01'].map((n) => hostReportedAt(ctx, n, wall0)))
  const watchingSince = new Date(wall0)
  const check = (wall: number, mono: number) =>
    checkHostsDown(ctx.store.db, ctx.app.settings, ctx.app.events, new Date(wall), watchingSince, mono)

  // Watching for 20 minutes of real time with agents reporting every 5 minutes.
  for (let m = 0; m <= 20; m += 5) {
    for (const id of fleet) await reportAt(ctx, id, wall0 + m * MINUTE)
    t.same((await check(wall0 + m * MINUTE, mono0 + m * MINUTE)).wentDown, [], `minute ${m}: all reporting`)
  }

  // The wall clock steps two hours forward while one minute passes.
  const stepped = wall0 + 21 * MINUTE + 2 * HOUR
  t.same((await check(stepped, mono0 + 21 * MINUTE)).wentDown, [], 'the clock step pages nobody')

  // Agents report again (their own clocks, or the server's stepped one, give new timestamps);
  // db01 has really stopped.
  const [web01, web02, db01] = fleet as [string, string, string]
  for (let m = 1; m <= 12; m++) {
    await reportAt(ctx, web01, stepped + m * MINUTE)
    await reportAt(ctx, web02, stepped + m * MINUTE)
    const result = await check(stepped + m * MINUTE, mono0 + (21 + m) * MINUTE)
    if (m < 10) t.same(result.wentDown, [], `minute ${m} after the step: db01 is silent for less than interval + grace`)
    else if (m === 10) t.same(result.wentDown, [db01], 'db01, silent for interval + grace of real time, goes down; the others do not')
  }
})

t.test('the restart guard counts monotonic time: a clock step right after a start pages nobody', async (t) => {
  const ctx = await buildTestApp(t)
  await ctx.app.settings.set('update_interval', 5)
  await ctx.app.settings.set('host_down_grace_minutes', 5)
  const wall0 = Date.parse('2026-06-01T10:00:00.000Z')
  // The server was down for an hour: nobody could report.
  const id = await hostReportedAt(ctx, 'web01', wall0 - HOUR)
  const watchingSince = new Date(wall0)
  const mono0 = 5_000
  const check = (wall: number, mono: number) =>
    checkHostsDown(ctx.store.db, ctx.app.settings, ctx.app.events, new Date(wall), watchingSince, mono)
  t.same((await check(wall0, mono0)).wentDown, [], 'just started: watching for less than interval + grace')
  t.same((await check(wall0 + 3 * HOUR, mono0 + MINUTE)).wentDown, [], 'a 3-hour step one minute after start is not 3 hours of watching')
  t.same(
    (await check(wall0 + 3 * HOUR + 10 * MINUTE, mono0 + 11 * MINUTE)).wentDown,
    [id],
    'after interval + grace of real watching, the silent host is down'
  )
})
