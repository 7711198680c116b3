import t from 'tap'
import { bearer, buildTestApp, userWithRole } from '../helpers/test-app.js'
import { effectiveServerUrl } from '../../src/settings/effective-server-url.js'

t.test('settings: any signed-in user reads them; a save validates, stores and emits settings_changed with the changed keys', async (t) => {
  const ctx = await buildTestApp(t)
  const changes: string[][] = []
  ctx.app.events.on('settings_changed', (e) => void changes.push(e.keys))
  const auth = bearer(ctx.adminToken)
  const initial = (await ctx.app.inject({ method: 'GET', url: '/api/v1/settings', headers: auth })).json()
  t.match(initial, {
    update_interval: 60,
    server_url: null,
    effective_server_url: 'http://localhost:80',
    signup_enabled: false,
    default_user_role: 'user'
  })

  const put = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings',
    headers: auth,
    payload: { update_interval: 30, server_url: 'https://patch.example.com/', signup_enabled: false }
  })
  t.equal(put.statusCode, 200)
  t.match(put.json(), { update_interval: 30, server_url: 'https://patch.example.com', effective_server_url: 'https://patch.example.com' })
  t.same(changes, [['update_interval', 'server_url']], 'unchanged keys are not reported')

  const again = await ctx.app.inject({ method: 'PUT', url: '/api/v1/settings', headers: auth, payload: { update_interval: 30 } })
  t.equal(again.statusCode, 200)
  t.equal(changes.length, 1, 'a save that changes nothing emits nothing')

  const bad: [Record<string, unknown>, string][] = [
    [{ update_interval: 4 }, 'update_interval'],
    [{ update_interval: 1441 }, 'update_interval'],
    [{ server_url: 'ftp://x' }, 'server_url'],
    [{ server_url: 'https://x/?a=1' }, 'server_url'],
    [{ default_user_role: 'no-such-role' }, 'default_user_role'],
    [{ signup_enabled: 'yes' }, 'signup_enabled']
  ]
  for (const [payload, param] of bad) {
    const res = await ctx.app.inject({ method: 'PUT', url: '/api/v1/settings', headers: auth, payload })
    t.equal(res.statusCode, 400, JSON.stringify(payload))
    t.equal(res.json().errors[0].param, param)
  }
  const cleared = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings',
    headers: auth,
    payload: { server_url: '', default_user_role: 'readonly', host_down_grace_minutes: 10 }
  })
  t.match(cleared.json(), { server_url: null, default_user_role: 'readonly', host_down_grace_minutes: 10 })

  const readonly = bearer(await userWithRole(ctx, 'readonly'))
  t.equal((await ctx.app.inject({ method: 'GET', url: '/api/v1/settings', headers: readonly })).statusCode, 200)
  t.equal(
    (await ctx.app.inject({ method: 'PUT', url: '/api/v1/settings', headers: readonly, payload: { update_interval: 10 } })).statusCode,
    403
  )
  t.equal((await ctx.app.inject({ method: 'GET', url: '/api/v1/settings' })).statusCode, 401)

  const restarted = await ctx.restart()
  t.equal(await restarted.app.settings.get('update_interval'), 30, 'settings survive a restart')
})

t.test('effective server URL: setting, then PATCHMON_SERVER_URL, then the request; never a trailing slash', async (t) => {
  const ctx = await buildTestApp(t, { env: { PATCHMON_SERVER_URL: 'https://env.example.com/' } })
  const fakeRequest = { protocol: 'http', host: 'internal:3000' } as Parameters<typeof effectiveServerUrl>[1]
  t.equal(await effectiveServerUrl(ctx.app, fakeRequest), 'https://env.example.com')
  await ctx.app.settings.set('server_url', 'https://ui.example.com')
  t.equal(await effectiveServerUrl(ctx.app, fakeRequest), 'https://ui.example.com')
  const bare = await buildTestApp(t)
  t.equal(await effectiveServerUrl(bare.app, fakeRequest), 'http://internal:3000')
})
