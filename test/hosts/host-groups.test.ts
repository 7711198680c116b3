import t from 'tap'
import { bearer, buildTestApp, userWithRole } from '../helpers/test-app.js'
import { createHostViaApi } from '../helpers/agent-fixtures.js'

t.test('host group CRUD with host counts, unique names (409) and #RRGGBB colours', async (t) => {
  const ctx = await buildTestApp(t)
  const auth = bearer(ctx.adminToken)
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/host-groups',
    headers: auth,
    payload: { name: 'Production', description: 'prod boxes', color: '#ff0000' }
  })
  t.equal(created.statusCode, 201)
  const group = created.json()
  t.match(group, { name: 'Production', description: 'prod boxes', color: '#FF0000', host_count: 0 })

  const dup = await ctx.app.inject({ method: 'POST', url: '/api/v1/host-groups', headers: auth, payload: { name: 'Production' } })
  t.equal(dup.statusCode, 409)
  t.same(dup.json(), { error: 'A host group with this name already exists' })

  const badColor = await ctx.app.inject({ method: 'POST', url: '/api/v1/host-groups', headers: auth, payload: { name: 'X', color: 'red' } })
  t.equal(badColor.statusCode, 400)
  t.same(badColor.json(), { errors: [{ msg: 'Color must be a hex colour like #3B82F6', param: 'color', location: 'body' }] })
  const noName = await ctx.app.inject({ method: 'POST', url: '/api/v1/host-groups', headers: auth, payload: {} })
  t.equal(noName.statusCode, 400)

  const staging = (await ctx.app.inject({ method: 'POST', url: '/api/v1/host-groups', headers: auth, payload: { name: 'Staging' } })).json()
  t.equal(staging.color, '#3B82F6', 'default colour')
  await createHostViaApi(ctx.app, ctx.adminToken, 'a', [group.id])
  await createHostViaApi(ctx.app, ctx.adminToken, 'b', [group.id, staging.id])

  const list = (await ctx.app.inject({ method: 'GET', url: '/api/v1/host-groups', headers: auth })).json()
  t.same(
    list.map((g: { name: string; host_count: number }) => [g.name, g.host_count]),
    [
      ['Production', 2],
      ['Staging', 1]
    ]
  )

  const renamed = await ctx.app.inject({
    method: 'PUT',
    url: `/api/v1/host-groups/${staging.id}`,
    headers: auth,
    payload: { name: 'Stage', color: '#00aa00' }
  })
  t.equal(renamed.statusCode, 200)
  t.match(renamed.json(), { name: 'Stage', color: '#00AA00', host_count: 1 })
  const clash = await ctx.app.inject({
    method: 'PUT',
    url: `/api/v1/host-groups/${staging.id}`,
    headers: auth,
    payload: { name: 'Production' }
  })
  t.equal(clash.statusCode, 409)
  const missing = await ctx.app.inject({ method: 'PUT', url: '/api/v1/host-groups/nope', headers: auth, payload: { name: 'Q' } })
  t.equal(missing.statusCode, 404)
  t.same(missing.json(), { error: 'Host group not found' })

  const del = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/host-groups/${group.id}`, headers: auth })
  t.equal(del.statusCode, 200)
  t.equal((await ctx.app.inject({ method: 'DELETE', url: `/api/v1/host-groups/${group.id}`, headers: auth })).statusCode, 404)
  const hosts = (await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts', headers: auth })).json()
  t.equal(hosts.total, 2, 'deleting a group keeps its hosts')
  t.same(
    hosts.hosts.map((h: { host_groups: { name: string }[] }) => h.host_groups.map((g) => g.name)),
    [[], ['Stage']]
  )
})

t.test('host groups: readonly can list but not change; no token is 401', async (t) => {
  const ctx = await buildTestApp(t)
  const readonly = await userWithRole(ctx, 'readonly')
  t.equal((await ctx.app.inject({ method: 'GET', url: '/api/v1/host-groups', headers: bearer(readonly) })).statusCode, 200)
  const write = await ctx.app.inject({ method: 'POST', url: '/api/v1/host-groups', headers: bearer(readonly), payload: { name: 'X' } })
  t.equal(write.statusCode, 403)
  t.equal((await ctx.app.inject({ method: 'GET', url: '/api/v1/host-groups' })).statusCode, 401)
})
