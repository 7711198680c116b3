import t from 'tap'
import { bearer, buildTestApp } from '../helpers/test-app.js'

t.test('unknown routes answer 404 in the error vocabulary without echoing query strings', async (t) => {
  const ctx = await buildTestApp(t)
  const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/nope?token_secret=abc' })
  t.equal(res.statusCode, 404)
  t.same(res.json(), { error: 'Not found', message: 'Route GET /api/v1/nope not found' })
})

t.test('trailing and duplicate slashes are tolerated on API routes', async (t) => {
  const ctx = await buildTestApp(t)
  for (const url of ['/api/v1/auth/me/', '//api/v1/auth/me', '/api/v1//auth/me']) {
    const res = await ctx.app.inject({ method: 'GET', url, headers: bearer(ctx.adminToken) })
    t.equal(res.statusCode, 200, url)
  }
})

t.test('hostile bodies get a clear 4xx, never a 500 or a stack trace', async (t) => {
  const ctx = await buildTestApp(t)
  const cases = [
    { payload: '{"username": "a", "password": ', type: 'application/json', status: 400 },
    { payload: '[]', type: 'application/json', status: 400 },
    { payload: 'null', type: 'application/json', status: 400 },
    { payload: '{"username": {"$gt": ""}, "password": "x"}', type: 'application/json', status: 400 },
    { payload: JSON.stringify({ username: 'a'.repeat(100_000), password: 'x' }), type: 'application/json', status: 400 },
    { payload: 'username=a&password=b', type: 'application/x-www-form-urlencoded', status: 415 },
    { payload: '{"__proto__": {"admin": true}, "username": "admin", "password": "x"}', type: 'application/json', status: 401 },
    { payload: Buffer.from([0xff, 0xfe, 0x7b]), type: 'application/json', status: 400 }
  ]
  for (const c of cases) {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': c.type }, payload: c.payload })
    t.equal(res.statusCode, c.status, `${c.type} ${String(c.payload).slice(0, 40)}`)
    t.notMatch(res.body, /at .*\.(ts|js):\d+|node_modules|\/work\//, 'no stack trace or path')
    t.ok('error' in res.json() || 'errors' in res.json(), 'documented error shape')
  }
  const huge = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ username: 'a', password: 'b'.repeat(2 * 1024 * 1024) })
  })
  t.equal(huge.statusCode, 413)
  t.same(huge.json(), { error: 'Request body too large' })
})

t.test('the OpenAPI document is public JSON; Swagger UI needs a session (bearer or cookie)', async (t) => {
  const ctx = await buildTestApp(t)
  const doc = await ctx.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })
  t.equal(doc.statusCode, 200)
  const spec = doc.json()
  t.equal(spec.openapi, '3.0.3')
  t.ok(spec.paths['/api/v1/auth/login'], 'routes appear from their schemas')
  t.ok(spec.components.securitySchemes.basicAuth)
  t.same(spec.paths['/api/v1/users'].get.security, [{ bearerAuth: [] }])

  const anon = await ctx.app.inject({ method: 'GET', url: '/api/v1/api-docs/' })
  t.equal(anon.statusCode, 401)
  const withBearer = await ctx.app.inject({ method: 'GET', url: '/api/v1/api-docs/', headers: bearer(ctx.adminToken) })
  t.equal(withBearer.statusCode, 200)
  t.match(withBearer.headers['content-type'], /text\/html/)
  const withCookie = await ctx.app.inject({ method: 'GET', url: '/api/v1/api-docs/', cookies: { token: ctx.adminToken } })
  t.equal(withCookie.statusCode, 200, 'the dashboard session cookie opens the docs')
})

t.test('/health reports the database', async (t) => {
  const ctx = await buildTestApp(t)
  const res = await ctx.app.inject({ method: 'GET', url: '/health' })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { status: 'ok', database: 'ok' })
})

t.test('rate limits answer 429 with Retry-After in the error vocabulary', async (t) => {
  const ctx = await buildTestApp(t, { env: { AUTH_RATE_LIMIT_MAX: '3' } })
  const statuses: number[] = []
  let last
  for (let i = 0; i < 4; i++) {
    last = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody', password: 'x' } })
    statuses.push(last.statusCode)
  }
  // buildTestApp already signed in once through the same bucket, so two attempts remain.
  t.same(statuses, [401, 401, 429, 429])
  t.ok(Number(last?.headers['retry-after']) > 0)
  t.match(last?.json(), { error: 'Too many requests', message: 'Too many requests. Try again later.' })
})

t.test('numbers too large to be finite are a 400, never a database error', async (t) => {
  const ctx = await buildTestApp(t)
  const query = await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts?offset=${'9'.repeat(400)}`, headers: bearer(ctx.adminToken) })
  t.equal(query.statusCode, 400)
  t.equal(query.json().errors[0].param, 'offset')
  const body = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings',
    headers: { ...bearer(ctx.adminToken), 'content-type': 'application/json' },
    payload: '{"update_interval": 1e999}'
  })
  t.equal(body.statusCode, 400)
})

t.test('routes of one rate-limit bucket share its counter; other buckets are unaffected', async (t) => {
  const ctx = await buildTestApp(t, { env: { AUTH_RATE_LIMIT_MAX: '3' } })
  // buildTestApp signed in once (auth bucket); the change-password route is in the same bucket.
  const wrongPassword = { current_password: 'nope', new_password: 'long-enough-password' }
  const first = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/change-password',
    headers: bearer(ctx.adminToken),
    payload: wrongPassword
  })
  t.equal(first.statusCode, 400)
  const login = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody', password: 'x' } })
  t.equal(login.statusCode, 401, 'third request of the bucket still passes')
  const limited = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/change-password',
    headers: bearer(ctx.adminToken),
    payload: wrongPassword
  })
  t.equal(limited.statusCode, 429, 'the fourth request of the bucket is refused, whatever its route')
  const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(ctx.adminToken) })
  t.equal(me.statusCode, 200, 'the general bucket is separate')
})
