import t from 'tap'
import { buildTestApp, type TestApp } from '../helpers/test-app.js'
import {
  configureOidc,
  INJECT_CALLBACK,
  loginError,
  sessionCookie,
  signInWithOidc,
  startProvider,
  startSignIn,
  CLIENT_ID
} from './oidc-test-provider.js'

async function me(ctx: TestApp, token: string | undefined) {
  const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { token: token ?? '' } })
  return { status: res.statusCode, user: (res.json() as { user?: { username: string; role: string; email: string | null } }).user }
}

const MAPPING = [
  { claim: 'pm-admins', role: 'admin' },
  { claim: 'pm-ops', role: 'host_manager' },
  { claim: 'pm-viewers', role: 'readonly' }
]

t.test('the login endpoint redirects to the provider with code + PKCE S256, state, nonce and the HttpOnly state cookie', async (t) => {
  const provider = await startProvider(t)
  const ctx = await buildTestApp(t)
  await configureOidc(ctx, provider)
  const { authorizeUrl, stateCookie, response } = await startSignIn(ctx)
  const url = new URL(authorizeUrl)
  t.equal(url.origin, provider.issuer)
  const q = url.searchParams
  t.equal(q.get('client_id'), CLIENT_ID)
  t.equal(q.get('response_type'), 'code')
  t.equal(q.get('redirect_uri'), INJECT_CALLBACK)
  t.equal(q.get('scope'), 'openid email profile groups')
  t.equal(q.get('code_challenge_method'), 'S256')
  t.match(q.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/)
  t.ok(q.get('nonce'), 'a nonce')
  t.equal(q.get('state'), stateCookie, 'the state is the cookie')
  t.match(
    response.cookies.find((c) => c.name === 'oidc_state'),
    { httpOnly: true, sameSite: 'Lax', path: '/api/v1/auth/oidc', maxAge: 600 }
  )
  t.not((await startSignIn(ctx)).stateCookie, stateCookie, 'a new state every time')
})

t.test('first sign-in creates the account with the mapped role; the mapping is re-evaluated at every sign-in', async (t) => {
  const provider = await startProvider(t)
  const ctx = await buildTestApp(t)
  await configureOidc(ctx, provider, { oidc_auto_create_users: true, oidc_group_claim: 'groups', oidc_role_mapping: MAPPING })
  const claims = { email: 'ada@example.com', email_verified: true, preferred_username: 'ada', given_name: 'Ada', family_name: 'L' }
  await provider.setAccounts({ 'ada-sub': { ...claims, groups: ['staff', 'pm-ops'] } })

  const first = await signInWithOidc(ctx, 'ada-sub')
  t.equal(first.statusCode, 302)
  t.equal(first.headers.location, '/', 'to the dashboard')
  t.match(await me(ctx, sessionCookie(first)), { status: 200, user: { username: 'ada', role: 'host_manager', email: 'ada@example.com' } })
  const row = await ctx.store.db.selectFrom('users').selectAll().where('username', '=', 'ada').executeTakeFirstOrThrow()
  t.equal(row.password_hash, null, 'no password')
  t.equal(row.oidc_provider, provider.issuer)
  t.equal(row.oidc_sub, 'ada-sub')
  t.equal(row.first_name, 'Ada')

  await provider.setAccounts({ 'ada-sub': { ...claims, groups: ['pm-admins', 'pm-ops'] } })
  const second = await signInWithOidc(ctx, 'ada-sub')
  t.match(await me(ctx, sessionCookie(second)), { status: 200, user: { username: 'ada', role: 'admin' } }, 'promoted: first match wins')

  await provider.setAccounts({ 'ada-sub': { ...claims, groups: ['pm-viewers'] } })
  const third = await signInWithOidc(ctx, 'ada-sub')
  t.match(await me(ctx, sessionCookie(third)), { user: { role: 'readonly' } }, 'demoted')
  const users = await ctx.store.db.selectFrom('users').select('id').where('oidc_sub', '=', 'ada-sub').execute()
  t.equal(users.length, 1, 'still one account')

  await provider.setAccounts({ 'ada-sub': { ...claims, groups: ['staff'] } })
  const unmapped = await signInWithOidc(ctx, 'ada-sub')
  t.equal(
    loginError(unmapped),
    'None of your groups is mapped to a PatchMon role: ask an administrator to add your group to the role mapping'
  )
  t.notOk(sessionCookie(unmapped), 'no session')

  await provider.setAccounts({ 'ada-sub': { ...claims } })
  const noClaim = await signInWithOidc(ctx, 'ada-sub')
  t.equal(
    loginError(noClaim),
    'The identity provider did not send the "groups" claim: add it to the scopes or claims of the PatchMon client at the provider'
  )
})

