// Trends in a real browser (Debian's chromium): the overview draws the fleet's daily lines and the
// mean-time-to-patch table per host group, the host page's Trends tab draws that host's lines.
// The figures come from reports sent to the real agent endpoint and daily snapshots on moved days.
import t from 'tap'
import { ADMIN_PASSWORD } from '../helpers/test-app.js'
import { ensureDashboardBuilt } from '../helpers/dashboard-build.js'
import { chromiumMissing, startBrowserSession } from '../helpers/browser-session.js'
import { group, host, report, setClock, tick } from '../trends/trend-fixtures.js'

ensureDashboardBuilt()

t.test('trend charts on the overview and the host page', { skip: chromiumMissing, timeout: 180_000 }, async (t) => {
  const s = await startBrowserSession(t)
  const { page, base, ctx } = s
  const web = await group(ctx, 'web-servers')
  const h = await host(ctx, 'trend-web-1', [web])
  const days: Array<[string, number, string[]]> = [
    ['2026-09-01', 9, ['openssl', 'curl']],
    ['2026-09-02', 7, ['openssl']],
    ['2026-09-03', 7, ['openssl']],
    ['2026-09-04', 3, []]
  ]
  for (const [day, outdated, security] of days) {
    setClock(ctx, `${day}T06:00:00Z`)
    await report(ctx, h, outdated, security)
    await tick(ctx)
  }

  await page.goto(`${base}/login`)
  await page.getByLabel('Username or e-mail').fill('admin')
  await page.getByLabel('Password').fill(ADMIN_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${base}/`)

  await t.test('overview: the fleet chart and mean time to patch per group', async (t) => {
    const panel = page.getByRole('region', { name: 'Fleet trends' })
    await panel.locator('[data-trend-chart] canvas').waitFor()
    t.match(await panel.getByTestId('fleet-trend-latest').innerText(), /2026-09-04: 1 hosts · 3 outdated · 0 security/)
    const legend = await panel.locator('.u-legend').innerText()
    t.match(legend, /Outdated packages/)
    t.match(legend, /Security updates/)
    t.notMatch(legend, /CVEs open/, 'no CVE source: no CVE line')
    const table = panel.getByRole('table', { name: 'Mean time to patch per host group' })
    const all = table.getByRole('row').filter({ hasText: 'All hosts' })
    await all.waitFor()
    // curl: 1 day (24 h), openssl: 3 days (72 h) -> mean 48 h = 2.0 d, median 48 h.
    t.match(await all.innerText(), /All hosts\s+2\s+2\.0 d\s+2\.0 d\s+0/)
    t.match(await table.getByRole('row').filter({ hasText: 'web-servers' }).innerText(), /web-servers\s+2\s+2\.0 d/)
    await s.shot('trends-overview')
  })

  await t.test("host page: the Trends tab draws this host's lines", async (t) => {
    await page.goto(`${base}/hosts/${h.id}`)
    await page.getByRole('heading', { level: 1, name: 'trend-web-1' }).waitFor()
    await page.getByRole('tab', { name: 'Trends' }).click()
    await page.locator('[role="tabpanel"] [data-trend-chart] canvas').waitFor()
    t.match(await page.getByTestId('host-trend-latest').innerText(), /2026-09-04: 3 outdated · 0 security · CVEs open —/)
    t.match(await page.getByRole('tabpanel').innerText(), /Last patched:/)
    await s.shot('trends-host')
  })

  t.same(s.consoleErrors, [], 'no script errors')
})
