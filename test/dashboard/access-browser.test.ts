// Access control in a real browser (Debian's chromium): an admin makes a custom role on the Users
// screen, and a user limited to one host group sees only that group's host on the hosts screen.
import t from 'tap'
import { bearer, login } from '../helpers/test-app.js'
import { ensureDashboardBuilt } from '../helpers/dashboard-build.js'
import { chromiumMissing, startBrowserSession } from '../helpers/browser-session.js'

ensureDashboardBuilt()

t.test('roles and host-group limits in a real browser', { skip: chromiumMissing, timeout: 180_000 }, async (t) => {
  const s = await startBrowserSession(t)
  const { page, base, ctx } = s
  const api = async (method: 'POST', url: string, payload: object) => {
    const res = await ctx.app.inject({ method, url, headers: bearer(ctx.adminToken), payload })
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
    return res.json() as { id: string }
  }
  const mine = (await api('POST', '/api/v1/host-groups', { name: 'Web servers' })).id
  const theirs = (await api('POST', '/api/v1/host-groups', { name: 'Databases' })).id
  await api('POST', '/api/v1/hosts', { friendly_name: 'web-01', host_group_ids: [mine] })
  await api('POST', '/api/v1/hosts', { friendly_name: 'db-secret-01', host_group_ids: [theirs] })

  await t.test('an admin adds a custom role limited to one group from the Users screen', async (t) => {
    await s.context.addCookies([{ name: 'token', value: ctx.adminToken, url: base, httpOnly: true, sameSite: 'Strict' }])
    await page.goto(`${base}/settings/users`)
    await page.getByRole('button', { name: 'Add role' }).click()
    await page.getByLabel('Name').fill('web-team')
    await page.getByLabel('View hosts').check()
    await page.getByLabel('View the overview').check()
    await page.getByLabel('Every host').uncheck()
    await page.getByLabel('Only hosts in Web servers').check()
    await page.getByRole('button', { name: 'Add role', exact: true }).last().click()
    await page.getByText('limited to 1 group(s)').waitFor()
    const roles = (await ctx.app.inject({ method: 'GET', url: '/api/v1/roles', headers: bearer(ctx.adminToken) })).json() as {
      name: string
      permissions: string[]
      host_group_ids: string[] | null
    }[]
    t.match(
      roles.find((r) => r.name === 'web-team'),
      { permissions: ['can_view_hosts', 'can_view_dashboard'], host_group_ids: [mine] }
    )
    await s.shot('access-roles')
  })

  await t.test('a user with that role sees only the hosts of its group', async (t) => {
    await api('POST', '/api/v1/users', { username: 'webber', password: 'webber-password', role: 'web-team' })
    const token = await login(ctx.app, 'webber', 'webber-password')
    await s.context.clearCookies()
    await s.context.addCookies([{ name: 'token', value: token, url: base, httpOnly: true, sameSite: 'Strict' }])
    await page.goto(`${base}/hosts`)
    await page.getByRole('link', { name: 'web-01' }).waitFor()
    const text = await page.locator('main').innerText()
    t.notMatch(text, /db-secret-01/, 'the other group’s host is not on the page')
    t.notMatch(text, /Databases/, 'nor is its group')
    await s.shot('access-scoped-hosts')
  })
})
