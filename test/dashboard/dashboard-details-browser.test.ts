// The details a new user hit first, checked in a real browser (Debian's chromium): a 255-character
// host name does not widen the page, sizes read as `23.5 GiB`, one-liners pointing at 127.0.0.1
// warn and link to the Server URL setting, no raw identifiers (`can_*`, event names,
// `token_secret`) on screen, a link to the API docs, hints outside their labels, and the prompt to
// replace a generated first-start password.
import t from 'tap'
import { bearer } from '../helpers/test-app.js'
import { ensureDashboardBuilt } from '../helpers/dashboard-build.js'
import { chromiumMissing, startBrowserSession } from '../helpers/browser-session.js'

ensureDashboardBuilt()

const LONG_NAME = `${'web-'.repeat(63)}xyz` // 255 characters, no space to break at
const RAW_IDENTIFIER = /\bcan_[a-z_]+|\bhost_went_down\b|\btoken_secret\b/

t.test('dashboard details in a real browser', { skip: chromiumMissing, timeout: 120_000 }, async (t) => {
  const s = await startBrowserSession(t)
  const { page, base, ctx } = s
  await s.context.addCookies([{ name: 'token', value: ctx.adminToken, url: base, httpOnly: true, sameSite: 'Strict' }])
  const open = async (path: string, title: string | RegExp) => {
    await page.goto(base + path)
    await page.getByRole('heading', { level: 1, name: title }).waitFor()
  }
  const pageOverflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  const mainText = async () => (await page.locator('main').innerText()) + (await page.locator('nav').innerText())

  t.equal(LONG_NAME.length, 255)
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/hosts',
    headers: bearer(ctx.adminToken),
    payload: { friendly_name: LONG_NAME, host_group_ids: [] }
  })
  t.equal(created.statusCode, 201, created.body)
  const host = created.json() as { id: string; api_id: string; api_key: string }
  const report = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/hosts/update',
    headers: { 'x-api-id': host.api_id, 'x-api-key': host.api_key },
    payload: {
      hostname: `${'h'.repeat(60)}.${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.example`,
      osType: 'Debian GNU/Linux',
      osVersion: '12 (bookworm)',
      architecture: 'x86_64',
      agentVersion: '1.3.0',
      ramInstalled: 23.540576934814453,
      swapSize: 0.5,
      packages: [{ name: 'bash', currentVersion: '5.2.15-2', needsUpdate: false, isSecurityUpdate: false }],
      repositories: []
    }
  })
  t.equal(report.statusCode, 200, report.body)

  await t.test(
    'a 255-character host name is cut with a tooltip in the list and wraps on its page; the page never scrolls sideways',
    async (t) => {
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 860 })
        await open('/hosts', 'Hosts')
        const link = page.getByRole('link', { name: LONG_NAME })
        await link.waitFor()
        t.equal(await link.getAttribute('title'), LONG_NAME, `${width}px: the full name is the tooltip`)
        t.ok(((await link.boundingBox())?.width ?? Infinity) < 400, `${width}px: the name column stays narrow`)
        t.equal(await pageOverflow(), 0, `${width}px: the hosts page does not overflow sideways`)
        if (width === 1280) await s.shot('hosts-long-name')
        await link.click()
        const heading = page.getByRole('heading', { level: 1, name: LONG_NAME })
        await heading.waitFor()
        t.ok(((await heading.boundingBox())?.width ?? Infinity) <= width, `${width}px: the heading wraps inside the window`)
        t.equal(await pageOverflow(), 0, `${width}px: the host page does not overflow sideways`)
        await s.shot(width === 1280 ? 'host-long-name' : 'host-long-name-phone')
      }
      await page.setViewportSize({ width: 1280, height: 860 })
      await open('/', 'Overview')
      const recent = page.getByRole('link', { name: LONG_NAME })
      await recent.waitFor()
      t.equal(await recent.getAttribute('title'), LONG_NAME, 'overview: recent reports cut the name, tooltip in full')
      t.ok(((await recent.boundingBox())?.height ?? Infinity) < 40, 'overview: the name takes one line')
      t.equal(await pageOverflow(), 0, 'overview: no sideways overflow')
    }
  )

  await t.test('RAM and swap read as sizes with units', async (t) => {
    await open(`/hosts/${host.id}`, LONG_NAME)
    await page.getByRole('tab', { name: 'System' }).click()
    const facts = await page.locator('dl.facts').innerText()
    t.match(facts, /RAM\s+23\.5 GiB/, 'RAM: 23.5 GiB')
    t.match(facts, /Swap\s+512 MiB/, 'swap below 1 GiB in MiB')
    t.notMatch(facts, /23\.54057/, 'no raw float')
  })

  await t.test('one-liners pointing at 127.0.0.1 warn and link to the Server URL setting', async (t) => {
    await open('/hosts', 'Hosts')
    await page.getByRole('button', { name: 'Add host' }).click()
    await page.getByLabel('Friendly name').fill('db01')
    await page.getByRole('dialog').getByRole('button', { name: 'Add host' }).click()
    await page.getByLabel(/^Install command/).waitFor()
    const warning = page.getByRole('dialog').getByRole('status').filter({ hasText: 'which on any other machine means that machine itself' })
    await warning.waitFor()
    t.match(await warning.innerText(), /127\.0\.0\.1:\d+/, 'names the address')
    await s.shot('add-host-loopback-warning')
    await warning.getByRole('link', { name: 'Server URL' }).click()
    await page.getByRole('heading', { level: 1, name: 'Server Config' }).waitFor()
    t.pass('the link opens the Server URL setting')
    await page.getByLabel('Server URL', { exact: true }).fill('https://patchmon.example.com')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor()
    await open('/settings/integrations', 'Integrations')
    await page.getByRole('tab', { name: 'Agent install' }).click()
    await page.getByLabel('Install command template').waitFor()
    t.equal(
      await page.getByText('which on any other machine means that machine itself').count(),
      0,
      'no warning once the Server URL is a real address'
    )
  })

  await t.test('field hints are descriptions, not part of the label', async (t) => {
    await open('/settings/server', 'Server Config')
    const input = page.getByLabel('Server URL', { exact: true })
    // The heading shows before the settings arrive; waitFor also fails if the name matched two controls.
    await input.waitFor()
    t.equal(await input.count(), 1, 'the control is named by its label alone')
    const described = await input.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent ?? '')
    t.match(described, /The address agents, scripts/, 'the hint is its description')
  })

  await t.test('no raw identifiers on the screens; human labels instead', async (t) => {
    const rule = await ctx.app.inject({ method: 'GET', url: '/api/v1/notifications/destinations', headers: bearer(ctx.adminToken) })
    if (rule.statusCode === 200) {
      const dest = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/notifications/destinations',
        headers: bearer(ctx.adminToken),
        payload: { channel_type: 'webhook', display_name: 'Ops webhook', config: { url: 'https://example.com/hook' } }
      })
      const destId =
        (dest.json() as { id?: string; destination?: { id: string } }).id ??
        (dest.json() as { destination?: { id: string } }).destination?.id
      if (destId)
        await ctx.app.inject({
          method: 'POST',
          url: '/api/v1/notifications/routes',
          headers: bearer(ctx.adminToken),
          payload: {
            destination_id: destId,
            event_types: ['host_went_down', 'host_came_up'],
            min_severity: 'informational',
            host_group_ids: [],
            enabled: true
          }
        })
    }
    for (const [path, title] of [
      ['/', 'Overview'],
      ['/hosts', 'Hosts'],
      ['/settings/users', 'Users'],
      ['/settings/alert-channels', 'Alert Channels'],
      ['/alerts/notification-logs', 'Notification Logs'],
      ['/settings/integrations', 'Integrations']
    ] as const) {
      await open(path, title)
      await page.waitForLoadState('networkidle')
      t.notMatch(await mainText(), RAW_IDENTIFIER, `${path}: no raw identifiers`)
    }
    await open('/settings/users', 'Users')
    t.match(await page.locator('dl.roles').innerText(), /Manage hosts/, 'permissions by their labels')
    await open('/settings/integrations', 'Integrations')
    await page.getByRole('button', { name: 'New Token' }).click()
    await page.getByLabel('Token name').fill('Proxmox Production')
    await page.getByRole('button', { name: 'Create Token' }).click()
    await page.getByRole('button', { name: 'I saved the secret' }).waitFor()
    t.notMatch(
      await page.getByRole('dialog').innerText(),
      /token_secret\b(?!=)/,
      'the window says "token secret" in words (the one-liner URL parameter aside)'
    )
    t.match(await page.getByRole('dialog').innerText(), /Save the token secret now/)
    await page.getByRole('button', { name: 'I saved the secret' }).click()
  })

  await t.test('the navigation links to the API docs, which open for the signed-in user', async (t) => {
    await open('/', 'Overview')
    const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API docs' })
    t.equal(await link.getAttribute('href'), '/api/v1/api-docs')
    const res = await page.request.get(`${base}/api/v1/api-docs`)
    t.equal(res.status(), 200, 'the docs answer with the session cookie')
  })

  await t.test('a generated first-start password gets a prompt until it is changed', async (t) => {
    await open('/hosts', 'Hosts')
    t.equal(await page.getByText('password generated at first start').count(), 0, 'no prompt for a chosen password')
    await ctx.store.db.updateTable('users').set({ must_change_password: 1 }).where('username', '=', 'admin').execute()
    await open('/', 'Overview')
    const prompt = page.getByRole('status').filter({ hasText: 'password generated at first start' })
    await prompt.waitFor()
    await s.shot('overview-change-password-prompt')
    await prompt.getByRole('link', { name: 'Change your password now.' }).click()
    await page.getByRole('heading', { level: 1, name: 'Profile' }).waitFor()
    await page.getByLabel('Current password').fill('admin-password-for-tests')
    await page.getByLabel('New password', { exact: true }).fill('a-new-password-1')
    await page.getByLabel('Repeat new password').fill('a-new-password-1')
    await page.getByRole('button', { name: 'Change password' }).click()
    await page.getByText('Password changed.').waitFor()
    t.equal(await page.getByText('password generated at first start').count(), 0, 'the prompt is gone after the change')
  })

  t.same(s.consoleErrors, [], 'no script errors or CSP violations')
})
