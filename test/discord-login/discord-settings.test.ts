import t from 'tap'
import { randomBytes } from 'node:crypto'
import { createSecretBox } from '../../src/security/secret-box.js'
import { bearer, buildTestApp, userWithRole } from '../helpers/test-app.js'

const SECRET = 'discord-client-secret-value-for-tests'

t.test('settings start empty with the default button text and the callback derived from the request', async (t) => {
  const ctx = await buildTestApp(t)
  const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/discord/settings', headers: bearer(ctx.adminToken) })
  t.equal(res.statusCode, 200)
  t.same(res.json(), {
    discord_oauth_enabled: false,
    discord_client_id: null,
    discord_client_secret_set: false,
    discord_redirect_uri: null,
    discord_button_text: 'Login with Discord',
    discord_callback_url: 'http://localhost:80/api/v1/auth/discord/callback'
  })
  const config = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/discord/config' })
  t.same(config.json(), { enabled: false, buttonText: 'Login with Discord' })
})

t.test('the client secret is write-only: sealed at rest, reported only as set, cleared with ""', async (t) => {
  const ctx = await buildTestApp(t)
  const put = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/auth/discord/settings',
    headers: bearer(ctx.adminToken),
    payload: {
      discord_oauth_enabled: true,
      discord_client_id: ' 1234567890 ',
      discord_client_secret: SECRET,
      discord_button_text: 'Sign in with Discord'
    }
  })
  t.equal(put.statusCode, 200)
  t.match(put.json(), {
    message: 'Discord settings updated successfully',
    discord_oauth_enabled: true,
    discord_client_id: '1234567890',
    discord_client_secret_set: true,
    discord_button_text: 'Sign in with Discord'
  })
  t.notOk(put.body.includes(SECRET))
  const row = await ctx.store.db.selectFrom('discord_login_settings').selectAll().executeTakeFirstOrThrow()
  t.match(row.client_secret, /^enc:v1:/)
  t.notOk(row.client_secret?.includes(SECRET))
  t.equal(ctx.app.secretBox.open(row.client_secret ?? ''), SECRET)

  const config = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/discord/config' })
  t.same(config.json(), { enabled: true, buttonText: 'Sign in with Discord' })

  const keep = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/auth/discord/settings',
    headers: bearer(ctx.adminToken),
    payload: { discordButtonText: '' }
  })
  t.match(
    keep.json(),
    { discord_client_secret_set: true, discord_button_text: 'Login with Discord' },
    'an absent secret is kept; camelCase works; "" restores the default label'
  )
  const clear = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/auth/discord/settings',
    headers: bearer(ctx.adminToken),
    payload: { discord_client_secret: '' }
  })
  t.equal(clear.json().discord_client_secret_set, false)
  const hidden = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/discord/config' })
  t.same(hidden.json(), { enabled: false, buttonText: 'Login with Discord' }, 'no button without a secret')
  t.notOk(ctx.logs.join('\n').includes(SECRET), 'never logged')
})

t.test('the button hides when the toggle is off, the client id is blank, or the secret no longer opens', async (t) => {
  const ctx = await buildTestApp(t)
  const put = (payload: Record<string, unknown>) =>
    ctx.app.inject({ method: 'PUT', url: '/api/v1/auth/discord/settings', headers: bearer(ctx.adminToken), payload })
  const enabled = async () => (await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/discord/config' })).json().enabled
  await put({ discord_oauth_enabled: false, discord_client_id: '1234567890', discord_client_secret: SECRET })
  t.equal(await enabled(), false, 'toggle off')
  await put({ discord_oauth_enabled: true, discord_client_id: null })
  t.equal(await enabled(), false, 'client id blank')
  await put({ discord_client_id: '1234567890' })
  t.equal(await enabled(), true)
  const foreign = createSecretBox(randomBytes(32)).seal(SECRET)
  await ctx.store.db.updateTable('discord_login_settings').set({ client_secret: foreign }).execute()
  t.equal(await enabled(), false, 'sealed under another SECRET_ENCRYPTION_KEY')
})

t.test('the callback URL follows the Server URL setting; redirect URIs are validated', async (t) => {
  const ctx = await buildTestApp(t, { env: { PATCHMON_SERVER_URL: 'https://env.example.com' } })
  const get = async () =>
    (await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/discord/settings', headers: bearer(ctx.adminToken) })).json()
  t.equal((await get()).discord_callback_url, 'https://env.example.com/api/v1/auth/discord/callback')
  await ctx.app.settings.set('server_url', 'https://patchmon.example.com')
  t.equal((await get()).discord_callback_url, 'https://patchmon.example.com/api/v1/auth/discord/callback', 'the dashboard setting wins')
  const bad = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/auth/discord/settings',
    headers: bearer(ctx.adminToken),
    payload: { discord_redirect_uri: 'ftp://x/cb?y=1' }
  })
  t.equal(bad.statusCode, 400)
  t.same(bad.json(), { error: 'Redirect URI must be an absolute http:// or https:// URL without a query string' })
  const wrongType = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/auth/discord/settings',
    headers: bearer(ctx.adminToken),
    payload: { discord_oauth_enabled: 'yes' }
  })
  t.equal(wrongType.statusCode, 400)
  t.type(wrongType.json().error, 'string')
})

t.test('settings need can_manage_settings; the public config does not', async (t) => {
  const ctx = await buildTestApp(t)
  const readonly = await userWithRole(ctx, 'readonly')
  const get = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/discord/settings', headers: bearer(readonly) })
  t.equal(get.statusCode, 403)
  t.same(get.json(), { error: 'Insufficient permissions' })
  const put = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/auth/discord/settings',
    headers: bearer(readonly),
    payload: { discord_oauth_enabled: true }
  })
  t.equal(put.statusCode, 403)
  const anonymous = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/discord/settings' })
  t.equal(anonymous.statusCode, 401)
  t.equal((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/discord/config' })).statusCode, 200)
})
