// Vulnerabilities in a real browser (Debian's chromium): hosts report their packages to the real agent
// endpoint, the admin uploads an OSV zip and a CISA KEV file through the screen's file input and waits
// for each import to finish, reads the exposed CVEs (host count, severity, fix), narrows to known
// exploited, opens "hosts exposed to CVE-…", then the host page's Vulnerabilities tab.
import t from 'tap'
import { ADMIN_PASSWORD } from '../helpers/test-app.js'
import { ensureDashboardBuilt } from '../helpers/dashboard-build.js'
import { chromiumMissing, startBrowserSession } from '../helpers/browser-session.js'
import { agentReport, createHostViaApi, postReport, type TestHost } from '../helpers/agent-fixtures.js'
import type { TestApp } from '../helpers/test-app.js'
import { join } from 'node:path'
import { feedFolder, writeText } from '../vulnerabilities/feeds/feed-files.js'
import { DEBIAN_PACKAGES, writeKevJson, writeOsvZip } from '../vulnerabilities/vulnerability-fixtures.js'

ensureDashboardBuilt()

async function reportingHost(ctx: TestApp, name: string, osType: string, osVersion: string, packages: unknown[]): Promise<TestHost> {
  const host = await createHostViaApi(ctx.app, ctx.adminToken, name)
  const res = await postReport(ctx, host, agentReport(packages, { osType, osVersion }))
  if (res.statusCode !== 200) throw new Error(`report for ${name}: ${res.statusCode} ${res.body}`)
  return host
}

