// Who may do what (issue 17 item 7): reading needs can_view_hosts, changing needs can_manage_patching
// (admin and host_manager have it, user and readonly do not); the Integration API reads runs only
// with the new `patching` scope; the browser stream sends snapshot → started → chunk → done.
import t from 'tap'
import WebSocket from 'ws'
import { bearer, userWithRole } from '../helpers/test-app.js'
import { basic, createCredential } from '../integration-api/fleet-fixture.js'
import { patchingSetup, trigger, until } from './patching-fixtures.js'

t.test('a user without can_manage_patching gets 403 on every change; reading works with can_view_hosts', async (t) => {
  const { ctx, host } = await patchingSetup(t)
  const runId = (
    (await trigger(ctx, { host_id: host.id, patch_type: 'patch_all', pending_approval: true })).json() as { patch_run_id: string }
  ).patch_run_id
  const policyId = (
    (
      await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/patching/policies',
        headers: bearer(ctx.adminToken),
        payload: { name: 'p', patch_delay_type: 'immediate' }
      })
    ).json() as { id: string }
  ).id
  const changes: Array<{ method: 'POST' | 'PUT' | 'DELETE'; url: string; payload?: Record<string, unknown> }> = [
    { method: 'POST', url: '/api/v1/patching/trigger', payload: { host_id: host.id, patch_type: 'patch_all' } },
    { method: 'POST', url: `/api/v1/patching/runs/${runId}/approve` },
    { method: 'POST', url: `/api/v1/patching/runs/${runId}/retry-validation` },
    { method: 'POST', url: `/api/v1/patching/runs/${runId}/stop` },
    { method: 'DELETE', url: `/api/v1/patching/runs/${runId}` },
    { method: 'POST', url: '/api/v1/patching/policies', payload: { name: 'x', patch_delay_type: 'immediate' } },
    { method: 'PUT', url: `/api/v1/patching/policies/${policyId}`, payload: { name: 'x', patch_delay_type: 'immediate' } },
    { method: 'DELETE', url: `/api/v1/patching/policies/${policyId}` },
    { method: 'POST', url: `/api/v1/patching/policies/${policyId}/assignments`, payload: { target_type: 'host', target_id: host.id } },
    { method: 'POST', url: `/api/v1/patching/policies/${policyId}/exclusions`, payload: { host_id: host.id } }
  ]
  for (const role of ['user', 'readonly']) {
    const token = await userWithRole(ctx, role)
    for (const change of changes) {
      const res = await ctx.app.inject({ ...change, headers: bearer(token) })
      t.same([res.statusCode, res.json()], [403, { error: 'Insufficient permissions' }], `${role}: ${change.method} ${change.url}`)
    }
    for (const url of [
      '/api/v1/patching/dashboard',
      '/api/v1/patching/runs',
      '/api/v1/patching/runs/active',
      `/api/v1/patching/runs/${runId}`,
      '/api/v1/patching/policies',
      '/api/v1/patching/audit'
    ]) {
      t.equal((await ctx.app.inject({ method: 'GET', url, headers: bearer(token) })).statusCode, 200, `${role} reads ${url}`)
    }
  }
  const anonymous = await ctx.app.inject({ method: 'GET', url: '/api/v1/patching/dashboard' })
  t.equal(anonymous.statusCode, 401)
  const manager = await userWithRole(ctx, 'host_manager')
  const ok = await trigger(ctx, { host_id: host.id, patch_type: 'patch_all' }, manager)
  t.equal(ok.statusCode, 200, 'host_manager may patch')
  const audit = (
    await ctx.app.inject({ method: 'GET', url: `/api/v1/patching/audit?action=trigger`, headers: bearer(ctx.adminToken) })
  ).json() as { entries: Array<{ username: string }> }
  t.same(
    audit.entries.map((e) => e.username),
    ['host_manager-user', 'admin'],
    'the trail says who triggered'
  )
  const dashboard = (
    await ctx.app.inject({ method: 'GET', url: '/api/v1/patching/dashboard', headers: bearer(ctx.adminToken) })
  ).json() as { summary: Record<string, number> }
  t.match(dashboard.summary, { total_runs: 2, pending_approval: 1, queued: 1 })
})

