import t from 'tap'
import { bearer, buildTestApp } from '../helpers/test-app.js'
import { agentHeaders, createHostViaApi } from '../helpers/agent-fixtures.js'

t.test('ping with an empty JSON body is a heartbeat: 200, pending becomes active', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-01')
  const before = await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}`, headers: bearer(ctx.adminToken) })
  t.equal(before.json().status, 'pending')

  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/hosts/ping', headers: agentHeaders(host), payload: '' })
  t.equal(res.statusCode, 200, 'exactly 200: the agent treats anything else as failure')
  const body = res.json()
  t.equal(body.message, 'Ping successful')
  t.equal(body.friendlyName, 'web-01')
  t.equal(body.agentStartup, true)
  t.same(body.integrations, { docker: false, compliance: false })
  t.ok(!Number.isNaN(Date.parse(body.timestamp)), 'RFC 3339 timestamp')
  t.notOk('hashGate' in body, 'no hash gate: 2.x agents then send a full report every interval')
  t.match(res.body, /"message":"Ping successful"/, 'compact JSON, no space after the colon')

  const after = await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}`, headers: bearer(ctx.adminToken) })
  t.equal(after.json().status, 'active')
  t.ok(after.json().last_update)
})

t.test('a 2.x check-in ping overwrites only the metrics it sends', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'db-01')
  const first = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/hosts/ping',
    headers: agentHeaders(host),
    payload: {
      hashes: { packagesHash: 'a'.repeat(64), reposHash: '' },
      metrics: {
        cpuCores: 8,
        cpuModel: 'AMD EPYC',
        ramInstalled: 15.5,
        loadAverage: [1, 0.5, 0.25],
        needsReboot: true,
        rebootReason: 'kernel',
        futureMetric: 1
      },
      agentVersion: '2.0.1',
      agentExecutionMs: 120,
      somethingNew: { nested: true }
    }
  })
  t.equal(first.statusCode, 200, first.body)
  const second = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/hosts/ping',
    headers: agentHeaders(host),
    payload: { metrics: { systemUptime: '2 days' } }
  })
  t.equal(second.statusCode, 200)
  const detail = (await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}`, headers: bearer(ctx.adminToken) })).json()
  t.equal(detail.cpu_cores, 8, 'kept from the first check-in')
  t.equal(detail.cpu_model, 'AMD EPYC')
  t.equal(detail.ram_installed, 15.5)
  t.same(detail.load_average, [1, 0.5, 0.25])
  t.equal(detail.needs_reboot, true)
  t.equal(detail.reboot_reason, 'kernel')
  t.equal(detail.agent_version, '2.0.1')
  t.equal(detail.system_uptime, '2 days', 'set by the second check-in')
  t.equal(detail.status, 'active')
})

t.test('agent credentials: missing headers 401 API credentials required, wrong key 401 Invalid API credentials', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-02')
  const none = await ctx.app.inject({ method: 'POST', url: '/api/v1/hosts/ping', headers: { 'content-type': 'application/json' } })
  t.equal(none.statusCode, 401)
  t.same(none.json(), { error: 'API credentials required' })
  const onlyId = await ctx.app.inject({ method: 'POST', url: '/api/v1/hosts/ping', headers: { 'x-api-id': host.apiId } })
  t.same(onlyId.json(), { error: 'API credentials required' })
  const wrongKey = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/hosts/ping',
    headers: agentHeaders({ apiId: host.apiId, apiKey: 'f'.repeat(64) })
  })
  t.equal(wrongKey.statusCode, 401)
  t.same(wrongKey.json(), { error: 'Invalid API credentials' })
  const unknownId = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/hosts/ping',
    headers: agentHeaders({ apiId: 'patchmon_0000000000000000', apiKey: host.apiKey })
  })
  t.same(unknownId.json(), { error: 'Invalid API credentials' })
  for (const url of ['/api/v1/hosts/update', '/api/v1/settings/update-interval']) {
    const res = await ctx.app.inject({
      method: url.endsWith('update') ? 'POST' : 'GET',
      url,
      headers: { 'content-type': 'application/json' },
      payload: url.endsWith('update') ? '{"packages":[]}' : undefined
    })
    t.equal(res.statusCode, 401, `${url} needs credentials`)
    t.same(res.json(), { error: 'API credentials required' })
  }
  t.notOk(
    ctx.logs.some((l) => l.includes(host.apiKey)),
    'the API key is never logged'
  )
})

t.test('ping tolerates duplicate and trailing slashes (agents join URLs by concatenation)', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-03')
  for (const url of ['//api/v1/hosts/ping', '/api/v1/hosts/ping/', '//api/v1//hosts/ping']) {
    const res = await ctx.app.inject({ method: 'POST', url, headers: agentHeaders(host) })
    t.equal(res.statusCode, 200, url)
  }
  const interval = await ctx.app.inject({ method: 'GET', url: '//api/v1/settings/update-interval', headers: agentHeaders(host) })
  t.equal(interval.statusCode, 200)
})

t.test('malformed JSON on ping is 400 Invalid request body', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-04')
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/hosts/ping', headers: agentHeaders(host), payload: '{"metrics":' })
  t.equal(res.statusCode, 400)
  t.same(res.json(), { error: 'Invalid request body' })
})

t.test('update-interval returns the setting in minutes as {"updateInterval":N}', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-05')
  const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/settings/update-interval', headers: agentHeaders(host) })
  t.equal(res.statusCode, 200)
  t.equal(res.body, '{"updateInterval":60}')
  const put = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings',
    headers: bearer(ctx.adminToken),
    payload: { update_interval: 15 }
  })
  t.equal(put.statusCode, 200)
  const again = await ctx.app.inject({ method: 'GET', url: '/api/v1/settings/update-interval', headers: agentHeaders(host) })
  t.same(again.json(), { updateInterval: 15 })
})
