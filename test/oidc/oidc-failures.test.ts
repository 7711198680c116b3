import t from 'tap'
import { createServer } from 'node:net'
import { bearer, buildTestApp } from '../helpers/test-app.js'
import {
  authorizeAtProvider,
  callback,
  configureOidc,
  loginError,
  sessionCookie,
  signInWithOidc,
  startProvider,
  startSignIn
} from './oidc-test-provider.js'

const ACCOUNT = { 'sub-1': { email: 'one@example.com', email_verified: true, preferred_username: 'one' } }

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

t.test('a state that is not the cookie, a missing cookie and a replayed state are refused with their own messages', async (t) => {
  const provider = await startProvider(t)
  const ctx = await buildTestApp(t)
  await configureOidc(ctx, provider, { oidc_auto_create_users: true })
  await provider.setAccounts(ACCOUNT)
  const mismatch = 'This sign-in answer does not belong to this browser: start the sign-in again from the login page'

  const a = await startSignIn(ctx)
  const back = await authorizeAtProvider(a.authorizeUrl, 'sub-1')
  const other = await startSignIn(ctx)
  t.equal(loginError(await callback(ctx, back, other.stateCookie)), mismatch, "another sign-in's cookie")
  t.equal(loginError(await callback(ctx, back, undefined)), mismatch, 'no cookie (another browser)')
  const ok = await callback(ctx, back, a.stateCookie)
  t.equal(ok.headers.location, '/', 'the right cookie signs in')
  t.match(
    ok.cookies.find((c) => c.name === 'oidc_state'),
    { value: '', path: '/api/v1/auth/oidc' },
    'state cookie cleared'
  )
  t.equal(
    loginError(await callback(ctx, back, a.stateCookie)),
    'The sign-in took longer than 10 minutes or was already used: start it again',
    'single use'
  )

  const late = await startSignIn(ctx)
  const lateBack = await authorizeAtProvider(late.authorizeUrl, 'sub-1')
  const realNow = ctx.app.oidcPendingSignIns.now
  ctx.app.oidcPendingSignIns.now = () => realNow() + 11 * 60_000
  t.equal(
    loginError(await callback(ctx, lateBack, late.stateCookie)),
    'The sign-in took longer than 10 minutes or was already used: start it again'
  )
})

t.test('a wrong client secret is named as such at the callback', async (t) => {
  const provider = await startProvider(t)
  const ctx = await buildTestApp(t)
  await configureOidc(ctx, provider, { oidc_auto_create_users: true, oidc_client_secret: 'not-the-secret' })
  await provider.setAccounts(ACCOUNT)
  const res = await signInWithOidc(ctx, 'sub-1')
  t.equal(loginError(res), 'The identity provider refused the client ID or client secret: check them in Settings > OpenID Connect')
  t.notOk(sessionCookie(res))
})

t.test('an unreachable issuer is reported when the button is clicked, and the reply holds no stack', async (t) => {
  const ctx = await buildTestApp(t)
  const res = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/auth/oidc/settings',
    headers: bearer(ctx.adminToken),
    payload: { oidc_enabled: true, oidc_issuer_url: `http://127.0.0.1:${await closedPort()}`, oidc_client_id: 'x', oidc_client_secret: 'y' }
  })
  t.equal(res.statusCode, 200)
  const start = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/login' })
  t.equal(start.statusCode, 302)
  t.equal(
    loginError(start),
    'The identity provider could not be reached or did not answer as an OpenID provider: check the issuer URL and that this server can reach it'
  )
  t.notMatch(String(start.headers.location), /Error|at |\.ts/, 'no stack or internals')
})

t.test('an issuer URL that is not an OpenID provider is reported the same way', async (t) => {
  const ctx = await buildTestApp(t)
  const server = ctx.app.server.listening ? undefined : await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  t.ok(server)
  await configureOidc(ctx, { issuer: `${server}/not-a-provider` })
  const start = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/login' })
  t.match(loginError(start), /^The identity provider could not be reached or did not answer as an OpenID provider/)
})

t.test('the provider refusing (error=access_denied) and sign-in when disabled or unconfigured', async (t) => {
  const provider = await startProvider(t)
  const ctx = await buildTestApp(t)
  t.equal(loginError(await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/login' })), 'Single sign-on is not enabled')
  await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/auth/oidc/settings',
    headers: bearer(ctx.adminToken),
    payload: { oidc_enabled: true }
  })
  t.match(loginError(await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/login' })), /^Single sign-on is not fully configured/)
  await configureOidc(ctx, provider)
  const start = await startSignIn(ctx)
  const state = new URL(start.authorizeUrl).searchParams.get('state') ?? ''
  const refused = await callback(
    ctx,
    new URL(`http://localhost/api/v1/auth/oidc/callback?error=access_denied&state=${state}`),
    start.stateCookie
  )
  t.equal(loginError(refused), 'The identity provider refused the sign-in')
})

t.test('auto-create off: an unknown identity is refused with a message saying so', async (t) => {
  const provider = await startProvider(t)
  const ctx = await buildTestApp(t)
  await configureOidc(ctx, provider)
  await provider.setAccounts(ACCOUNT)
  const res = await signInWithOidc(ctx, 'sub-1')
  t.equal(
    loginError(res),
    'No PatchMon account is linked to this identity and accounts are not created automatically: ask an administrator'
  )
  t.equal((await ctx.store.db.selectFrom('users').select('id').where('username', '=', 'one').execute()).length, 0)
})
