// Issue 20's two dashboard gaps in a real browser (Debian's chromium): the Packages screen's open-CVE
// column (blank before any feed, the count and the known-exploited flag after, linking to the
// Vulnerabilities screen), and the Vulnerabilities screen's "Feed download" form: a bad URL is refused
// next to its field, good settings are saved (read back through GET /api/v1/settings), and "Download
// now" fetches the feeds from a loopback server (allowed by PATCHMON_NOTIFY_ALLOWED_TARGETS=127.0.0.1,
// which the browser session sets) and shows each URL's outcome.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ADMIN_PASSWORD, bearer } from '../helpers/test-app.js'
import { ensureDashboardBuilt } from '../helpers/dashboard-build.js'
import { chromiumMissing, startBrowserSession } from '../helpers/browser-session.js'
import { agentReport, createHostViaApi, postReport } from '../helpers/agent-fixtures.js'
import { feedFolder } from '../vulnerabilities/feeds/feed-files.js'
import { DEBIAN_PACKAGES, writeKevJson, writeOsvZip } from '../vulnerabilities/vulnerability-fixtures.js'

ensureDashboardBuilt()

t.test('packages CVE column and the feed download form', { skip: chromiumMissing, timeout: 240_000 }, async (t) => {
  const s = await startBrowserSession(t)
  const { page, base, ctx } = s
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'deb-web')
  const report = await postReport(ctx, host, agentReport(DEBIAN_PACKAGES, { osType: 'Debian GNU/Linux', osVersion: '12 (bookworm)' }))
  t.equal(report.statusCode, 200, 'the host reported its packages')
  await ctx.app.vulnerabilityExposure.settled()

  // The feeds, served on loopback.
  const dir = feedFolder(t)
  const files: Record<string, Buffer> = {
    '/all.zip': readFileSync(await writeOsvZip(dir)),
    '/kev.json': readFileSync(writeKevJson(dir, ['CVE-2024-6387']))
  }
  // With an ETag, so a second round asks conditionally; `hold` delays the zip to observe the busy state.
  let hold: Promise<void> | undefined
  const server = createServer((req, res) => {
    const body = files[req.url ?? '']
    if (!body) return void res.writeHead(404).end()
    const etag = `"${body.length}"`
    void (req.url === '/all.zip' && hold ? hold : Promise.resolve()).then(() => {
      if (req.headers['if-none-match'] === etag) res.writeHead(304, { etag }).end()
      else res.writeHead(200, { etag, 'content-length': body.length }).end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const feedBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  await page.goto(`${base}/login`)
  await page.getByLabel('Username or e-mail').fill('admin')
  await page.getByLabel('Password').fill(ADMIN_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${base}/`)

  const packages = page.getByRole('table', { name: 'Packages' })
  const packageRow = (name: string) => packages.locator('tbody tr').filter({ has: page.getByRole('link', { name, exact: true }) })
  const cveCell = (name: string) => packageRow(name).locator('td').nth(4)

  await t.test('before any feed the CVE column is blank, not 0', async (t) => {
    await page.goto(`${base}/packages?updates=all`)
    await packageRow('openssh').waitFor()
    // The counts have answered (no feed): the column header says why it is blank.
    await packages.locator('th[title="No vulnerability feed imported yet"]').waitFor()
    t.equal((await cveCell('openssh').innerText()).trim(), '', 'openssh: no count before a feed')
    t.equal((await cveCell('bash').innerText()).trim(), '', 'bash: no count before a feed')
  })

  const settings = async () =>
    (await ctx.app.inject({ method: 'GET', url: '/api/v1/settings', headers: bearer(ctx.adminToken) })).json<{
      cve_download_enabled: boolean
      cve_download_urls: string[]
      cve_download_interval_hours: number
    }>()

  const panel = page.getByRole('region', { name: 'Feed download' })
  await t.test('a bad URL is refused next to its field', async (t) => {
    const before = await settings()
    await page.goto(`${base}/vulnerabilities`)
    await panel.getByLabel('Feed URLs (one per line)').waitFor()
    await panel.getByLabel('Feed URLs (one per line)').fill('ftp://mirror.example/all.zip')
    await panel.getByRole('button', { name: 'Save' }).click()
    const alert = panel.getByRole('alert')
    await alert.waitFor()
    t.match(await alert.innerText(), /cve_download_urls must list http or https URLs/)
    t.equal(await panel.getByLabel('Feed URLs (one per line)').getAttribute('aria-invalid'), 'true')
    t.same(await settings(), before, 'nothing was saved')
    await s.shot('vulnerabilities-feed-download-error')
  })

  await t.test('the form saves the schedule settings', async (t) => {
    await panel.getByLabel('Download on a schedule').check()
    await panel.getByLabel('Feed URLs (one per line)').fill(`${feedBase}/all.zip\n${feedBase}/kev.json\n`)
    await panel.getByLabel('Every (hours)').fill('12')
    await panel.getByRole('button', { name: 'Save' }).click()
    await panel.getByRole('status').getByText('Saved.').waitFor()
    t.equal(await panel.getByRole('alert').count(), 0, 'the earlier error is gone')
    const saved = await settings()
    t.same(
      [saved.cve_download_enabled, saved.cve_download_urls, saved.cve_download_interval_hours],
      [true, [`${feedBase}/all.zip`, `${feedBase}/kev.json`], 12]
    )
  })

  await t.test('Download now shows each URL outcome and the list fills', async (t) => {
    await page.getByText('No vulnerability feed is imported yet').waitFor()
    await panel.getByRole('button', { name: 'Download now' }).click()
    const outcome = panel.getByRole('list', { name: 'Download outcome' })
    await outcome.waitFor({ timeout: 90_000 })
    t.same(
      (await outcome.getByRole('listitem').allInnerTexts()).map((x) => x.trim()),
      [`${feedBase}/all.zip: imported`, `${feedBase}/kev.json: imported`]
    )
    t.equal(await panel.getByRole('button', { name: 'Download now' }).isEnabled(), true, 'no longer busy')
    await page.getByRole('table', { name: 'Vulnerabilities' }).getByRole('link', { name: 'CVE-2024-6387', exact: true }).waitFor()
    await s.shot('vulnerabilities-feed-download')

    // A second round, held at the first URL: the button is busy until it has ended, then both feeds
    // are unchanged (the server asked with the ETags it kept).
    let release = () => {}
    hold = new Promise<void>((resolve) => (release = resolve))
    await panel.getByRole('button', { name: 'Download now' }).click()
    const busy = panel.getByRole('button', { name: 'Downloading…' })
    await busy.waitFor()
    t.equal(await busy.isDisabled(), true, 'busy while the round runs')
    t.equal(await outcome.count(), 0, 'the previous outcome is cleared')
    release()
    await outcome.waitFor({ timeout: 90_000 })
    t.same(
      (await outcome.getByRole('listitem').allInnerTexts()).map((x) => x.trim()),
      [`${feedBase}/all.zip: unchanged`, `${feedBase}/kev.json: unchanged`]
    )
    hold = undefined
  })

  await t.test('after the import the package row has its CVE count and the known-exploited flag', async (t) => {
    await page.goto(`${base}/packages?updates=all`)
    await cveCell('openssh').getByRole('link', { name: '1' }).waitFor()
    t.match(await cveCell('openssh').innerText(), /Known exploited\s+1/)
    t.equal((await cveCell('bash').innerText()).trim(), '0', 'bash: no open CVE, now a known 0')
    await s.shot('packages-cves')
    await cveCell('openssh').getByRole('link', { name: '1' }).click()
    await page.waitForURL(/\/vulnerabilities\?search=openssh/)
    await page.getByRole('table', { name: 'Vulnerabilities' }).getByRole('link', { name: 'CVE-2024-6387', exact: true }).waitFor()
  })

  t.same(s.consoleErrors, [], 'no script errors')
})
