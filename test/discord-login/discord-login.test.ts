import t from 'tap'
import { createHash } from 'node:crypto'
import { bearer, type TestApp } from '../helpers/test-app.js'
import { acceptAtDiscord, callback, discordApp, sessionCookie, signInWithDiscord, startLogin } from './discord-helpers.js'

async function createUser(ctx: TestApp, username: string, email: string | null) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(ctx.adminToken),
    payload: { username, email, password: `${username}-password`, role: 'user' }
  })
  if (res.statusCode !== 201) throw new Error(`creating ${username}: ${res.body}`)
}

async function userRow(ctx: TestApp, username: string) {
  return ctx.store.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst()
}

async function me(ctx: TestApp, token: string | undefined) {
  return ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { token: token ?? '' } })
}

t.test('the login endpoint redirects to Discord with PKCE S256, a random state and the HttpOnly state cookie', async (t) => {
  const { ctx, fake } = await discordApp(t)
  const { authorizeUrl, state, response } = await startLogin(ctx)
  const url = new URL(authorizeUrl)
  t.equal(`${url.origin}${url.pathname}`, `${fake.apiUrl}/oauth2/authorize`)
  t.match(authorizeUrl, /scope=identify%20email/, 'scopes separated by %20')
  const q = url.searchParams
  t.equal(q.get('client_id'), fake.clientId)
  t.equal(q.get('response_type'), 'code')
  t.equal(q.get('code_challenge_method'), 'S256')
  t.match(q.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/)
  t.equal(q.get('redirect_uri'), 'http://localhost:80/api/v1/auth/discord/callback', 'derived from the request when no server URL is set')
  t.match(state, /^[0-9a-f]{64}$/)
  const cookie = response.cookies.find((c) => c.name === 'discord_state')
  t.match(cookie, { value: state, httpOnly: true, sameSite: 'Lax', maxAge: 600 })
  t.notOk(cookie?.secure, 'not Secure over plain http')
  const second = await startLogin(ctx)
  t.not(second.state, state, 'a new state every time')
})

t.test('with an https server URL the cookie is Secure and the redirect URI uses it; an override wins', async (t) => {
  const { ctx, fake } = await discordApp(t, { PATCHMON_SERVER_URL: 'https://patchmon.example.com' })
  const { authorizeUrl, response } = await startLogin(ctx)
  t.equal(new URL(authorizeUrl).searchParams.get('redirect_uri'), 'https://patchmon.example.com/api/v1/auth/discord/callback')
  t.equal(response.cookies.find((c) => c.name === 'discord_state')?.secure, true)
  await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/auth/discord/settings',
    headers: bearer(ctx.adminToken),
    payload: { discord_redirect_uri: 'https://proxy.example.com/api/v1/auth/discord/callback/' }
  })
  const overridden = await startLogin(ctx)
  t.equal(
    new URL(overridden.authorizeUrl).searchParams.get('redirect_uri'),
    'https://proxy.example.com/api/v1/auth/discord/callback',
    'override, trailing slash removed'
  )
  t.ok(fake.clientId)
})

t.test('a verified Discord e-mail matching a user links that user and signs in', async (t) => {
  const { ctx, fake } = await discordApp(t)
  await createUser(ctx, 'bob', 'bob@example.com')
  fake.nextUser = {
    id: '80351110224678912',
    username: 'bobby',
    email: 'Bob@Example.com',
    verified: true,
    avatar: 'a_1269e74af4df7417b13759eae50c83dc'
  }
  const res = await signInWithDiscord(ctx)
  t.equal(res.statusCode, 302)
  t.equal(res.headers.location, '/?discord=success')
  const token = sessionCookie(res)
  t.ok(token, 'the session cookie is set')
  t.match(
    res.cookies.find((c) => c.name === 'token'),
    { httpOnly: true }
  )
  t.same(fake.refusals, [], 'the fake accepted the PKCE verifier and client credentials')
  t.equal(fake.tokenExchanges, 1)
  const profile = await me(ctx, token)
  t.equal(profile.statusCode, 200)
  t.match(profile.json().user, {
    username: 'bob',
    discord_linked: true,
    discord_username: 'bobby',
    discord_avatar: 'https://cdn.discordapp.com/avatars/80351110224678912/a_1269e74af4df7417b13759eae50c83dc.gif?size=256'
  })
  const row = await userRow(ctx, 'bob')
  t.equal(row?.discord_id, '80351110224678912')
  t.type(row?.discord_linked_at, 'string')

  fake.nextUser = { id: '80351110224678912', username: 'bobby2', email: 'other@example.com', verified: true, avatar: null }
  const again = await signInWithDiscord(ctx)
  t.equal(again.headers.location, '/?discord=success', 'the linked Discord id signs in even after an e-mail change')
  const after = await me(ctx, sessionCookie(again))
  t.match(
    after.json().user,
    { username: 'bob', discord_username: 'bobby2', discord_avatar: 'https://cdn.discordapp.com/embed/avatars/5.png' },
    'default avatar: (id >> 22) % 6'
  )
})