t.test('the Integration API reads patch runs only with the patching scope; host scopes are unchanged', async (t) => {
  const { ctx, host } = await patchingSetup(t)
  const runId = (
    (await trigger(ctx, { host_id: host.id, patch_type: 'patch_all', pending_approval: true })).json() as { patch_run_id: string }
  ).patch_run_id
  const hostOnly = await createCredential(ctx, { token_name: 'hosts', metadata: { integration_type: 'api' }, scopes: { host: ['get'] } })
  const patching = await createCredential(ctx, {
    token_name: 'patching',
    metadata: { integration_type: 'api' },
    scopes: { patching: ['get'] }
  })
  const denied = await ctx.app.inject({ method: 'GET', url: '/api/v1/api/patching/runs', headers: basic(hostOnly.key, hostOnly.secret) })
  t.same([denied.statusCode, denied.json()], [403, { error: 'Access denied', message: 'This API key does not have access to patching' }])
  t.equal(
    (await ctx.app.inject({ method: 'GET', url: '/api/v1/api/hosts', headers: basic(hostOnly.key, hostOnly.secret) })).statusCode,
    200
  )
  t.equal(
    (await ctx.app.inject({ method: 'GET', url: '/api/v1/api/hosts', headers: basic(patching.key, patching.secret) })).statusCode,
    403,
    'patching:get does not read hosts'
  )

  const list = await ctx.app.inject({ method: 'GET', url: '/api/v1/api/patching/runs', headers: basic(patching.key, patching.secret) })
  t.same(
    (list.json() as { runs: Array<{ id: string }> }).runs.map((r) => r.id),
    [runId]
  )
  const one = await ctx.app.inject({
    method: 'GET',
    url: `/api/v1/api/patching/runs/${runId}`,
    headers: basic(patching.key, patching.secret)
  })
  t.equal((one.json() as { status: string }).status, 'pending_approval')
  const ofHost = await ctx.app.inject({
    method: 'GET',
    url: `/api/v1/api/hosts/${host.id}/patch-runs`,
    headers: basic(patching.key, patching.secret)
  })
  t.same((ofHost.json() as { pagination: { total: number } }).pagination.total, 1)
  const noHost = await ctx.app.inject({
    method: 'GET',
    url: '/api/v1/api/hosts/00000000-0000-4000-8000-000000000000/patch-runs',
    headers: basic(patching.key, patching.secret)
  })
  t.equal(noHost.statusCode, 404)
  const write = await ctx.app.inject({ method: 'POST', url: '/api/v1/api/patching/runs', headers: basic(patching.key, patching.secret) })
  t.equal(write.statusCode, 404, 'no write endpoint exists')
})

t.test('the browser stream: snapshot, then started, chunk and done frames; terminal runs get snapshot + done', async (t) => {
  const { ctx, host, agent, port } = await patchingSetup(t)
  const id = ((await trigger(ctx, { host_id: host.id, patch_type: 'patch_all' })).json() as { patch_run_id: string }).patch_run_id
  await agent.waitFrame('run_patch', id)
  const open = async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/v1/patching/runs/${id}/stream`, { headers: bearer(ctx.adminToken) })
    const frames: Array<Record<string, unknown>> = []
    let closed = false
    socket.on('message', (d) => frames.push(JSON.parse(d.toString()) as Record<string, unknown>))
    socket.on('close', () => (closed = true))
    await until(() => frames.length > 0, 'the snapshot')
    return { frames, isClosed: () => closed }
  }
  const live = await open()
  t.same(live.frames[0], { type: 'snapshot', patch_run_id: id, stage: 'queued', shell_output: '', error_message: '' })
  await agent.post(id, { stage: 'started' })
  await agent.post(id, { stage: 'progress', output: 'Reading package lists...\n' })
  await agent.post(id, { stage: 'completed', output: 'Reading package lists...\ndone\n' })
  await until(() => live.isClosed(), 'the stream to close after done')
  t.same(live.frames.slice(1), [
    { type: 'started', patch_run_id: id, stage: 'running' },
    { type: 'chunk', patch_run_id: id, stage: 'progress', chunk: 'Reading package lists...\n' },
    { type: 'done', patch_run_id: id, stage: 'completed' }
  ])
  const after = await open()
  await until(() => after.isClosed(), 'close')
  t.same(
    after.frames.map((f) => f.type),
    ['snapshot', 'done']
  )

  const refused = await new Promise<number>((resolve) => {
    const s = new WebSocket(`ws://127.0.0.1:${port}/api/v1/patching/runs/${id}/stream`)
    s.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    s.on('error', () => undefined)
  })
  t.equal(refused, 401, 'no session, no stream')
  const foreign = await new Promise<number>((resolve) => {
    const s = new WebSocket(`ws://127.0.0.1:${port}/api/v1/patching/runs/${id}/stream`, {
      headers: { cookie: `token=${ctx.adminToken}` },
      origin: 'https://evil.example'
    })
    s.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    s.on('open', () => resolve(101))
    s.on('error', () => undefined)
  })
  t.equal(foreign, 403, 'a cookie upgrade from another origin is refused')
})
