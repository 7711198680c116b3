// Issue 15 item 9 (same-site CSRF) and item 15, second half (authenticate before validating).
// Cookie-authenticated changes need an Origin or Sec-Fetch-Site naming this server; bearer
// clients are unaffected. Protected routes answer 401/403 before any field-level validation.
import t from 'tap'
import { bearer, buildTestApp, type TestApp } from '../helpers/test-app.js'
import { createHostViaApi } from '../helpers/agent-fixtures.js'

const cookie = (ctx: TestApp) => ({ token: ctx.adminToken })

t.test('cookie-authenticated state changes need a matching Origin or Sec-Fetch-Site', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'csrf-target')
  const url = `/api/v1/hosts/${host.id}/regenerate-credentials`
  // A form or fetch from a sibling origin sends text/plain with the cookie.
  const attacks: [string, Record<string, string>][] = [
    ['no Origin at all', { 'content-type': 'text/plain' }],
    ['a sibling port of the same host', { 'content-type': 'text/plain', origin: 'http://localhost:8080' }],
    ['a sibling subdomain', { 'content-type': 'text/plain', origin: 'http://evil.localhost' }],
    ['a same-site fetch', { 'content-type': 'text/plain', 'sec-fetch-site': 'same-site', origin: 'http://localhost' }],
    ['a cross-site fetch', { 'sec-fetch-site': 'cross-site' }],
    ['Origin null', { origin: 'null' }]
  ]
  for (const [name, headers] of attacks) {
    const res = await ctx.app.inject({ method: 'POST', url, cookies: cookie(ctx), headers, payload: '' })
    t.equal(res.statusCode, 403, name)
    t.equal(res.json().error, 'Cross-site request refused', name)
  }
  const logout = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/logout', cookies: cookie(ctx) })
  t.equal(logout.statusCode, 403, 'logout too')
  const stillIn = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: cookie(ctx) })
  t.equal(stillIn.statusCode, 200, 'reads with the cookie need no Origin, and the session was not ended')

  const sameOrigin = await ctx.app.inject({ method: 'POST', url, cookies: cookie(ctx), headers: { origin: 'http://localhost' } })
  t.not(sameOrigin.statusCode, 403, 'Origin of this server is accepted')
  const fetchMeta = await ctx.app.inject({ method: 'POST', url, cookies: cookie(ctx), headers: { 'sec-fetch-site': 'same-origin' } })
  t.not(fetchMeta.statusCode, 403, 'Sec-Fetch-Site: same-origin is accepted')
  const bearerClient = await ctx.app.inject({ method: 'POST', url, headers: bearer(ctx.adminToken) })
  t.not(bearerClient.statusCode, 403, 'bearer clients send no Origin and are unaffected')
})

t.test('the configured server URL counts as this server (reverse proxy in front)', async (t) => {
  const ctx = await buildTestApp(t, { env: { PATCHMON_SERVER_URL: 'https://patch.example.com' } })
  const res = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings',
    cookies: cookie(ctx),
    headers: { origin: 'https://patch.example.com' },
    payload: { update_interval: 30 }
  })
  t.equal(res.statusCode, 200)
})

t.test('protected routes authenticate before validating the body', async (t) => {
  const ctx = await buildTestApp(t)
  const cases: [string, 'PUT' | 'POST', Record<string, unknown>][] = [
    ['/api/v1/settings', 'PUT', { update_interval: 'soon', secret_field: 1 }],
    ['/api/v1/users', 'POST', { username: '' }],
    ['/api/v1/hosts', 'POST', { friendly_name: 42 }],
    ['/api/v1/auth/change-password', 'POST', {}]
  ]
  for (const [url, method, payload] of cases) {
    const res = await ctx.app.inject({ method, url, payload })
    t.equal(res.statusCode, 401, `${method} ${url}`)
    t.same(res.json(), { error: 'Unauthorized' }, `${method} ${url}: no field detail`)
  }
  const api = await ctx.app.inject({ method: 'GET', url: `/api/v1/api/hosts?hostgroup=${'a'.repeat(5000)}` })
  t.equal(api.statusCode, 401, 'Integration API: Basic auth before the query is validated')
  t.same(api.json(), { error: 'Missing or invalid authorization header' })
  const readonly = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(ctx.adminToken),
    payload: { username: 'ro', password: 'readonly-pass-1', role: 'readonly' }
  })
  t.equal(readonly.statusCode, 201)
  const login = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'ro', password: 'readonly-pass-1' }
  })
  const roToken = (login.json() as { token: string }).token
  const denied = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings',
    headers: bearer(roToken),
    payload: { update_interval: 'soon' }
  })
  t.equal(denied.statusCode, 403, 'a role without the permission learns nothing about the body either')
  t.same(denied.json(), { error: 'Insufficient permissions' })
})