t.test('an unverified Discord e-mail is never used to link an existing account', async (t) => {
  const { ctx, fake } = await discordApp(t)
  await createUser(ctx, 'carol', 'carol@example.com')
  fake.nextUser = { id: '175928847299117063', username: 'mallory', email: 'carol@example.com', verified: false }
  const refused = await signInWithDiscord(ctx)
  t.equal(refused.headers.location, '/login?error=User+not+found', 'registration is off by default')
  t.equal((await userRow(ctx, 'carol'))?.discord_id, null)

  await ctx.app.settings.set('signup_enabled', true)
  const created = await signInWithDiscord(ctx)
  t.equal(created.headers.location, '/?discord=success')
  t.equal((await userRow(ctx, 'carol'))?.discord_id, null, 'carol is still not linked')
  const mallory = await userRow(ctx, 'mallory')
  t.equal(mallory?.email, 'discord_175928847299117063@discord.local', 'an unproven address is not stored as the e-mail')
})

t.test('self-registration creates users with sanitised names, numeric suffixes, the default role and no password', async (t) => {
  const { ctx, fake } = await discordApp(t)
  await ctx.app.settings.set('signup_enabled', true)
  await ctx.app.settings.set('default_user_role', 'readonly')

  fake.nextUser = { id: '100000000000000001', username: 'Ad min!', email: 'first@example.com', verified: true }
  t.equal((await signInWithDiscord(ctx)).headers.location, '/?discord=success')
  fake.nextUser = { id: '100000000000000002', username: 'admin', email: null, verified: false }
  t.equal((await signInWithDiscord(ctx)).headers.location, '/?discord=success')
  fake.nextUser = { id: '100000000000000003', username: '🙂 ☃', verified: true }
  t.equal((await signInWithDiscord(ctx)).headers.location, '/?discord=success')

  const rows = await ctx.store.db
    .selectFrom('users')
    .select(['username', 'email', 'role', 'password_hash', 'discord_id'])
    .where('discord_id', 'is not', null)
    .orderBy('discord_id')
    .execute()
  t.same(rows, [
    { username: 'Admin1', email: 'first@example.com', role: 'readonly', password_hash: null, discord_id: '100000000000000001' },
    {
      username: 'admin2',
      email: 'discord_100000000000000002@discord.local',
      role: 'readonly',
      password_hash: null,
      discord_id: '100000000000000002'
    },
    {
      username: 'discord',
      email: 'discord_100000000000000003@discord.local',
      role: 'readonly',
      password_hash: null,
      discord_id: '100000000000000003'
    }
  ])
})

t.test('with self-registration off an unknown Discord user gets /login?error=User+not+found', async (t) => {
  const { ctx, fake } = await discordApp(t)
  fake.nextUser = { id: '200000000000000001', username: 'stranger', email: 'stranger@example.com', verified: true }
  const res = await signInWithDiscord(ctx)
  t.equal(res.headers.location, '/login?error=User+not+found')
  t.notOk(sessionCookie(res))
  t.notOk(await userRow(ctx, 'stranger'))
})

t.test('a disabled user cannot sign in through Discord', async (t) => {
  const { ctx, fake } = await discordApp(t)
  await createUser(ctx, 'dave', 'dave@example.com')
  fake.nextUser = { id: '300000000000000001', username: 'dave', email: 'dave@example.com', verified: true }
  t.equal((await signInWithDiscord(ctx)).headers.location, '/?discord=success')
  await ctx.store.db.updateTable('users').set({ is_active: 0 }).where('username', '=', 'dave').execute()
  const res = await signInWithDiscord(ctx)
  t.equal(res.headers.location, '/login?error=Account+disabled')
  t.notOk(sessionCookie(res))
})

t.test('a state is single use: replaying the callback is Session expired', async (t) => {
  const { ctx } = await discordApp(t)
  const start = await startLogin(ctx)
  const back = await acceptAtDiscord(start.authorizeUrl)
  const first = await callback(ctx, back, start.cookie)
  t.equal(first.statusCode, 302)
  t.equal(first.headers.location, '/login?error=User+not+found')
  const replay = await callback(ctx, back, start.cookie)
  t.equal(replay.headers.location, '/login?error=Session+expired')
})

t.test('a state older than 10 minutes is refused', async (t) => {
  const { ctx, fake } = await discordApp(t)
  const start = await startLogin(ctx)
  const back = await acceptAtDiscord(start.authorizeUrl)
  const issuedAt = Date.now()
  ctx.app.discordOAuthStates.now = () => issuedAt + 10 * 60_000 + 1000
  const res = await callback(ctx, back, start.cookie)
  t.equal(res.headers.location, '/login?error=Session+expired')
  t.equal(fake.tokenExchanges, 0, 'no code exchange for an expired state')
})

