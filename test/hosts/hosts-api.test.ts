import t from 'tap'
import { bearer, buildTestApp, userWithRole } from '../helpers/test-app.js'
import { agentHeaders, agentReport, createHostViaApi, debianPackages, postReport } from '../helpers/agent-fixtures.js'

t.test('creating a host returns its id, api_id and api_key once; the key is never shown or logged again', async (t) => {
  const ctx = await buildTestApp(t)
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/hosts',
    headers: bearer(ctx.adminToken),
    payload: { friendly_name: 'web-01' }
  })
  t.equal(res.statusCode, 201)
  const body = res.json()
  t.match(body, { id: /^[0-9a-f-]{36}$/, friendly_name: 'web-01', api_id: /^patchmon_[0-9a-f]{16}$/, api_key: /^[0-9a-f]{64}$/ })
  const detail = await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${body.id}`, headers: bearer(ctx.adminToken) })
  t.equal(detail.json().api_id, body.api_id)
  t.notMatch(detail.body, body.api_key, 'detail never shows the key')
  t.notMatch(detail.body, /api_key_hash|\$2[aby]\$/, 'nor its hash')
  const list = await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts', headers: bearer(ctx.adminToken) })
  t.notMatch(list.body, body.api_key)
  t.notOk(
    ctx.logs.some((l) => l.includes(body.api_key)),
    'never logged'
  )
  const stored = ctx.store.sqlite.prepare('select api_key_hash from hosts where id = ?').get(body.id) as { api_key_hash: string }
  t.match(stored.api_key_hash, /^\$2[aby]\$/, 'bcrypt at rest')

  const unknownGroup = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/hosts',
    headers: bearer(ctx.adminToken),
    payload: { friendly_name: 'x', host_group_ids: ['nope'] }
  })
  t.equal(unknownGroup.statusCode, 400)
  t.same(unknownGroup.json(), { error: 'Host group not found' })
  const noName = await ctx.app.inject({ method: 'POST', url: '/api/v1/hosts', headers: bearer(ctx.adminToken), payload: {} })
  t.equal(noName.statusCode, 400)
  t.same(noName.json(), { errors: [{ msg: 'Friendly name is required (1-255 characters)', param: 'friendly_name', location: 'body' }] })
})

t.test('regenerating credentials returns a new pair once and the old key stops working at once', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-02')
  const warm = await ctx.app.inject({ method: 'POST', url: '/api/v1/hosts/ping', headers: agentHeaders(host) })
  t.equal(warm.statusCode, 200, 'old key works (and is now cached)')
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/hosts/${host.id}/regenerate-credentials`,
    headers: bearer(ctx.adminToken)
  })
  t.equal(res.statusCode, 200)
  const fresh = res.json()
  t.not(fresh.api_id, host.apiId)
  t.not(fresh.api_key, host.apiKey)
  const old = await ctx.app.inject({ method: 'POST', url: '/api/v1/hosts/ping', headers: agentHeaders(host) })
  t.equal(old.statusCode, 401, 'the cached old key is rejected')
  t.same(old.json(), { error: 'Invalid API credentials' })
  const oldKeyNewId = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/hosts/ping',
    headers: agentHeaders({ apiId: fresh.api_id, apiKey: host.apiKey })
  })
  t.equal(oldKeyNewId.statusCode, 401)
  const ok = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/hosts/ping',
    headers: agentHeaders({ apiId: fresh.api_id, apiKey: fresh.api_key })
  })
  t.equal(ok.statusCode, 200)
  t.notOk(ctx.logs.some((l) => l.includes(fresh.api_key)))
  t.equal(
    (await ctx.app.inject({ method: 'POST', url: '/api/v1/hosts/nope/regenerate-credentials', headers: bearer(ctx.adminToken) }))
      .statusCode,
    404
  )
})

