import t from 'tap'
import { bearer, login, type TestApp } from '../helpers/test-app.js'
import { acceptAtDiscord, callback, discordApp, sessionCookie, signInWithDiscord, stateCookie } from './discord-helpers.js'

async function linkAs(ctx: TestApp, token: string) {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/discord/link', headers: bearer(token) })
  return { res, url: (res.json() as { url?: string }).url ?? '', cookie: stateCookie(res) }
}

async function meWithBearer(ctx: TestApp, token: string) {
  return (await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).json().user
}

t.test('link returns the Discord URL and sets the state cookie; the callback links and returns to the profile', async (t) => {
  const { ctx, fake } = await discordApp(t)
  fake.nextUser = {
    id: '400000000000000001',
    username: 'admin_on_discord',
    email: 'not-the-admin@example.com',
    verified: true,
    avatar: '1269e74af4df7417b13759eae50c83dc'
  }
  const { res, url, cookie } = await linkAs(ctx, ctx.adminToken)
  t.equal(res.statusCode, 200)
  t.equal(new URL(url).searchParams.get('state'), cookie, 'the state cookie is set (upstream forgets it)')
  t.match(
    res.cookies.find((c) => c.name === 'discord_state'),
    { httpOnly: true, sameSite: 'Lax' }
  )
  const done = await callback(ctx, await acceptAtDiscord(url), cookie)
  t.equal(done.statusCode, 302)
  t.equal(done.headers.location, '/settings/profile?discord_linked=true')
  t.notOk(sessionCookie(done), 'linking does not start another session')
  t.match(await meWithBearer(ctx, ctx.adminToken), {
    username: 'admin',
    discord_linked: true,
    discord_username: 'admin_on_discord',
    discord_avatar: 'https://cdn.discordapp.com/avatars/400000000000000001/1269e74af4df7417b13759eae50c83dc.png?size=256'
  })
  const signIn = await signInWithDiscord(ctx)
  t.equal(signIn.headers.location, '/?discord=success', 'the linked identity now signs in as admin')
  t.equal(
    (await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { token: sessionCookie(signIn) ?? '' } })).json().user.username,
    'admin'
  )
})

t.test('a Discord identity held by another user is "already linked"', async (t) => {
  const { ctx, fake } = await discordApp(t)
  await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(ctx.adminToken),
    payload: { username: 'erin', password: 'erin-password', role: 'user' }
  })
  const erin = await login(ctx.app, 'erin', 'erin-password')
  fake.nextUser = { id: '500000000000000001', username: 'shared', verified: false }
  const first = await linkAs(ctx, erin)
  t.equal((await callback(ctx, await acceptAtDiscord(first.url), first.cookie)).headers.location, '/settings/profile?discord_linked=true')
  const second = await linkAs(ctx, ctx.adminToken)
  const res = await callback(ctx, await acceptAtDiscord(second.url), second.cookie)
  t.equal(res.headers.location, '/settings/profile?discord_linked=false&error=already_linked')
  t.equal((await meWithBearer(ctx, ctx.adminToken)).discord_linked, false)
  t.equal((await meWithBearer(ctx, erin)).discord_username, 'shared', 'erin keeps the identity')
})

t.test('unlink refuses when nothing is linked or Discord is the only way in, and works once a password is set', async (t) => {
  const { ctx, fake } = await discordApp(t)
  const nothing = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/discord/unlink', headers: bearer(ctx.adminToken) })
  t.equal(nothing.statusCode, 400)
  t.same(nothing.json(), { error: 'No Discord account linked' })

  await ctx.app.settings.set('signup_enabled', true)
  fake.nextUser = { id: '600000000000000001', username: 'frank', email: 'frank@example.com', verified: true }
  const signIn = await signInWithDiscord(ctx)
  const frank = sessionCookie(signIn) ?? ''
  const refused = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/discord/unlink',
    cookies: { token: frank },
    headers: { origin: 'http://localhost' }
  })
  t.equal(refused.statusCode, 400)
  t.same(refused.json(), { error: 'Cannot unlink Discord. You must have a password or another login method configured first.' })

  const setPassword = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/change-password',
    cookies: { token: frank },
    headers: { origin: 'http://localhost' },
    payload: { current_password: '', new_password: 'frank-new-password' }
  })
  t.equal(setPassword.statusCode, 200)
  const ok = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/discord/unlink',
    cookies: { token: frank },
    headers: { origin: 'http://localhost' }
  })
  t.equal(ok.statusCode, 200)
  t.same(ok.json(), { message: 'Discord account unlinked successfully' })
  const row = await ctx.store.db
    .selectFrom('users')
    .select(['discord_id', 'discord_username', 'discord_avatar', 'discord_linked_at'])
    .where('username', '=', 'frank')
    .executeTakeFirstOrThrow()
  t.same(row, { discord_id: null, discord_username: null, discord_avatar: null, discord_linked_at: null })
  t.equal(
    (await signInWithDiscord(ctx)).headers.location,
    '/?discord=success',
    'signing in again with the now-free identity relinks by verified e-mail'
  )
})

t.test('link needs a session and Discord enabled; a link callback that fails returns to the profile', async (t) => {
  const { ctx, fake } = await discordApp(t)
  const anonymous = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/discord/link' })
  t.equal(anonymous.statusCode, 401)
  const pending = await linkAs(ctx, ctx.adminToken)
  fake.profileStatus = 502
  const failed = await callback(ctx, await acceptAtDiscord(pending.url), pending.cookie)
  t.equal(failed.headers.location, '/settings/profile?discord_linked=false&error=authentication_failed')
  await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/auth/discord/settings',
    headers: bearer(ctx.adminToken),
    payload: { discord_oauth_enabled: false }
  })
  const off = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/discord/link', headers: bearer(ctx.adminToken) })
  t.equal(off.statusCode, 400)
  t.same(off.json(), { error: 'Discord authentication is not enabled' })
})