t.test('the callback needs the discord_state cookie of the same browser', async (t) => {
  const { ctx, fake } = await discordApp(t)
  const start = await startLogin(ctx)
  const back = await acceptAtDiscord(start.authorizeUrl)
  const noCookie = await callback(ctx, back, undefined)
  t.equal(noCookie.headers.location, '/login?error=Invalid+authentication+response')
  const otherBrowser = await startLogin(ctx)
  const mismatch = await callback(ctx, back, otherBrowser.cookie)
  t.equal(mismatch.headers.location, '/login?error=Invalid+authentication+response')
  const missingCode = await callback(ctx, '/api/v1/auth/discord/callback', start.cookie)
  t.equal(missingCode.headers.location, '/login?error=Invalid+authentication+response')
  t.equal(fake.tokenExchanges, 0)
  t.match(mismatch.headers['set-cookie'], /discord_state=;/, 'the state cookie is cleared')
})

t.test('the fake Discord checks the PKCE verifier: a swapped challenge makes the exchange fail', async (t) => {
  const { ctx, fake } = await discordApp(t)
  const start = await startLogin(ctx)
  const attacker = new URL(start.authorizeUrl)
  attacker.searchParams.set('code_challenge', createHash('sha256').update('attacker-verifier').digest('base64url'))
  const back = await acceptAtDiscord(attacker.toString())
  const res = await callback(ctx, back, start.cookie)
  t.equal(res.headers.location, '/login?error=Authentication+failed')
  t.same(fake.refusals, ['token: pkce verifier'])
  t.match(ctx.logs.join('\n'), /token exchange answered 400 \(invalid_grant\)/)
})

t.test('Discord failures and refusals redirect with Authentication failed', async (t) => {
  const { ctx, fake } = await discordApp(t)
  const denied = await startLogin(ctx)
  const res = await callback(ctx, `/api/v1/auth/discord/callback?error=access_denied&state=${denied.state}`, denied.cookie)
  t.equal(res.headers.location, '/login?error=Authentication+failed')
  fake.profileStatus = 500
  const broken = await signInWithDiscord(ctx)
  t.equal(broken.headers.location, '/login?error=Authentication+failed')
})

t.test('login is refused with the documented messages when Discord is off or not fully configured', async (t) => {
  const { ctx, fake } = await discordApp(t)
  await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/auth/discord/settings',
    headers: bearer(ctx.adminToken),
    payload: { discord_client_secret: '' }
  })
  const incomplete = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/discord/login' })
  t.equal(incomplete.statusCode, 400)
  t.same(incomplete.json(), {
    error: 'Discord is not fully configured. Please set Client ID and Client Secret in Settings > Discord Auth.'
  })
  await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/auth/discord/settings',
    headers: bearer(ctx.adminToken),
    payload: { discord_client_secret: fake.clientSecret, discord_oauth_enabled: false }
  })
  const off = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/discord/login' })
  t.same(off.json(), { error: 'Discord authentication is not enabled' })

  await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/auth/discord/settings',
    headers: bearer(ctx.adminToken),
    payload: { discord_oauth_enabled: true }
  })
  const start = await startLogin(ctx)
  const back = await acceptAtDiscord(start.authorizeUrl)
  await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/auth/discord/settings',
    headers: bearer(ctx.adminToken),
    payload: { discord_oauth_enabled: false }
  })
  const midway = await callback(ctx, back, start.cookie)
  t.equal(midway.headers.location, '/login?error=Discord+not+configured', 'turned off while the user was at Discord')
})

t.test('the client secret and Discord tokens never appear in a response or a log line', async (t) => {
  const { ctx, fake } = await discordApp(t)
  await ctx.app.settings.set('signup_enabled', true)
  const bodies: string[] = []
  const record = (res: { body: string; headers: Record<string, unknown> }) => bodies.push(res.body, JSON.stringify(res.headers))
  const start = await startLogin(ctx)
  record(start.response)
  const done = await callback(ctx, await acceptAtDiscord(start.authorizeUrl), start.cookie)
  record(done)
  t.equal(done.headers.location, '/?discord=success')
  record(await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/discord/settings', headers: bearer(ctx.adminToken) }))
  record(await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/discord/config' }))
  record(await me(ctx, sessionCookie(done)))
  t.ok(start.authorizeUrl.includes(fake.clientId))
  const everything = bodies.join('\n')
  t.notOk(everything.includes(fake.clientSecret), 'no response carries the client secret')
  const logs = ctx.logs.join('\n')
  t.ok(logs.includes('signed in with Discord'), 'the sign-in was logged')
  t.notOk(logs.includes(fake.clientSecret), 'no log line carries the client secret')
  for (const token of fake.accessTokens) t.notOk(logs.includes(token) || everything.includes(token), 'no Discord access token leaks')
  t.notOk(logs.includes(start.state), 'the state is not logged')
})
