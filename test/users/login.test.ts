import t from 'tap'
import { ADMIN_PASSWORD, bearer, buildTestApp } from '../helpers/test-app.js'

t.test('login returns a token and the user, and /auth/me accepts it', async (t) => {
  const ctx = await buildTestApp(t)
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.equal(body.message, 'Login successful')
  t.type(body.token, 'string')
  t.equal(body.user.username, 'admin')
  t.equal(body.user.role, 'superadmin')
  t.ok(body.user.permissions.includes('can_manage_settings'))
  t.notOk('password_hash' in body.user, 'never returns the hash')
  t.match(res.headers['set-cookie'], /token=.*HttpOnly/i, 'sets the HttpOnly session cookie')

  const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(body.token) })
  t.equal(me.statusCode, 200)
  t.equal(me.json().user.username, 'admin')
})

t.test('login with wrong password is 401 Invalid credentials; missing fields are 400', async (t) => {
  const ctx = await buildTestApp(t)
  const wrong = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'nope' } })
  t.equal(wrong.statusCode, 401)
  t.same(wrong.json(), { error: 'Invalid credentials' })
  const unknown = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ghost', password: 'nope' } })
  t.same(unknown.json(), { error: 'Invalid credentials' }, 'unknown users look like wrong passwords')
  const missing = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin' } })
  t.equal(missing.statusCode, 400)
  t.same(missing.json(), { error: 'username and password required' })
  const badJson = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'content-type': 'application/json' },
    payload: '{"username":'
  })
  t.equal(badJson.statusCode, 400)
  t.same(badJson.json(), { error: 'Invalid request body' })
})

t.test('five failures lock the account for 15 minutes with 429 and Retry-After, and emit account_locked', async (t) => {
  const ctx = await buildTestApp(t)
  const events: unknown[] = []
  ctx.app.events.on('account_locked', (e) => void events.push(e))
  for (let i = 0; i < 5; i++) {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: `wrong-${i}` } })
    t.equal(res.statusCode, 401)
  }
  t.equal(events.length, 1, 'account_locked emitted once')
  t.match(events[0], { username: 'admin', failures: 5 })
  const locked = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'admin', password: ADMIN_PASSWORD }
  })
  t.equal(locked.statusCode, 429, 'even the right password is refused while locked')
  const retryAfter = Number(locked.headers['retry-after'])
  t.ok(retryAfter > 14 * 60 && retryAfter <= 15 * 60, `Retry-After ${retryAfter} is about 15 minutes`)
  t.equal(locked.json().message, 'Too many failed login attempts. Try again later.')
})

t.test('a token stops working after logout; garbage tokens are 401', async (t) => {
  const ctx = await buildTestApp(t)
  const out = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(ctx.adminToken) })
  t.equal(out.statusCode, 200)
  const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(ctx.adminToken) })
  t.equal(me.statusCode, 401)
  t.same(me.json(), { error: 'Session expired' })
  const garbage = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer('not.a.jwt') })
  t.equal(garbage.statusCode, 401)
  const none = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me' })
  t.same(none.json(), { error: 'Unauthorized' })
})

t.test('the password never appears in the logs', async (t) => {
  const ctx = await buildTestApp(t)
  await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } })
  t.ok(ctx.logs.length > 0, 'logs were captured')
  t.notOk(
    ctx.logs.some((l) => l.includes(ADMIN_PASSWORD)),
    'no password in logs'
  )
  t.notOk(
    ctx.logs.some((l) => l.includes(ctx.adminToken)),
    'no token in logs'
  )
})
