// Issue 15 item 2: no setting may grant more than its author holds. An admin cannot make new
// sign-ups superadmins (directly, or by enabling sign-up or Discord login while a superadmin
// default is set); a superadmin can.
import t from 'tap'
import { bearer, buildTestApp, userWithRole } from '../helpers/test-app.js'

const put = (ctx: Awaited<ReturnType<typeof buildTestApp>>, token: string, payload: Record<string, unknown>) =>
  ctx.app.inject({ method: 'PUT', url: '/api/v1/settings', headers: bearer(token), payload })

t.test('an admin cannot set a default role above their own', async (t) => {
  const ctx = await buildTestApp(t)
  const admin = await userWithRole(ctx, 'admin')
  const res = await put(ctx, admin, { default_user_role: 'superadmin' })
  t.equal(res.statusCode, 403)
  t.equal(res.json().error, 'Insufficient permissions')
  t.match(res.json().message, /superadmin/)
  const settings = (await ctx.app.inject({ method: 'GET', url: '/api/v1/settings', headers: bearer(admin) })).json()
  t.equal(settings.default_user_role, 'user', 'nothing was stored')
  t.equal((await put(ctx, admin, { default_user_role: 'admin' })).statusCode, 200, 'their own role is fine')
  t.equal(
    (await put(ctx, admin, { default_user_role: 'readonly', signup_enabled: true })).statusCode,
    200,
    'a lesser role with sign-up is fine'
  )
})

t.test('an admin cannot enable sign-up (or Discord sign-in) while the default role is above their own', async (t) => {
  const ctx = await buildTestApp(t)
  const admin = await userWithRole(ctx, 'admin')
  t.equal((await put(ctx, ctx.adminToken, { default_user_role: 'superadmin' })).statusCode, 200, 'a superadmin may')
  const signup = await put(ctx, admin, { signup_enabled: true })
  t.equal(signup.statusCode, 403)
  t.equal(signup.json().error, 'Insufficient permissions')
  t.equal((await put(ctx, ctx.adminToken, { signup_enabled: true })).statusCode, 200)
  const discord = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/auth/discord/settings',
    headers: bearer(admin),
    payload: { discord_oauth_enabled: true, discord_client_id: '123', discord_client_secret: 'secret-value' }
  })
  t.equal(discord.statusCode, 403, 'turning on Discord sign-in would grant superadmin to new users')
  t.equal((await put(ctx, admin, { update_interval: 30 })).statusCode, 200, 'unrelated settings stay editable')
})
