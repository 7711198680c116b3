// Custom roles (issue 18 part 2) through the real HTTP surface: made from the permission set, never
// beyond their author, built-ins immutable, a role in use cannot go; host-group limits of users and
// roles stay within their author's own reach.
import t from 'tap'
import { bearer, buildTestApp, login, type TestApp } from '../helpers/test-app.js'

async function api(ctx: TestApp, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string, payload?: object) {
  const res = await ctx.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) })
  return { status: res.statusCode, body: res.json() as Record<string, unknown> }
}

async function group(ctx: TestApp, name: string): Promise<string> {
  return String((await api(ctx, 'POST', '/api/v1/host-groups', ctx.adminToken, { name })).body.id)
}

async function user(ctx: TestApp, username: string, role: string, hostGroupIds?: string[] | null): Promise<string> {
  const res = await api(ctx, 'POST', '/api/v1/users', ctx.adminToken, {
    username,
    password: `${username}-password`,
    role,
    ...(hostGroupIds !== undefined ? { host_group_ids: hostGroupIds } : {})
  })
  if (res.status !== 201) throw new Error(`${username}: ${res.status} ${JSON.stringify(res.body)}`)
  return login(ctx.app, username, `${username}-password`)
}

t.test('a custom role is created, assigned, changed and deleted once unused', async (t) => {
  const ctx = await buildTestApp(t)
  const created = await api(ctx, 'POST', '/api/v1/roles', ctx.adminToken, {
    name: 'patcher',
    description: 'Patches hosts',
    permissions: ['can_view_dashboard', 'can_view_hosts', 'can_manage_patching']
  })
  t.equal(created.status, 201)
  t.same(created.body.role, {
    name: 'patcher',
    description: 'Patches hosts',
    is_builtin: false,
    permissions: ['can_view_dashboard', 'can_view_hosts', 'can_manage_patching'],
    host_group_ids: null
  })
  t.equal((await api(ctx, 'POST', '/api/v1/roles', ctx.adminToken, { name: 'patcher', permissions: [] })).status, 409)
  t.equal((await api(ctx, 'POST', '/api/v1/roles', ctx.adminToken, { name: 'admin', permissions: [] })).status, 409)
  t.equal((await api(ctx, 'POST', '/api/v1/roles', ctx.adminToken, { name: 'x', permissions: ['can_fly'] })).status, 400)

  const token = await user(ctx, 'pat', 'patcher')
  t.equal((await api(ctx, 'GET', '/api/v1/hosts', token)).status, 200, 'the role grants what it lists')
  t.equal((await api(ctx, 'GET', '/api/v1/users', token)).status, 403, 'and nothing else')

  const changed = await api(ctx, 'PUT', '/api/v1/roles/patcher', ctx.adminToken, { permissions: ['can_view_dashboard'] })
  t.same((changed.body.role as { permissions: string[] }).permissions, ['can_view_dashboard'])
  t.equal((await api(ctx, 'GET', '/api/v1/hosts', token)).status, 403, 'a change takes effect on the next request')

  const inUse = await api(ctx, 'DELETE', '/api/v1/roles/patcher', ctx.adminToken)
  t.same(inUse, { status: 409, body: { error: 'Role is in use', message: 'Give its 1 user(s) another role before deleting it' } })
  const pat = ((await api(ctx, 'GET', '/api/v1/users', ctx.adminToken)).body as unknown as { id: string; username: string }[]).find(
    (u) => u.username === 'pat'
  )!
  await api(ctx, 'PUT', `/api/v1/users/${pat.id}`, ctx.adminToken, { role: 'user' })
  t.equal((await api(ctx, 'DELETE', '/api/v1/roles/patcher', ctx.adminToken)).status, 200)
  t.equal((await api(ctx, 'DELETE', '/api/v1/roles/patcher', ctx.adminToken)).status, 404)
})

