// The account-linking rules (shared with Discord: src/users/account-linking.ts) as OIDC applies them.
import t from 'tap'
import { bearer, buildTestApp, type TestApp } from '../helpers/test-app.js'
import { configureOidc, loginError, sessionCookie, signInWithOidc, startProvider } from './oidc-test-provider.js'

async function createUser(ctx: TestApp, username: string, email: string) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(ctx.adminToken),
    payload: { username, email, password: `${username}-password`, role: 'user' }
  })
  if (res.statusCode !== 201) throw new Error(`creating ${username}: ${res.body}`)
}

async function meName(ctx: TestApp, token: string | undefined): Promise<string | undefined> {
  const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { token: token ?? '' } })
  return (res.json() as { user?: { username: string } }).user?.username
}

const AUTO_CREATE_OFF = 'No PatchMon account is linked to this identity and accounts are not created automatically: ask an administrator'

t.test('link by e-mail: only a verified address, and only with the setting on', async (t) => {
  const provider = await startProvider(t)
  const ctx = await buildTestApp(t)
  await createUser(ctx, 'grace', 'grace@example.com')
  await configureOidc(ctx, provider)

  await provider.setAccounts({ g: { email: 'grace@example.com', email_verified: true } })
  t.equal(loginError(await signInWithOidc(ctx, 'g')), AUTO_CREATE_OFF, 'setting off: a verified address does not link')

  await configureOidc(ctx, provider, { oidc_link_by_email: true })
  await provider.setAccounts({ g: { email: 'grace@example.com', email_verified: false } })
  t.equal(loginError(await signInWithOidc(ctx, 'g')), AUTO_CREATE_OFF, 'email_verified false does not link')
  await provider.setAccounts({ g: { email: 'grace@example.com' } })
  t.equal(loginError(await signInWithOidc(ctx, 'g')), AUTO_CREATE_OFF, 'email_verified absent does not link')

  await provider.setAccounts({ g: { email: 'GRACE@example.com', email_verified: true } })
  const linked = await signInWithOidc(ctx, 'g')
  t.equal(await meName(ctx, sessionCookie(linked)), 'grace', 'verified + setting on: linked to the existing account')

  // Upstream's #1048: a provider that stops sending email_verified must not lock out a linked user.
  await configureOidc(ctx, provider, { oidc_link_by_email: false })
  for (const claims of [{ email: 'grace@example.com', email_verified: false }, { email: 'grace@example.com' }, {}]) {
    await provider.setAccounts({ g: claims })
    const res = await signInWithOidc(ctx, 'g')
    t.equal(await meName(ctx, sessionCookie(res)), 'grace', `linked user still signs in with ${JSON.stringify(claims)}`)
  }
})

t.test('an account linked to another identity is never taken over by e-mail; a disabled account is refused', async (t) => {
  const provider = await startProvider(t)
  const ctx = await buildTestApp(t)
  await configureOidc(ctx, provider, { oidc_link_by_email: true, oidc_auto_create_users: true })
  await createUser(ctx, 'hopper', 'hopper@example.com')
  await provider.setAccounts({ first: { email: 'hopper@example.com', email_verified: true } })
  t.equal(await meName(ctx, sessionCookie(await signInWithOidc(ctx, 'first'))), 'hopper')

  await provider.setAccounts({ second: { email: 'hopper@example.com', email_verified: true } })
  t.equal(
    loginError(await signInWithOidc(ctx, 'second')),
    'The account with this e-mail address is linked to another identity of this provider'
  )

  const row = await ctx.store.db.selectFrom('users').select('id').where('username', '=', 'hopper').executeTakeFirstOrThrow()
  await ctx.app.inject({ method: 'PUT', url: `/api/v1/users/${row.id}`, headers: bearer(ctx.adminToken), payload: { is_active: false } })
  await provider.setAccounts({ first: { email: 'hopper@example.com', email_verified: true } })
  t.equal(loginError(await signInWithOidc(ctx, 'first')), 'Account disabled')
})

t.test('auto-created accounts: an unverified or taken e-mail is not copied; names stay unique', async (t) => {
  const provider = await startProvider(t)
  const ctx = await buildTestApp(t)
  await createUser(ctx, 'linus', 'linus@example.com')
  await configureOidc(ctx, provider, { oidc_auto_create_users: true, oidc_default_role: 'readonly' })
  await provider.setAccounts({
    a: { email: 'linus@example.com', email_verified: true, preferred_username: 'linus' },
    b: { email: 'new@example.com', email_verified: false, preferred_username: 'linus' }
  })
  t.equal(await meName(ctx, sessionCookie(await signInWithOidc(ctx, 'a'))), 'linus1', 'name taken: a numbered one')
  t.equal(await meName(ctx, sessionCookie(await signInWithOidc(ctx, 'b'))), 'linus2')
  const rows = await ctx.store.db
    .selectFrom('users')
    .select(['username', 'email', 'role'])
    .where('oidc_sub', 'in', ['a', 'b'])
    .orderBy('username')
    .execute()
  t.same(rows, [
    { username: 'linus1', email: null, role: 'readonly' },
    { username: 'linus2', email: null, role: 'readonly' }
  ])
})

t.test('an OIDC link counts as a way in: a passwordless user may unlink Discord', async (t) => {
  const provider = await startProvider(t)
  const ctx = await buildTestApp(t)
  await configureOidc(ctx, provider, { oidc_auto_create_users: true })
  await provider.setAccounts({ d: { email: 'd@example.com', email_verified: true, preferred_username: 'dana' } })
  const token = sessionCookie(await signInWithOidc(ctx, 'd'))
  // As if Discord had been linked from the profile (the Discord flow has its own tests).
  await ctx.store.db
    .updateTable('users')
    .set({ discord_id: '123456789012345678', discord_username: 'dana' })
    .where('username', '=', 'dana')
    .execute()
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/discord/unlink',
    cookies: { token: token ?? '' },
    headers: { origin: 'http://localhost' }
  })
  t.equal(res.statusCode, 200, res.body)
  const row = await ctx.store.db
    .selectFrom('users')
    .select(['discord_id', 'password_hash'])
    .where('username', '=', 'dana')
    .executeTakeFirstOrThrow()
  t.same(row, { discord_id: null, password_hash: null })
})