t.test('readonly users can read hosts but not change them; no token is 401', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-03')
  const readonly = bearer(await userWithRole(ctx, 'readonly'))
  for (const url of [
    '/api/v1/hosts',
    `/api/v1/hosts/${host.id}`,
    `/api/v1/hosts/${host.id}/packages`,
    `/api/v1/hosts/${host.id}/repositories`,
    `/api/v1/hosts/${host.id}/reports`,
    '/api/v1/packages',
    '/api/v1/dashboard/stats',
    '/api/v1/settings'
  ]) {
    t.equal((await ctx.app.inject({ method: 'GET', url, headers: readonly })).statusCode, 200, `readonly GET ${url}`)
    t.equal((await ctx.app.inject({ method: 'GET', url })).statusCode, 401, `anonymous GET ${url}`)
  }
  const writes: [string, string, unknown][] = [
    ['POST', '/api/v1/hosts', { friendly_name: 'x' }],
    ['PATCH', `/api/v1/hosts/${host.id}`, { notes: 'x' }],
    ['PUT', `/api/v1/hosts/${host.id}/groups`, { host_group_ids: [] }],
    ['POST', `/api/v1/hosts/${host.id}/regenerate-credentials`, undefined],
    ['DELETE', `/api/v1/hosts/${host.id}`, undefined],
    ['PUT', '/api/v1/settings', { update_interval: 30 }]
  ]
  for (const [method, url, payload] of writes) {
    const res = await ctx.app.inject({
      method: method as 'POST',
      url,
      headers: readonly,
      ...(payload ? { payload: payload as object } : {})
    })
    t.equal(res.statusCode, 403, `readonly ${method} ${url}`)
  }
  t.equal(
    (await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}`, headers: bearer(ctx.adminToken) })).statusCode,
    200,
    'host still there'
  )
})

t.test('PATCH renames and sets notes; PUT groups replaces memberships; unknown group is 400', async (t) => {
  const ctx = await buildTestApp(t)
  const auth = bearer(ctx.adminToken)
  const a = (await ctx.app.inject({ method: 'POST', url: '/api/v1/host-groups', headers: auth, payload: { name: 'A' } })).json()
  const b = (await ctx.app.inject({ method: 'POST', url: '/api/v1/host-groups', headers: auth, payload: { name: 'B' } })).json()
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-04', [a.id])
  const patched = await ctx.app.inject({
    method: 'PATCH',
    url: `/api/v1/hosts/${host.id}`,
    headers: auth,
    payload: { friendly_name: 'web-04b', notes: 'rack 3' }
  })
  t.equal(patched.statusCode, 200)
  t.match(patched.json(), { friendly_name: 'web-04b', notes: 'rack 3' })
  const groups = await ctx.app.inject({
    method: 'PUT',
    url: `/api/v1/hosts/${host.id}/groups`,
    headers: auth,
    payload: { host_group_ids: [b.id, b.id] }
  })
  t.equal(groups.statusCode, 200)
  t.same(
    groups.json().host_groups.map((g: { name: string }) => g.name),
    ['B']
  )
  const bad = await ctx.app.inject({
    method: 'PUT',
    url: `/api/v1/hosts/${host.id}/groups`,
    headers: auth,
    payload: { host_group_ids: [a.id, 'missing'] }
  })
  t.equal(bad.statusCode, 400)
  t.same(bad.json(), { error: 'Host group not found' })
  const after = (await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}`, headers: auth })).json()
  t.same(
    after.host_groups.map((g: { name: string }) => g.name),
    ['B'],
    'a rejected change keeps the memberships'
  )
  t.equal((await ctx.app.inject({ method: 'PATCH', url: '/api/v1/hosts/none', headers: auth, payload: { notes: 'x' } })).statusCode, 404)
  t.equal(
    (await ctx.app.inject({ method: 'PUT', url: '/api/v1/hosts/none/groups', headers: auth, payload: { host_group_ids: [] } })).statusCode,
    404
  )
})

t.test('deleting a host cascades to its packages, repositories, history and memberships and emits host_deleted', async (t) => {
  const ctx = await buildTestApp(t)
  const auth = bearer(ctx.adminToken)
  const events: unknown[] = []
  ctx.app.events.on('host_deleted', (e) => void events.push(e))
  const group = (await ctx.app.inject({ method: 'POST', url: '/api/v1/host-groups', headers: auth, payload: { name: 'G' } })).json()
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-05', [group.id])
  t.equal((await postReport(ctx, host, agentReport(debianPackages(100)))).statusCode, 200)
  const res = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/hosts/${host.id}`, headers: auth })
  t.equal(res.statusCode, 200)
  t.same(events, [{ hostId: host.id, hostName: 'web-05' }])
  for (const table of ['host_packages', 'host_repositories', 'report_history', 'host_group_memberships']) {
    const row = ctx.store.sqlite.prepare(`select count(*) as n from ${table} where host_id = ?`).get(host.id) as { n: number }
    t.equal(row.n, 0, `${table} emptied`)
  }
  t.equal((await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}`, headers: auth })).statusCode, 404)
  const ping = await ctx.app.inject({ method: 'POST', url: '/api/v1/hosts/ping', headers: agentHeaders(host) })
  t.equal(ping.statusCode, 401, "the deleted host's agent is refused")
  t.equal((await ctx.app.inject({ method: 'DELETE', url: `/api/v1/hosts/${host.id}`, headers: auth })).statusCode, 404)
})