t.test('built-in roles stay as shipped', async (t) => {
  const ctx = await buildTestApp(t)
  t.same(await api(ctx, 'PUT', '/api/v1/roles/readonly', ctx.adminToken, { permissions: ['can_view_dashboard'] }), {
    status: 400,
    body: { error: 'Cannot modify built-in role permissions' }
  })
  t.equal((await api(ctx, 'DELETE', '/api/v1/roles/user', ctx.adminToken)).status, 400)
})

t.test('a role never grants more than its author holds', async (t) => {
  const ctx = await buildTestApp(t)
  const admin = await user(ctx, 'second-admin', 'admin')
  const beyond = await api(ctx, 'POST', '/api/v1/roles', admin, {
    name: 'super2',
    permissions: ['can_view_users', 'can_manage_superusers']
  })
  t.same(beyond, {
    status: 403,
    body: { error: 'Insufficient permissions', message: 'This grants permissions your role does not hold (can_manage_superusers)' }
  })
  await user(ctx, 'manager', 'admin')
  const pid = ((await api(ctx, 'GET', '/api/v1/users', ctx.adminToken)).body as unknown as { id: string; username: string }[]).find(
    (u) => u.username === 'manager'
  )!.id
  t.equal((await api(ctx, 'PUT', `/api/v1/users/${pid}`, admin, { role: 'superadmin' })).status, 403, 'nor does assigning one')
})

t.test('host-group limits stay within the author reach', async (t) => {
  const ctx = await buildTestApp(t)
  const a = await group(ctx, 'a')
  const b = await group(ctx, 'b')
  const limited = await user(ctx, 'limited-admin', 'superadmin', [a])
  const outside = await api(ctx, 'POST', '/api/v1/users', limited, {
    username: 'u1',
    password: 'u1-password',
    role: 'user',
    host_group_ids: [b]
  })
  t.same(outside, {
    status: 403,
    body: { error: 'Insufficient permissions', message: 'This grants access to hosts outside your own host groups' }
  })
  const unlimited = await api(ctx, 'POST', '/api/v1/users', limited, {
    username: 'u2',
    password: 'u2-password',
    role: 'user',
    host_group_ids: null
  })
  t.equal(unlimited.status, 403, 'no limit reaches further than a limit')
  const inherited = await api(ctx, 'POST', '/api/v1/users', limited, { username: 'u3', password: 'u3-password', role: 'user' })
  t.equal(inherited.status, 201)
  t.same((inherited.body.user as { host_group_ids: string[] }).host_group_ids, [a], "a limited author's user inherits the limit")
  const role = await api(ctx, 'POST', '/api/v1/roles', limited, { name: 'viewers', permissions: ['can_view_hosts'] })
  t.same((role.body.role as { host_group_ids: string[] }).host_group_ids, [a])
  t.equal((await api(ctx, 'POST', '/api/v1/host-groups', limited, { name: 'c' })).status, 403, 'a limited user cannot make new groups')
  const groups = (await ctx.app.inject({ method: 'GET', url: '/api/v1/host-groups', headers: bearer(limited) })).json() as { id: string }[]
  t.same(
    groups.map((g) => g.id),
    [a],
    'the group list shows their groups only'
  )
  const token = await api(ctx, 'POST', '/api/v1/auto-enrollment/tokens', limited, {
    token_name: 'x',
    metadata: { integration_type: 'api' }
  })
  t.same(token, {
    status: 403,
    body: { error: 'Insufficient permissions', message: 'A user limited to host groups cannot create integration or enrollment tokens' }
  })

  // A role's limit applies to every user with it.
  await api(ctx, 'PUT', '/api/v1/roles/viewers', ctx.adminToken, { host_group_ids: [b] })
  const viewer = await user(ctx, 'viewer', 'viewers')
  const seen = (await ctx.app.inject({ method: 'GET', url: '/api/v1/host-groups', headers: bearer(viewer) })).json() as { id: string }[]
  t.same(
    seen.map((g) => g.id),
    [b]
  )
})