t.test("a rotated provider signing key is picked up at the next sign-in (the ID token's signature is checked)", async (t) => {
  const provider = await startProvider(t)
  const ctx = await buildTestApp(t)
  await configureOidc(ctx, provider, { oidc_auto_create_users: true })
  await provider.setAccounts({ 'rot-sub': { email: 'rot@example.com', email_verified: true, preferred_username: 'rot' } })
  const before = await provider.currentKid()
  t.ok(sessionCookie(await signInWithOidc(ctx, 'rot-sub')), 'signed in with the first key')
  const after = await provider.rotateKeys()
  t.not(after, before, 'a new key id')
  const jwks = (await (await fetch(`${provider.issuer}/jwks`)).json()) as { keys: { kid: string }[] }
  t.same(
    jwks.keys.map((k) => k.kid),
    [after],
    'the old key is gone from the JWKS'
  )
  await provider.setAccounts({ 'rot-sub': { email: 'rot@example.com', email_verified: true, preferred_username: 'rot' } })
  const res = await signInWithOidc(ctx, 'rot-sub')
  t.equal(res.headers.location, '/', loginError(res) ?? 'signed in')
  t.match(await me(ctx, sessionCookie(res)), { status: 200, user: { username: 'rot' } })
})

t.test('an ID token signed 3 hours in the past (provider clock behind) is refused as expired', async (t) => {
  const provider = await startProvider(t, { clockOffsetSeconds: -3 * 3600 })
  const ctx = await buildTestApp(t)
  await configureOidc(ctx, provider, { oidc_auto_create_users: true })
  await provider.setAccounts({ 'late-sub': { email: 'late@example.com', email_verified: true } })
  const res = await signInWithOidc(ctx, 'late-sub')
  t.equal(
    loginError(res),
    'The identity token is expired or not yet valid: check that the clocks of this server and of the identity provider agree'
  )
  t.notOk(sessionCookie(res))
  t.equal((await ctx.store.db.selectFrom('users').select('id').where('oidc_sub', '=', 'late-sub').execute()).length, 0, 'no account')
})

t.test("end-session logout: the browser that signed in through the provider is sent to the provider's logout", async (t) => {
  const provider = await startProvider(t)
  const ctx = await buildTestApp(t)
  await configureOidc(ctx, provider, { oidc_auto_create_users: true, oidc_end_session: true })
  await provider.setAccounts({ 'out-sub': { email: 'out@example.com', email_verified: true } })
  const res = await signInWithOidc(ctx, 'out-sub')
  const idToken = res.cookies.find((c) => c.name === 'oidc_id_token')
  t.match(idToken, { httpOnly: true, path: '/api/v1/auth/oidc' }, 'the ID token kept for the logout hint')
  t.match((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/config' })).json(), { endSession: true })

  const out = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/logout', cookies: { oidc_id_token: idToken?.value ?? '' } })
  t.equal(out.statusCode, 302)
  const target = new URL(String(out.headers.location))
  t.equal(`${target.origin}${target.pathname}`, `${provider.issuer}/session/end`)
  t.equal(target.searchParams.get('id_token_hint'), idToken?.value)
  t.equal(target.searchParams.get('post_logout_redirect_uri'), 'http://localhost:80/login')
  t.match(
    out.cookies.find((c) => c.name === 'oidc_id_token'),
    { value: '' },
    'cleared'
  )

  const passwordUser = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/logout' })
  t.equal(passwordUser.headers.location, '/login', 'a browser without the ID token just goes to the login page')
})