t.test('vulnerabilities screen and host tab', { skip: chromiumMissing, timeout: 240_000 }, async (t) => {
  const s = await startBrowserSession(t)
  const { page, base, ctx } = s
  // Debian 12 with openssh before the fix of CVE-2024-6387 (the fix is offered by its repositories).
  const exposed = await reportingHost(ctx, 'deb-web', 'Debian GNU/Linux', '12 (bookworm)', DEBIAN_PACKAGES)
  // Debian 12 already at the fixed version: not exposed.
  await reportingHost(ctx, 'deb-patched', 'Debian GNU/Linux', '12 (bookworm)', [
    { name: 'openssh', currentVersion: '1:9.2p1-2+deb12u3', needsUpdate: false, isSecurityUpdate: false }
  ])
  // Ubuntu with a glibc affected by CVE-2023-4911 (not known exploited here, fix not offered yet).
  await reportingHost(ctx, 'ubu-db', 'Ubuntu', '22.04.3 LTS (Jammy Jellyfish)', [
    { name: 'glibc', currentVersion: '2.35-0ubuntu3.1', needsUpdate: false, isSecurityUpdate: false }
  ])
  await ctx.app.vulnerabilityExposure.settled()
  const dir = feedFolder(t)
  const osvZip = await writeOsvZip(dir)
  const kevJson = writeKevJson(dir, ['CVE-2024-6387', 'CVE-2021-44228'])

  await page.goto(`${base}/login`)
  await page.getByLabel('Username or e-mail').fill('admin')
  await page.getByLabel('Password').fill(ADMIN_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${base}/`)

  const table = page.getByRole('table', { name: 'Vulnerabilities' })
  const cveRow = (id: string) => table.getByRole('row').filter({ has: page.getByRole('link', { name: id, exact: true }) })

  await t.test("before any feed, the host's tab says so rather than showing no vulnerabilities", async (t) => {
    await page.goto(`${base}/hosts/${exposed.id}`)
    await page.getByRole('heading', { level: 1, name: 'deb-web' }).waitFor()
    await page.getByRole('tab', { name: 'Vulnerabilities' }).click()
    await page.getByRole('tabpanel').getByText('No vulnerability feed imported yet').waitFor()
    t.notMatch(await page.getByRole('tabpanel').innerText(), /No known vulnerabilities on this host/)
  })

  await t.test('upload the OSV feed and the KEV list through the screen', async (t) => {
    await page.goto(`${base}/vulnerabilities`)
    await page.getByRole('heading', { level: 1, name: 'Vulnerabilities' }).waitFor()
    await page.getByText('No vulnerability feed is imported yet').waitFor()
    const form = page.getByRole('form', { name: 'Import a vulnerability feed' })
    const status = form.getByRole('status')

    await form.getByLabel('Feed file').setInputFiles(osvZip)
    await form.getByRole('button', { name: 'Import' }).click()
    await status.getByText(/^Imported: /).waitFor({ timeout: 60_000 })
    t.match(await status.innerText(), /Imported: 4 records, 4 added, 0 updated, 0 unchanged/)
    await cveRow('CVE-2024-6387').waitFor()

    await form.getByLabel('Feed file').setInputFiles(kevJson)
    await form.getByRole('button', { name: 'Import' }).click()
    await status.getByText(/^Imported: 2 records, 2 added/).waitFor({ timeout: 60_000 })
    await cveRow('CVE-2024-6387').getByText('Known exploited').waitFor()
    await s.shot('vulnerabilities-imported')
  })

  await t.test('the exposed CVEs with host count, severity, fix and the known-exploited flag', async (t) => {
    const rows = table.locator('tbody tr')
    t.equal(await rows.count(), 2, 'the Debian and the Ubuntu CVE; Alma and Alpine have no exposed host')
    const ssh = await cveRow('CVE-2024-6387').locator('td').allInnerTexts()
    t.match(ssh[0], /Known exploited/)
    t.same(
      ssh.slice(1).map((c) => c.trim()),
      [SSH_SEVERITY, '-', 'openssh', '1', '1'],
      'one exposed host, the fix installable on it'
    )
    const glibc = await cveRow('CVE-2023-4911').locator('td').allInnerTexts()
    t.notMatch(glibc[0], /Known exploited/)
    t.same(
      glibc.slice(1).map((c) => c.trim()),
      ['high', '7.8', 'glibc', '1', '0'],
      'one exposed host, no fix it can install yet'
    )
  })

  await t.test('the known exploited filter narrows the list', async (t) => {
    await page.getByLabel('Known exploited only').check()
    await page.waitForURL(/known_exploited=true/)
    await cveRow('CVE-2023-4911').waitFor({ state: 'detached' })
    await cveRow('CVE-2024-6387').waitFor()
    t.equal(await table.locator('tbody tr').count(), 1, 'only the known exploited CVE')
    await s.shot('vulnerabilities-known-exploited')
  })

  await t.test('hosts exposed to the CVE: the affected host, not the patched one', async (t) => {
    await cveRow('CVE-2024-6387').getByRole('link', { name: 'CVE-2024-6387' }).click()
    await page.waitForURL(/cve=CVE-2024-6387/)
    t.match(page.url(), /known_exploited=true/, 'opening a CVE keeps the filter')
    const panel = page.getByRole('region', { name: 'Hosts exposed to CVE-2024-6387' })
    const items = panel.getByRole('listitem')
    await items.first().waitFor()
    t.equal(await items.count(), 1, 'one exposed host')
    t.match(await items.first().innerText(), /deb-web: openssh 1:9\.2p1-2\+deb12u2 → 1:9\.2p1-2\+deb12u3 \(fix available now\)/)
    t.equal(await panel.getByRole('link', { name: 'deb-patched' }).count(), 0, 'the patched host is not listed')
    t.match(await panel.innerText(), /Known exploited.*OpenSSH signal handler race condition \(regreSSHion\) \(listed 2024-07-10\)/)
    await s.shot('vulnerabilities-cve-hosts')

    await panel.getByRole('link', { name: 'Clear' }).click()
    await panel.waitFor({ state: 'detached' })
    t.match(page.url(), /known_exploited=true/, 'clearing the CVE keeps the filter')
    await page.getByLabel('Known exploited only').uncheck()
    await cveRow('CVE-2023-4911').waitFor()
    t.equal(await table.locator('tbody tr').count(), 2, 'both again without the filter')

    // The Alpine advisory matches no host: its panel says so instead of an empty list.
    await page.goto(`${base}/vulnerabilities?cve=CVE-2023-5678`)
    await page.getByRole('region', { name: 'Hosts exposed to CVE-2023-5678' }).getByText('is exposed to CVE-2023-5678 now').waitFor()

    await page.goto(`${base}/vulnerabilities?cve=CVE-2024-6387`)
    await page.getByRole('region', { name: 'Hosts exposed to CVE-2024-6387' }).getByRole('link', { name: 'deb-web' }).click()
    await page.waitForURL(`${base}/hosts/${exposed.id}`)
  })

  await t.test("the host page's Vulnerabilities tab", async (t) => {
    await page.getByRole('heading', { level: 1, name: 'deb-web' }).waitFor()
    await page.getByRole('tab', { name: 'Vulnerabilities' }).click()
    const hostTable = page.getByRole('tabpanel').getByRole('table', { name: 'Vulnerabilities on this host' })
    await hostTable.waitFor()
    const rows = hostTable.locator('tbody tr')
    t.equal(await rows.count(), 1, 'openssh only; bash is not affected')
    const cells = (await rows.first().locator('td').allInnerTexts()).map((c) => c.trim())
    t.match(cells[0], /CVE-2024-6387\s+Known exploited/)
    t.same(cells.slice(1), ['openssh', '1:9.2p1-2+deb12u2', '1:9.2p1-2+deb12u3', 'Fix available now', SSH_SEVERITY, '-'])
    await s.shot('host-vulnerabilities')
  })

  await t.test('a file that is no feed: the import fails with the reason in words', async (t) => {
    const notes = writeText(join(dir, 'notes.txt'), 'these are not advisories\n')
    await page.goto(`${base}/vulnerabilities`)
    const form = page.getByRole('form', { name: 'Import a vulnerability feed' })
    await form.getByLabel('Feed file').setInputFiles(notes)
    await form.getByRole('button', { name: 'Import' }).click()
    const status = form.getByRole('status')
    await status.getByText(/^Import failed: /).waitFor({ timeout: 60_000 })
    t.match(await status.innerText(), /^Import failed: notes\.txt is not a vulnerability feed this server reads \(an OSV zip/)
    await s.shot('vulnerabilities-import-failed')
    await cveRow('CVE-2024-6387').waitFor()
    t.equal(await table.locator('tbody tr').count(), 2, 'the imported advisories are untouched')
  })

  t.same(s.consoleErrors, [], 'no script errors')
})

// The Debian OSV entry grades by the tracker's urgency ("high").
const SSH_SEVERITY = 'high'
