// Sessions and devices and the audit log in a real browser (Debian's chromium): the profile lists
// this browser's session beside a phone's, ends the phone's and then every other one; an admin ends
// all of another user's sessions from Users; the audit log shows those actions, filters by action
// and date, and exports the filtered entries as CSV.
import t from 'tap'
import { ADMIN_PASSWORD, bearer } from '../helpers/test-app.js'
import { ensureDashboardBuilt } from '../helpers/dashboard-build.js'
import { chromiumMissing, startBrowserSession } from '../helpers/browser-session.js'

ensureDashboardBuilt()

const PHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1'

t.test('sessions and the audit log in a real browser', { skip: chromiumMissing, timeout: 180_000 }, async (t) => {
  const s = await startBrowserSession(t)
  const { page, base, ctx } = s
  const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name }).waitFor()
  const open = async (path: string, title: string | RegExp) => {
    await page.goto(base + path)
    await heading(title)
  }
  const signInByApi = async (username: string, password: string, ua: string) => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'user-agent': ua },
      payload: { username, password }
    })
    return (res.json() as { token: string }).token
  }
  const stillSignedIn = async (token: string) =>
    (await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).statusCode === 200
  const confirm = async (button: string) => page.getByRole('dialog').getByRole('button', { name: button }).click()

  await page.goto(`${base}/login`)
  await page.getByLabel('Username or e-mail').fill('admin')
  await page.getByLabel('Password').fill('a-wrong-password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('alert').filter({ hasText: 'Invalid credentials' }).waitFor()
  await page.getByLabel('Password').fill(ADMIN_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${base}/`)
  const phone = await signInByApi('admin', ADMIN_PASSWORD, PHONE_UA)

  await t.test('profile: this session, a phone; end the phone, then every other session', async (t) => {
    await open('/settings/profile', 'Profile')
    const table = page.getByRole('table', { name: 'Active sessions' })
    await table.getByText('(this session)').waitFor()
    const phoneRow = table.getByRole('row').filter({ hasText: 'Safari on iOS' })
    await phoneRow.waitFor()
    t.equal(await table.locator('tbody tr').count(), 3, 'the test helper, this browser and the phone')
    t.match(await table.locator('tbody tr').filter({ hasText: '(this session)' }).innerText(), /Chrome on Linux[\s\S]*127\.0\.0\.1/)
    await s.shot('profile-sessions')
    await phoneRow.getByRole('button', { name: 'End' }).click()
    await confirm('End session')
    await page.getByText('Session ended.').waitFor()
    await phoneRow.waitFor({ state: 'detached' })
    t.notOk(await stillSignedIn(phone), 'the phone is signed out')

    await page.getByRole('button', { name: 'Sign out all other sessions' }).click()
    await confirm('Sign out others')
    await page.getByText('Other sessions ended.').waitFor()
    // The list reloads after the notice shows: wait for the second row to go before counting.
    await table.locator('tbody tr').nth(1).waitFor({ state: 'detached' })
    t.equal(await table.locator('tbody tr').count(), 1, 'only this session is left')
    t.notOk(await stillSignedIn(ctx.adminToken), "the helper's session ended too")
    t.ok((await stillSignedIn(ctx.adminToken)) === false && (await page.getByText('(this session)').count()) === 1)
  })

  await t.test("users: an admin ends all of another user's sessions", async (t) => {
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(await cookieToken()),
      payload: { username: 'viewer', password: 'viewer-password-1', role: 'readonly' }
    })
    t.equal(created.statusCode, 201, created.body)
    const viewer = await signInByApi('viewer', 'viewer-password-1', 'curl/8.5.0')
    await open('/settings/users', 'Users')
    await page.getByRole('row').filter({ hasText: 'viewer' }).getByRole('link', { name: 'Sessions' }).click()
    await heading('Sessions of viewer')
    await page.getByRole('cell', { name: 'curl' }).waitFor()
    await page.getByRole('button', { name: 'End all sessions' }).click()
    await confirm('End all')
    await page.getByText('All sessions ended.').waitFor()
    await page.getByText('No active sessions.').waitFor()
    t.notOk(await stillSignedIn(viewer), 'the viewer is signed out')
    await s.shot('user-sessions')
  })

  await t.test('audit log: the actions above, filtered by action and date, exported as CSV', async (t) => {
    await open('/settings/audit-log', 'Audit Log')
    const log = page.getByRole('table', { name: 'Audit log' })
    for (const action of ['session.end', 'session.end_others', 'user.sessions_end', 'signin.success', 'signin.failure']) {
      await log.locator(`tr[data-action="${action}"]`).first().waitFor()
    }
    t.match(await log.locator('tr[data-action="user.sessions_end"]').innerText(), /admin[\s\S]*viewer[\s\S]*success/)
    await s.shot('audit-log')

    await page.getByLabel('Action').selectOption('signin.failure')
    await page.waitForURL(/action=signin.failure/)
    await log.locator('tr[data-action="signin.failure"]').first().waitFor()
    // The URL changes before the filtered page arrives: wait for the other rows to go before counting.
    await log.locator('tbody tr:not([data-action="signin.failure"])').first().waitFor({ state: 'detached' })
    t.equal(await log.locator('tbody tr:not([data-action="signin.failure"])').count(), 0, 'only sign-in failures')
    t.match(await log.locator('tbody tr').first().innerText(), /wrong password/)

    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')
    t.match(href, /^\/api\/v1\/audit\/export\?action=signin\.failure/)
    const csv = await s.context.request.get(base + String(href))
    t.equal(csv.status(), 200)
    const lines = (await csv.text()).trim().split('\n')
    t.match(lines[0], /^created_at,actor_type/)
    t.ok(lines.length >= 2 && lines.slice(1).every((l) => l.includes('signin.failure')), 'the CSV holds the filtered entries')

    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    await page.getByLabel('From').fill(tomorrow)
    await page.getByText('No entries').waitFor()
    t.same(s.consoleErrors, [], 'no script errors')
  })

  await t.test('integrations: an API credential that may only read the audit log', async (t) => {
    await open('/settings/integrations', 'Integrations')
    await page.getByRole('tab', { name: 'Auto-Enrollment & API' }).click()
    await page.getByRole('button', { name: 'New Token' }).click()
    await page.getByLabel('Usage type').selectOption('api')
    await page.getByLabel('Token name').fill('SIEM')
    await page.getByLabel(/^host:get/).uncheck()
    await page.getByLabel(/^audit:get/).check()
    await page.getByRole('button', { name: 'Create Token' }).click()
    await page.getByText('Granted scopes').waitFor()
    t.match(await page.getByText('Granted scopes').textContent(), 'audit:get')
    const row = await ctx.store.db
      .selectFrom('auto_enrollment_tokens')
      .select('scopes')
      .where('token_name', '=', 'SIEM')
      .executeTakeFirstOrThrow()
    t.same(JSON.parse(row.scopes ?? 'null'), { audit: ['get'] })
    await page.getByRole('button', { name: 'I saved the secret' }).click()
  })

  async function cookieToken(): Promise<string> {
    return (await s.context.cookies()).find((c) => c.name === 'token')?.value ?? ''
  }
})
