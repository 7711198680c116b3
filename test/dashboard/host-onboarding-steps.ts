// Browser steps of the dashboard test that bring hosts in: integration tokens with Copy Config, then
// a host with its counts. Called from dashboard-browser.test.ts with its signed-in session.
import type { Test } from 'tap'
import { randomUUID } from 'node:crypto'
import { parse as parseYaml } from 'yaml'
import { bearer } from '../helpers/test-app.js'
import type { BrowserSession } from '../helpers/browser-session.js'

/** Opens a dashboard path and waits for its page heading. */
export type Open = (path: string, title: string) => Promise<void>

export async function integrationSteps(t: Test, s: BrowserSession, open: Open, expectUnavailable: Open) {
  const { page } = s
  const tokensApi = s.has('POST', '/api/v1/auto-enrollment/tokens')
  if (!tokensApi) {
    await t.test('integrations screen says in words that the API is missing', async (t) => {
      await expectUnavailable('/settings/integrations', 'Integrations')
      t.pass()
      await s.shot('integrations')
    })
    return
  }
  await t.test('gethomepage key: the secret is shown once and Copy Config copies the widget YAML', async (t) => {
    await open('/settings/integrations', 'Integrations')
    await page.getByRole('tab', { name: 'GetHomepage' }).click()
    await page.getByRole('button', { name: 'New API Key' }).click()
    await page.getByLabel('Token name').fill('GetHomepage dashboard')
    await page.getByRole('button', { name: 'Create Token' }).click()
    const key = (await page.getByLabel('Token Key', { exact: true }).textContent()) ?? ''
    const secret = (await page.getByLabel('Token Secret', { exact: true }).textContent()) ?? ''
    t.match(key, /^patchmon_ae_[0-9a-f]{32}$/)
    await s.shot('integrations-gethomepage-created')
    await page.getByRole('button', { name: 'Copy Config' }).click()
    await page.getByRole('button', { name: 'Copied' }).waitFor()
    const yaml = String(await page.evaluate('navigator.clipboard.readText()'))
    const [entry] = parseYaml(yaml) as Array<{ PatchMon: { widget: { type: string; url: string; headers: { Authorization: string } } } }>
    t.equal(entry?.PatchMon.widget.type, 'customapi')
    t.equal(entry?.PatchMon.widget.headers.Authorization, `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`)
    t.equal(entry?.PatchMon.widget.url, `${s.base}/api/v1/gethomepage/stats`)
    if (s.has('GET', '/api/v1/gethomepage/stats')) {
      const stats = await s.ctx.app.inject({
        method: 'GET',
        url: '/api/v1/gethomepage/stats',
        headers: { authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}` }
      })
      t.equal(stats.statusCode, 200, 'the copied credentials work')
    }
    await page.getByRole('button', { name: 'I saved the secret' }).click()
    await page.getByRole('cell', { name: 'GetHomepage dashboard' }).first().waitFor()
    t.notOk((await page.content()).includes(secret), 'the secret is gone once the window closes')
  })
  await t.test('API credential with a scope and IP ranges; a Proxmox token with its one-liner', async (t) => {
    await page.getByRole('tab', { name: 'Auto-Enrollment & API' }).click()
    await page.getByRole('button', { name: 'New Token' }).click()
    await page.getByLabel('Usage type').selectOption('api')
    await page.getByLabel('Token name').fill('Ansible inventory')
    await page.getByLabel('Allowed IP addresses').fill('127.0.0.1, 10.0.0.0/24')
    await page.getByRole('button', { name: 'Create Token' }).click()
    await page.getByText('Granted scopes').waitFor()
    t.match(await page.getByText('Granted scopes').textContent(), 'host:get')
    await page.getByRole('button', { name: 'I saved the secret' }).click()
    await page.getByRole('cell', { name: '127.0.0.1, 10.0.0.0/24' }).waitFor()
    await page.getByRole('button', { name: 'Edit Ansible inventory' }).click()
    await page.getByLabel('Allowed IP addresses').fill('10.0.0.0/24')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByRole('cell', { name: '10.0.0.0/24', exact: true }).waitFor()
    const stored = await s.ctx.store.db
      .selectFrom('auto_enrollment_tokens')
      .select('allowed_ip_ranges')
      .where('token_name', '=', 'Ansible inventory')
      .executeTakeFirstOrThrow()
    t.same(JSON.parse(stored.allowed_ip_ranges), ['10.0.0.0/24'], 'Edit Token changed the stored IP ranges')
    await page.getByRole('button', { name: 'New Token' }).click()
    await page.getByLabel('Token name').fill('Proxmox Production')
    await page.getByRole('button', { name: 'Create Token' }).click()
    const oneLiner = (await page.getByLabel(/Run on the Proxmox host/).textContent()) ?? ''
    t.match(
      oneLiner,
      /^curl -s "http:\/\/127\.0\.0\.1:\d+\/api\/v1\/auto-enrollment\/script\?type=proxmox-lxc&token_key=patchmon_ae_[0-9a-f]{32}&token_secret=[0-9a-f]+" \| bash$/
    )
    await page.getByRole('button', { name: 'I saved the secret' }).click()
    await s.shot('integrations')
  })
}

export async function hostSteps(t: Test, s: BrowserSession, open: Open, expectUnavailable: Open) {
  const { page } = s
  if (!s.has('POST', '/api/v1/hosts')) {
    await t.test('hosts and overview screens say in words that the API is missing', async (t) => {
      await expectUnavailable('/hosts', 'Hosts')
      await expectUnavailable('/', 'Overview')
      t.pass()
    })
    return
  }
  const reports = s.has('POST', '/api/v1/hosts/update')
  await t.test(
    reports
      ? 'a host that reported shows its counts in the list and its packages on its page'
      : 'a host created through the API appears in the list',
    async (t) => {
      const created = await s.ctx.app.inject({
        method: 'POST',
        url: '/api/v1/hosts',
        headers: bearer(s.ctx.adminToken),
        payload: { friendly_name: 'web01', host_group_ids: [] }
      })
      t.equal(created.statusCode, 201, created.body)
      const host = created.json() as { id: string; api_id: string; api_key: string }
      if (reports) {
        const report = await s.ctx.app.inject({
          method: 'POST',
          url: '/api/v1/hosts/update',
          headers: { 'x-api-id': host.api_id, 'x-api-key': host.api_key },
          payload: {
            hostname: 'web01.example.com',
            osType: 'Debian GNU/Linux',
            osVersion: '12 (bookworm)',
            architecture: 'x86_64',
            agentVersion: '1.3.0',
            needsReboot: true,
            rebootReason: 'kernel update',
            packages: [
              { name: 'openssl', currentVersion: '3.0.11-1', availableVersion: '3.0.15-1', needsUpdate: true, isSecurityUpdate: true },
              {
                name: 'curl',
                currentVersion: '7.88.1-10',
                availableVersion: '7.88.1-10+deb12u8',
                needsUpdate: true,
                isSecurityUpdate: false
              },
              { name: 'bash', currentVersion: '5.2.15-2', needsUpdate: false, isSecurityUpdate: false }
            ],
            repositories: [
              {
                name: 'debian',
                url: 'http://deb.debian.org/debian',
                distribution: 'bookworm',
                components: 'main',
                repoType: 'deb',
                isEnabled: true,
                isSecure: false
              }
            ]
          }
        })
        t.equal(report.statusCode, 200, report.body)
        // A second, earlier report so the history chart has a line to draw.
        const earlier = new Date(Date.now() - 3_600_000).toISOString()
        await s.ctx.store.db
          .insertInto('report_history')
          .values({
            id: randomUUID(),
            host_id: host.id,
            status: 'success',
            total_packages: 3,
            outdated_packages: 3,
            security_updates: 2,
            created_at: earlier
          })
          .execute()
      }
      await open('/hosts', 'Hosts')
      const row = page.getByRole('row', { name: /web01/ })
      await row.waitFor()
      if (reports) {
        t.same(await row.locator('td.num').allTextContents(), ['3', '2', '1'], 'packages, outdated, security')
        await row.getByRole('link', { name: 'web01' }).click()
        await page.getByRole('heading', { level: 1, name: 'web01' }).waitFor()
        await page.getByRole('tab', { name: 'Packages' }).click()
        await page
          .getByRole('row', { name: /openssl/ })
          .getByText('security')
          .waitFor()
        if (s.has('POST', '/api/v1/hosts/:id/report-now')) {
          await page.getByRole('button', { name: 'Report now' }).click()
          await page.getByRole('alert').filter({ hasText: 'Agent is not connected' }).waitFor()
          t.pass('"Report now" without a live agent connection says so in words')
        }
        await s.shot('host-detail')
        await page.getByRole('tab', { name: 'Report history' }).click()
        await page.locator('.uplot canvas').waitFor()
        t.equal(await page.locator('table.table tbody tr').count(), 2, 'both reports are listed under the chart')
        await s.shot('host-history')
      }
      await s.shot('hosts')
    }
  )
  await t.test('Add host shows the install one-liner with the new credentials once', async (t) => {
    await open('/hosts', 'Hosts')
    await page.getByRole('button', { name: 'Add host' }).click()
    await page.getByLabel('Friendly name').fill('db01')
    await page.getByRole('dialog').getByRole('button', { name: 'Add host' }).click()
    const command = (await page.getByLabel(/^Install command/).textContent()) ?? ''
    t.match(
      command,
      /^curl -s "http:\/\/127\.0\.0\.1:\d+\/api\/v1\/hosts\/install" -H "X-API-ID: patchmon_[0-9a-f]{16}" -H "X-API-KEY: [0-9a-f]{64}" \| sh$/
    )
    await s.shot('hosts-added')
    await page.getByRole('button', { name: 'Done' }).click()
    await page.getByRole('row', { name: /db01/ }).getByText('pending').waitFor()
  })
}
