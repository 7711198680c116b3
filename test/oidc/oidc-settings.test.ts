import t from 'tap'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { ADMIN_PASSWORD, bearer, buildTestApp, login, userWithRole } from '../helpers/test-app.js'
import { configureOidc, sessionCookie, signInWithOidc, startProvider } from './oidc-test-provider.js'

const put = (token: string, payload: Record<string, unknown>) => ({
  method: 'PUT' as const,
  url: '/api/v1/auth/oidc/settings',
  headers: bearer(token),
  payload
})

t.test('the client secret is write-only and sealed at rest; settings need can_manage_settings', async (t) => {
  const ctx = await buildTestApp(t)
  const saved = await ctx.app.inject(
    put(ctx.adminToken, {
      oidc_enabled: true,
      oidc_issuer_url: 'https://auth.example.com/application/o/patchmon/',
      oidc_client_id: 'patchmon',
      oidc_client_secret: 'very-secret-value',
      oidc_group_claim: 'groups',
      oidc_role_mapping: [{ claim: 'admins', role: 'admin' }]
    })
  )
  t.equal(saved.statusCode, 200)
  t.notMatch(saved.body, /very-secret-value/)
  const view = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/settings', headers: bearer(ctx.adminToken) })
  t.match(view.json(), {
    oidc_enabled: true,
    oidc_issuer_url: 'https://auth.example.com/application/o/patchmon/',
    oidc_client_secret_set: true,
    oidc_scopes: 'openid email profile',
    oidc_callback_url: 'http://localhost/api/v1/auth/oidc/callback',
    oidc_role_mapping: [{ claim: 'admins', role: 'admin' }],
    oidc_set_by_environment: []
  })
  t.notMatch(view.body, /very-secret-value/)
  const row = await ctx.store.db.selectFrom('oidc_settings').select('client_secret').executeTakeFirstOrThrow()
  t.ok(row.client_secret && !row.client_secret.includes('very-secret-value'), 'sealed in the database')
  t.match(ctx.logs.join('\n'), /OIDC settings updated/)
  t.notMatch(ctx.logs.join('\n'), /very-secret-value/, 'never logged')

  const viewer = await login(ctx.app, 'readonly-user', await userWithRole(ctx, 'readonly').then(() => 'readonly-user-password'))
  t.equal((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/settings', headers: bearer(viewer) })).statusCode, 403)
  t.equal((await ctx.app.inject(put(viewer, { oidc_enabled: false }))).statusCode, 403)
})

t.test('bad values are refused with their message', async (t) => {
  const ctx = await buildTestApp(t)
  const cases: [Record<string, unknown>, number, string][] = [
    [{ oidc_issuer_url: 'ftp://x' }, 400, 'Issuer URL must be an absolute http:// or https:// URL without a query string'],
    [{ oidc_redirect_uri: 'https://x/cb?a=1' }, 400, 'Redirect URI must be an absolute http:// or https:// URL without a query string'],
    [{ oidc_scopes: 'email profile' }, 400, 'Scopes must include openid'],
    [{ oidc_role_mapping: [{ claim: 'x', role: 'no-such-role' }] }, 400, 'Role "no-such-role" does not exist'],
    [{ oidc_default_role: 'ghost' }, 400, 'Role "ghost" does not exist'],
    [{ oidc_disable_local_auth: true }, 400, 'OIDC-only mode needs OpenID Connect sign-in enabled and fully configured first']
  ]
  for (const [payload, status, error] of cases) {
    const res = await ctx.app.inject(put(ctx.adminToken, payload))
    t.equal(res.statusCode, status, JSON.stringify(payload))
    t.same(res.json(), { error })
  }
  t.notOk(await ctx.store.db.selectFrom('oidc_settings').selectAll().executeTakeFirst(), 'nothing saved by a refused change')
})

t.test('OIDC_* variables win over the dashboard and lock their fields', async (t) => {
  const ctx = await buildTestApp(t, {
    env: {
      OIDC_ENABLED: 'true',
      OIDC_ISSUER_URL: 'https://kc.example.com/realms/lab',
      OIDC_CLIENT_SECRET: 'env-secret',
      OIDC_ROLE_MAPPING: 'ops=host_manager,/admins=admin'
    }
  })
  const view = (await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/settings', headers: bearer(ctx.adminToken) })).json()
  t.match(view, {
    oidc_enabled: true,
    oidc_issuer_url: 'https://kc.example.com/realms/lab',
    oidc_client_secret_set: true,
    oidc_role_mapping: [
      { claim: 'ops', role: 'host_manager' },
      { claim: '/admins', role: 'admin' }
    ]
  })
  t.same([...(view as { oidc_set_by_environment: string[] }).oidc_set_by_environment].sort(), [
    'oidc_client_secret',
    'oidc_enabled',
    'oidc_issuer_url',
    'oidc_role_mapping'
  ])
  const res = await ctx.app.inject(put(ctx.adminToken, { oidc_issuer_url: 'https://other.example.com' }))
  t.equal(res.statusCode, 409)
  t.same(res.json(), { error: 'oidc_issuer_url is set by the environment (OIDC_ISSUER_URL) and cannot be changed here' })
  t.equal((await ctx.app.inject(put(ctx.adminToken, { oidc_client_id: 'from-dashboard' }))).statusCode, 200, 'other fields stay editable')
})

t.test('OIDC-only mode: the login page is told, password sign-in is refused, the CLI break-glass turns it off', async (t) => {
  const provider = await startProvider(t)
  const ctx = await buildTestApp(t)
  await configureOidc(ctx, provider, { oidc_auto_create_users: true, oidc_button_text: 'Sign in with Lab SSO' })
  const before = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/config' })
  t.same(before.json(), { enabled: true, buttonText: 'Sign in with Lab SSO', oidcOnly: false, endSession: false })

  await configureOidc(ctx, provider, { oidc_disable_local_auth: true })
  t.match((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/config' })).json(), { oidcOnly: true })
  const refused = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'admin', password: ADMIN_PASSWORD }
  })
  t.equal(refused.statusCode, 403)
  t.same(refused.json(), { error: 'Password sign-in is turned off: sign in with single sign-on' })
  t.notOk(
    refused.cookies.find((c) => c.name === 'token'),
    'no session'
  )
  await provider.setAccounts({ s: { email: 's@example.com', email_verified: true } })
  t.ok(sessionCookie(await signInWithOidc(ctx, 's')), 'OIDC sign-in still works')

  const tsx = join(__dirname, '../../node_modules/.bin/tsx')
  const run = spawnSync(tsx, [join(__dirname, '../../src/main.ts'), 'admin', 'allow-password-login'], {
    env: { ...process.env, PATCHMON_DATA_DIR: ctx.dataDir, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 60_000
  })
  t.equal(run.status, 0, run.stderr)
  t.match(run.stdout, /OIDC-only mode turned off: password sign-in works again/)
  const allowed = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'admin', password: ADMIN_PASSWORD }
  })
  t.equal(allowed.statusCode, 200, 'password sign-in works again')
})
