// OpenID Connect in a real browser (Debian's chromium via playwright-core): an admin configures
// Settings → OpenID Connect against a real provider on loopback (oidc-provider, its own login and
// consent pages), signs out, signs in with the SSO button and lands in the dashboard with the role the
// group mapping gives; OIDC-only mode then leaves only the button on the login page.
import t from 'tap'
import { ADMIN_PASSWORD, bearer } from '../helpers/test-app.js'
import { ensureDashboardBuilt } from '../helpers/dashboard-build.js'
import { chromiumMissing, startBrowserSession } from '../helpers/browser-session.js'
import { CLIENT_ID, CLIENT_SECRET, startProvider } from '../oidc/oidc-test-provider.js'

ensureDashboardBuilt()

t.test('signing in with the SSO button', { skip: chromiumMissing, timeout: 120_000 }, async (t) => {
  const s = await startBrowserSession(t)
  const { page, base } = s
  const provider = await startProvider(t, { redirectUris: [`${base}/api/v1/auth/oidc/callback`] })
  await provider.setAccounts({
    'kim-sub': { email: 'kim@example.com', email_verified: true, preferred_username: 'kim', groups: ['lab-admins'] }
  })

  await page.goto(`${base}/settings/oidc`)
  await page.getByLabel('Username or e-mail').fill('admin')
  await page.getByLabel('Password').fill(ADMIN_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { level: 1, name: 'OpenID Connect' }).waitFor()
  t.match(await page.getByLabel(/^Callback URL/).textContent(), `${base}/api/v1/auth/oidc/callback`)
  await page.getByLabel('Enable OpenID Connect sign-in').check()
  await page.getByLabel('Create an account at the first sign-in').check()
  await page.getByLabel('Issuer URL').fill(provider.issuer)
  await page.getByLabel('Client ID').fill(CLIENT_ID)
  await page.getByLabel('Scopes').fill('openid email profile groups')
  await page.getByLabel('Button text').fill('Sign in with Lab SSO')
  await page.getByLabel('Group claim').fill('groups')
  await page.getByRole('button', { name: 'Add a row' }).click()
  await page.getByLabel('Group', { exact: true }).fill('lab-admins')
  await page.getByLabel('Role', { exact: true }).selectOption('admin')
  await page.getByRole('button', { name: 'Apply' }).click()
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor()
  await page.getByLabel('Client Secret').fill(CLIENT_SECRET)
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await page.getByText('✓ Set').waitFor()
  t.notOk((await page.content()).includes(CLIENT_SECRET), 'the secret is not shown back')
  await s.shot('oidc-settings')

  await page.getByRole('button', { name: 'Sign out', exact: true }).click()
  const button = page.getByRole('link', { name: 'Sign in with Lab SSO' })
  await button.waitFor()
  await button.click()
  // The provider's own pages: login (any password for its dev accounts), then consent.
  await page.locator('input[name="login"]').fill('kim-sub')
  await page.locator('input[name="password"]').fill('anything')
  await page.getByRole('button', { name: 'Sign-in' }).click()
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor()
  const me = (await page.evaluate("fetch('/api/v1/auth/me').then((r) => r.json())")) as { user: { username: string; role: string } }
  t.match(me.user, { username: 'kim', role: 'admin' }, 'signed in as the new account with the mapped role')
  const cookie = (await s.context.cookies()).find((c) => c.name === 'token')
  t.ok(cookie?.httpOnly, 'session cookie is HttpOnly')

  const admin = (
    await s.ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } })
  ).json() as { token: string }
  const on = await s.ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/auth/oidc/settings',
    headers: bearer(admin.token),
    payload: { oidc_disable_local_auth: true }
  })
  t.equal(on.statusCode, 200)
  await page.getByRole('button', { name: 'Sign out', exact: true }).click()
  await page.getByRole('link', { name: 'Sign in with Lab SSO' }).waitFor()
  t.equal(await page.getByLabel('Password').count(), 0, 'OIDC only: no password form')
  await s.shot('login-oidc-only')

  await page.goto(`${base}/login?error=${encodeURIComponent('The identity provider refused the sign-in')}`)
  await page.getByRole('alert').filter({ hasText: 'The identity provider refused the sign-in' }).waitFor()
  // The provider's dev pages ask for a web font on the internet, which this machine cannot resolve.
  t.same(
    s.consoleErrors.filter((e) => !e.includes('ERR_NAME_NOT_RESOLVED')),
    [],
    'no script errors'
  )
})
