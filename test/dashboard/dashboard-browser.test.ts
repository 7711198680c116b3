// The dashboard in a real browser (Debian's chromium via playwright-core) against the real app
// on 127.0.0.1: sign-in, host groups, integration tokens with Copy Config, a host with its counts,
// alert channels and the notification log, users, TFA; phone width, keyboard and dark mode.
// Steps whose API is not on this server yet are skipped with the reason, and the screen is checked
// to say so in words instead.
import t, { type Test } from 'tap'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Secret, TOTP } from 'otpauth'
import { ADMIN_PASSWORD } from '../helpers/test-app.js'
import { ensureDashboardBuilt } from '../helpers/dashboard-build.js'
import { chromiumMissing, startBrowserSession, type BrowserSession } from '../helpers/browser-session.js'
import { destinationFormSteps } from './destination-form-steps.js'
import { hostSteps, integrationSteps, type Open } from './host-onboarding-steps.js'

const NOT_AVAILABLE = 'This feature is not available on this server yet'
const missing = (what: string, route: string) => `${what}: ${route} is not on this server yet`

ensureDashboardBuilt()

t.test('the dashboard in a real browser', { skip: chromiumMissing, timeout: 90_000 }, async (t) => {
  const s = await startBrowserSession(t)
  const { page, base } = s
  const heading = (name: string) => page.getByRole('heading', { level: 1, name }).waitFor()
  const open = async (path: string, title: string) => {
    await page.goto(base + path)
    await heading(title)
  }
  const expectUnavailable = async (path: string, title: string) => {
    await open(path, title)
    await page.getByText(NOT_AVAILABLE).first().waitFor()
  }

  await t.test('signing in with a password follows ?next and keeps the session in an HttpOnly cookie only', async (t) => {
    await s.ctx.store.db.updateTable('users').set({ last_login_at: null }).execute()
    await page.goto(`${base}/host-groups`)
    await page.waitForURL(/\/login\?next=%2Fhost-groups/)
    await page.getByText('First start?').waitFor()
    await s.shot('login')
    await s.shot('login-phone', true)
    await page.getByLabel('Username or e-mail').fill('admin')
    await page.getByLabel('Password').fill('not-the-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('alert').filter({ hasText: 'Invalid credentials' }).waitFor()
    await page.getByLabel('Password').fill(ADMIN_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${base}/host-groups`)
    await heading('Host groups')
    const cookie = (await s.context.cookies()).find((c) => c.name === 'token')
    t.ok(cookie?.httpOnly, 'session cookie is HttpOnly')
    const stored = String(await page.evaluate('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })'))
    t.notMatch(stored, /eyJ/, 'no token in web storage')
  })

  await t.test(
    'host groups: create one',
    { skip: !s.has('POST', '/api/v1/host-groups') && missing('host groups', 'POST /api/v1/host-groups') },
    async (t) => {
      await open('/host-groups', 'Host groups')
      await page.getByRole('button', { name: 'New group' }).click()
      await page.getByLabel('Name').fill('Production')
      await page.getByLabel('Description').fill('Customer-facing servers')
      await page.getByRole('button', { name: 'Create group' }).click()
      await page.getByRole('link', { name: 'Production' }).waitFor()
      t.pass('the new group is listed')
      await s.shot('host-groups')
    }
  )
  if (!s.has('GET', '/api/v1/host-groups')) {
    await t.test('host groups screen says in words that the API is missing', async (t) => {
      await expectUnavailable('/host-groups', 'Host groups')
      t.pass()
      await s.shot('host-groups')
    })
  }

  await integrationSteps(t, s, open, expectUnavailable)
  await hostSteps(t, s, open, expectUnavailable)
  await alertSteps(t, s, open, expectUnavailable)

  await t.test('users: add a read-only user', async (t) => {
    await open('/settings/users', 'Users')
    await page.getByText('(you)').waitFor()
    await page.getByRole('button', { name: 'Add user' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('Username').fill('viewer')
    await dialog.getByLabel('Password').fill('viewer-password-1')
    await dialog.getByLabel('Role').selectOption('readonly')
    await dialog.getByRole('button', { name: 'Add user' }).click()
    await page.getByRole('cell', { name: /^viewer/ }).waitFor()
    const row = await s.ctx.store.db.selectFrom('users').select(['role']).where('username', '=', 'viewer').executeTakeFirst()
    t.equal(row?.role, 'readonly')
    await s.shot('users')
  })

  await discordSteps(t, s, open)
  await tfaSteps(t, s, open)

  await t.test('phone width: the menu opens the navigation; keyboard users get a skip link', async (t) => {
    await page.setViewportSize({ width: 390, height: 844 })
    await open('/settings/users', 'Users')
    t.notOk(await page.getByRole('navigation', { name: 'Main' }).isVisible(), 'navigation folded away')
    await page.getByRole('button', { name: 'Menu' }).click()
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Integrations' }).click()
    await heading('Integrations')
    t.notOk(await page.getByRole('navigation', { name: 'Main' }).isVisible(), 'following a link folds the menu again')
    await s.shot('integrations-phone')
    await page.setViewportSize({ width: 1280, height: 860 })
    await open('/settings/users', 'Users')
    await page.keyboard.press('Tab')
    t.equal(await page.evaluate('document.activeElement?.textContent'), 'Skip to content')
  })

  await t.test('dark mode follows the system colour scheme', async (t) => {
    await page.emulateMedia({ colorScheme: 'dark' })
    await open('/', 'Overview')
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor')
    t.equal(bg, 'rgb(15, 20, 27)')
    await s.shot('overview-dark')
    await page.emulateMedia({ colorScheme: 'light' })
  })

  await t.test(
    'Server Config: the Server URL and self-signed setting flow into the one-liners',
    { skip: !s.has('PUT', '/api/v1/settings') && missing('settings', 'PUT /api/v1/settings') },
    async (t) => {
      await open('/settings/server', 'Server Config')
      await page.getByLabel('Server URL').fill('https://patchmon.example.com/')
      await page.getByLabel(/self-signed certificate/).check()
      await page.getByRole('button', { name: 'Save' }).click()
      await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor()
      await s.shot('server-config')
      await open('/settings/integrations', 'Integrations')
      await page.getByRole('tab', { name: 'Agent install' }).click()
      t.equal(
        await page.getByLabel('Install command template').textContent(),
        'curl -sk "https://patchmon.example.com/api/v1/hosts/install" -H "X-API-ID: <api id>" -H "X-API-KEY: <api key>" | sh'
      )
    }
  )

  await t.test('screenshots of the remaining screens', async (t) => {
    for (const [path, title, name] of [
      ['/', 'Overview', 'overview'],
      ['/hosts', 'Hosts', 'hosts'],
      ['/packages', 'Packages', 'packages'],
      ['/settings/discord-auth', 'Discord Auth', 'discord-auth']
    ] as const) {
      await open(path, title)
      await page.waitForLoadState('networkidle')
      await s.shot(name)
    }
    await s.shot('packages-phone', true)
    await open('/', 'Overview')
    await page.waitForLoadState('networkidle')
    await s.shot('overview-phone', true)
    t.pass()
  })

  t.same(s.consoleErrors, [], 'no script errors or CSP violations in the browser console')
})

async function alertSteps(t: Test, s: BrowserSession, open: Open, expectUnavailable: Open) {
  const { page } = s
  if (!s.has('POST', '/api/v1/notifications/destinations')) {
    await t.test('alert channels and notification log screens say in words that the API is missing', async (t) => {
      await expectUnavailable('/settings/alert-channels', 'Alert Channels')
      await s.shot('alert-channels')
      await expectUnavailable('/alerts/notification-logs', 'Notification Logs')
      await s.shot('notification-logs')
      t.pass()
    })
    return
  }
  await t.test('a webhook destination with a routing rule; a test send shows in the notification log', async (t) => {
    const received: Array<{ url: string; body: string }> = []
    const receiver = createServer((req: IncomingMessage, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        received.push({ url: req.url ?? '', body })
        res.writeHead(204).end()
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    t.teardown(() => new Promise<void>((resolve) => receiver.close(() => resolve())))
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
    await open('/settings/alert-channels', 'Alert Channels')
    await page.getByRole('button', { name: 'Add Destination' }).click()
    await page.getByLabel('Display Name').fill('Ops webhook')
    await page.getByLabel('Webhook URL').fill(hook)
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByText('Ops webhook').first().waitFor()
    await page.getByRole('button', { name: 'Add Rule' }).click()
    await page.getByRole('button', { name: 'Save rule' }).click()
    await page.getByText(/Ops webhook ← Host went down/).waitFor()
    await page.getByRole('button', { name: 'Send test' }).click()
    await page.getByRole('status').filter({ hasText: /test/i }).first().waitFor()
    await s.shot('alert-channels')
    if (s.has('GET', '/api/v1/notifications/delivery-log')) {
      await open('/alerts/notification-logs', 'Notification Logs')
      await page.getByRole('cell', { name: 'Ops webhook' }).first().waitFor({ timeout: 15_000 })
      t.ok(received.length >= 1, 'the receiver got the test notification')
    }
    await s.shot('notification-logs')
  })
  await destinationFormSteps(t, s, open)
}

async function discordSteps(t: Test, s: BrowserSession, open: Open) {
  const { page } = s
  if (!s.has('PUT', '/api/v1/auth/discord/settings')) return
  await t.test('Settings → Discord Auth: once configured and enabled, the login page offers Discord', async (t) => {
    await open('/settings/discord-auth', 'Discord Auth')
    t.match(await page.getByLabel(/^Callback URL/).textContent(), `${s.base}/api/v1/auth/discord/callback`)
    await page.getByLabel('Client ID').fill('123456789012345678')
    await page.getByLabel('Button Text').fill('Sign in with Discord')
    await page.getByRole('button', { name: 'Apply' }).click()
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor()
    await page.getByLabel('Client Secret').fill('client-secret-for-the-browser-test')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByText('✓ Set').waitFor()
    await page.getByLabel('Enable Discord OAuth').check()
    await page.getByRole('status').filter({ hasText: 'Discord OAuth enabled.' }).waitFor()
    t.notOk((await page.content()).includes('client-secret-for-the-browser-test'), 'the secret is not shown back')
    await s.shot('discord-auth')
    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    const button = page.getByRole('link', { name: 'Sign in with Discord' })
    await button.waitFor()
    t.equal(await button.getAttribute('href'), '/api/v1/auth/discord/login')
    await page.getByLabel('Username or e-mail').fill('admin')
    await page.getByLabel('Password').fill(ADMIN_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor()
  })
}

async function tfaSteps(t: Test, s: BrowserSession, open: Open) {
  const { page, base } = s
  if (!s.has('GET', '/api/v1/tfa/setup')) {
    await t.test('profile: TFA set-up says in words that the API is missing', async (t) => {
      await open('/settings/profile', 'Profile')
      await page.getByRole('button', { name: 'Set up TFA' }).click()
      await page.getByText(NOT_AVAILABLE).waitFor()
      t.pass()
      await s.shot('profile')
    })
    return
  }
  await t.test('profile: turn TFA on with the QR code, then sign in with a code', async (t) => {
    await open('/settings/profile', 'Profile')
    await page.getByRole('button', { name: 'Set up TFA' }).click()
    await page.getByAltText('QR code for your authenticator app').waitFor()
    const key = ((await page.getByLabel('Or type this key').textContent()) ?? '').replace(/\s/g, '')
    const totp = new TOTP({ secret: Secret.fromBase32(key) })
    const setupCode = totp.generate()
    await page.getByLabel('Code from the app').fill(setupCode)
    await page.getByRole('button', { name: 'Verify and turn on' }).click()
    await page.getByText('Two-factor authentication is on').first().waitFor()
    await s.shot('profile')
    await page.getByRole('button', { name: 'Sign out', exact: true }).click()
    await page.waitForURL(/\/login/)
    await page.getByLabel('Username or e-mail').fill('admin')
    await page.getByLabel('Password').fill(ADMIN_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    // The code just spent on set-up is refused as a replay, and the page says why.
    await page.getByLabel('Verification code').fill(setupCode)
    await page.getByRole('button', { name: 'Verify' }).click()
    await page.getByRole('alert').filter({ hasText: 'This code was already used' }).waitFor()
    t.pass('a reused code gets its own message')
    await page.getByLabel('Verification code').fill(totp.generate({ timestamp: Date.now() + 30_000 }))
    await s.shot('login-tfa')
    await page.getByRole('button', { name: 'Verify' }).click()
    await page.waitForURL(`${base}/`)
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor()
    t.pass('signed in with the second factor')
  })
}
