import t from 'tap'
import { bearer, buildTestApp, login, userWithRole } from '../helpers/test-app.js'

t.test('admins create, list, update and delete users; hashes never leave the server', async (t) => {
  const ctx = await buildTestApp(t)
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(ctx.adminToken),
    payload: { username: 'alice', email: 'Alice@Example.com', password: 'alice-password', role: 'host_manager', first_name: 'Alice' }
  })
  t.equal(created.statusCode, 201)
  const alice = created.json().user
  t.equal(alice.role, 'host_manager')
  t.notMatch(created.body, /\$2[aby]\$/, 'no bcrypt hash in the response')

  const dup = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(ctx.adminToken),
    payload: { username: 'bob', email: 'alice@example.com', password: 'bob-password', role: 'user' }
  })
  t.equal(dup.statusCode, 409)
  t.same(dup.json(), { error: 'Username or email already exists' })

  t.ok(await login(ctx.app, 'alice@example.com', 'alice-password'), 'alice signs in with her e-mail, any case')

  const list = await ctx.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(ctx.adminToken) })
  t.same(
    list.json().map((u: { username: string }) => u.username),
    ['admin', 'alice']
  )

  const upd = await ctx.app.inject({
    method: 'PUT',
    url: `/api/v1/users/${alice.id}`,
    headers: bearer(ctx.adminToken),
    payload: { role: 'readonly' }
  })
  t.equal(upd.statusCode, 200)
  t.equal(upd.json().user.role, 'readonly')

  const del = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/users/${alice.id}`, headers: bearer(ctx.adminToken) })
  t.equal(del.statusCode, 200)
  const gone = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/users/${alice.id}`, headers: bearer(ctx.adminToken) })
  t.equal(gone.statusCode, 404)
  t.same(gone.json(), { error: 'User not found' })
})

t.test('validation failures use the documented {errors:[{msg,param,location}]} shape', async (t) => {
  const ctx = await buildTestApp(t)
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(ctx.adminToken),
    payload: { username: 'x', password: 'short', role: 'user' }
  })
  t.equal(res.statusCode, 400)
  t.same(res.json(), { errors: [{ msg: 'Password must be at least 8 characters', param: 'password', location: 'body' }] })
  const badRole = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(ctx.adminToken),
    payload: { username: 'x', password: 'long-enough', role: 'wizard' }
  })
  t.same(badRole.json(), { error: 'Role not found' })
  const wrongType = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/users/whatever',
    headers: bearer(ctx.adminToken),
    payload: { is_active: 'yes' }
  })
  t.equal(wrongType.statusCode, 400)
  t.equal(wrongType.json().errors[0].param, 'is_active')
})

t.test('permissions: readonly users can read but not manage; no token is 401', async (t) => {
  const ctx = await buildTestApp(t)
  const readonly = await userWithRole(ctx, 'readonly')
  const user = await userWithRole(ctx, 'user')
  const list = await ctx.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(readonly) })
  t.equal(list.statusCode, 403, 'readonly has no can_view_users')
  t.same(list.json(), { error: 'Insufficient permissions' })
  const create = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(user),
    payload: { username: 'z', password: 'zzzzzzzz', role: 'user' }
  })
  t.equal(create.statusCode, 403)
  const anon = await ctx.app.inject({ method: 'GET', url: '/api/v1/users' })
  t.equal(anon.statusCode, 401)
})

t.test('only a superadmin manages superadmins, and the last superadmin cannot be removed', async (t) => {
  const ctx = await buildTestApp(t)
  const admin = await userWithRole(ctx, 'admin', 'second-admin')
  const promote = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(admin),
    payload: { username: 'boss', password: 'boss-password', role: 'superadmin' }
  })
  t.equal(promote.statusCode, 403)
  const me = (await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(ctx.adminToken) })).json().user
  const demote = await ctx.app.inject({
    method: 'PUT',
    url: `/api/v1/users/${me.id}`,
    headers: bearer(ctx.adminToken),
    payload: { role: 'admin' }
  })
  t.equal(demote.statusCode, 400)
  t.same(demote.json(), { error: 'Cannot remove the last active superadmin' })
  const selfDelete = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/users/${me.id}`, headers: bearer(ctx.adminToken) })
  t.same(selfDelete.json(), { error: 'You cannot delete your own account' })
})

t.test('disabling a user or resetting the password signs them out everywhere', async (t) => {
  const ctx = await buildTestApp(t)
  const token = await userWithRole(ctx, 'user', 'carol')
  const carol = (await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).json().user
  const reset = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/users/${carol.id}/reset-password`,
    headers: bearer(ctx.adminToken),
    payload: { new_password: 'carol-new-password' }
  })
  t.equal(reset.statusCode, 200)
  t.equal((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) })).statusCode, 401)
  const fresh = await login(ctx.app, 'carol', 'carol-new-password')
  await ctx.app.inject({ method: 'PUT', url: `/api/v1/users/${carol.id}`, headers: bearer(ctx.adminToken), payload: { is_active: false } })
  t.equal((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(fresh) })).statusCode, 401)
  const refused = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'carol', password: 'carol-new-password' }
  })
  t.same(refused.json(), { error: 'Account is disabled' })
})

t.test('change-password needs the current password and keeps this session only', async (t) => {
  const ctx = await buildTestApp(t)
  const other = await login(ctx.app, 'admin', 'admin-password-for-tests')
  const wrong = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/change-password',
    headers: bearer(ctx.adminToken),
    payload: { current_password: 'nope', new_password: 'brand-new-password' }
  })
  t.same(wrong.json(), { error: 'Current password is incorrect' })
  const ok = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/change-password',
    headers: bearer(ctx.adminToken),
    payload: { current_password: 'admin-password-for-tests', new_password: 'brand-new-password' }
  })
  t.equal(ok.statusCode, 200)
  t.equal(
    (await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(ctx.adminToken) })).statusCode,
    200,
    'this session stays'
  )
  t.equal((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(other) })).statusCode, 401, 'other sessions end')
})

t.test('a restart on the same data folder keeps users and sessions', async (t) => {
  const ctx = await buildTestApp(t)
  await userWithRole(ctx, 'readonly', 'dave')
  const next = await ctx.restart()
  t.ok(await login(next.app, 'dave', 'dave-password'))
  const me = await next.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(ctx.adminToken) })
  t.equal(me.statusCode, 200, 'a token issued before the restart still works (same generated JWT secret)')
})
