// The Docker screen's API over inventories sent through the real agent endpoint: fleet-wide and
// per-host containers and images with their filters and counts, update flags from the agent's
// `updates` list, the stopped-container history (written with the inventory, pruned by age and
// per-host cap), the per-host integration switch the agent reads, and host-group scoping.
import t from 'tap'
import { bearer, buildTestApp, login, type TestApp } from '../helpers/test-app.js'
import { agentHeaders, createHostViaApi } from '../helpers/agent-fixtures.js'
import { agentUpdate, dockerPayload, postDocker, type ContainerSpec } from './docker-fixtures.js'
import { CONTAINER_EVENTS_KEPT_PER_HOST } from '../../src/agent/docker-history.js'

const web = (state: ContainerSpec['state']): ContainerSpec => ({ id: 'c-web', name: 'web', image: 'nginx', tag: '1.27', state })
const db = (state: ContainerSpec['state']): ContainerSpec => ({ id: 'c-db', name: 'db', image: 'postgres', tag: '16', state })
const cache: ContainerSpec = { id: 'c-cache', name: 'cache', image: 'redis', tag: '7', state: 'running' }

async function get(ctx: TestApp, url: string, token = ctx.adminToken) {
  const res = await ctx.app.inject({ method: 'GET', url, headers: bearer(token) })
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  return res.json() as Record<string, unknown> & { total: number }
}

t.test('containers and images across the fleet, with filters, counts and update flags', async (t) => {
  const ctx = await buildTestApp(t)
  const alpha = await createHostViaApi(ctx.app, ctx.adminToken, 'alpha')
  const beta = await createHostViaApi(ctx.app, ctx.adminToken, 'beta')
  await postDocker(ctx, alpha, dockerPayload('alpha', [web('running'), db('exited')], [agentUpdate('nginx', '1.27', '1.28')]))
  await postDocker(ctx, beta, dockerPayload('beta', [web('running'), cache]))

  t.same(await get(ctx, '/api/v1/docker/counts'), {
    hosts_with_docker: 2,
    containers: 4,
    running: 3,
    stopped: 1,
    containers_with_updates: 1,
    images: 3,
    images_with_updates: 1
  })

  const all = await get(ctx, '/api/v1/docker/containers')
  t.equal(all.total, 4)
  const containers = all.containers as Array<Record<string, unknown>>
  t.match(containers[0], { name: 'db', state: 'exited', host_name: 'alpha', host_id: alpha.id }, 'stopped containers first')
  t.match(
    containers.filter((c) => c.name === 'web').sort((a, b) => String(a.host_name).localeCompare(String(b.host_name))),
    [
      { host_name: 'alpha', image: 'nginx:1.27', update_available: true, available_tag: '1.28' },
      { host_name: 'beta', image: 'nginx:1.27', update_available: false, available_tag: null }
    ],
    "an update is per host: only alpha's agent listed one"
  )

  t.same(
    ((await get(ctx, '/api/v1/docker/containers?state=stopped')).containers as Array<{ name: string }>).map((c) => c.name),
    ['db']
  )
  t.equal((await get(ctx, '/api/v1/docker/containers?state=running')).total, 3)
  t.same(
    ((await get(ctx, '/api/v1/docker/containers?updates_only=true')).containers as Array<{ host_name: string }>).map((c) => c.host_name),
    ['alpha']
  )
  t.equal((await get(ctx, `/api/v1/docker/containers?host_id=${beta.id}`)).total, 2, 'per host')
  t.same(
    ((await get(ctx, '/api/v1/docker/containers?search=REDIS')).containers as Array<{ name: string }>).map((c) => c.name),
    ['cache'],
    'search matches the image, case-insensitively'
  )

  const images = await get(ctx, '/api/v1/docker/images')
  t.equal(images.total, 3)
  t.match(images.images, [
    {
      name: 'nginx:1.27',
      repository: 'nginx',
      tag: '1.27',
      host_count: 2,
      container_count: 2,
      update_available: true,
      available_tag: '1.28'
    },
    { host_count: 1, container_count: 1, update_available: false },
    { host_count: 1, container_count: 1, update_available: false }
  ])
  t.same(
    ((await get(ctx, '/api/v1/docker/images?updates_only=true')).images as Array<{ name: string }>).map((i) => i.name),
    ['nginx:1.27']
  )
  t.match(await get(ctx, `/api/v1/docker/images?host_id=${beta.id}`), {
    total: 2,
    images: [{ name: 'nginx:1.27', host_count: 1, container_count: 1 }]
  })
  t.match(await get(ctx, `/api/v1/docker/counts?host_id=${beta.id}`), { hosts_with_docker: 1, containers: 2, images_with_updates: 0 })

  const bad = await ctx.app.inject({ method: 'GET', url: '/api/v1/docker/containers?state=sleeping', headers: bearer(ctx.adminToken) })
  t.equal(bad.statusCode, 400, 'an unknown state filter is a 400, not a 500')
  t.ok(Array.isArray(bad.json().errors), 'in the documented validation shape')
})

t.test('a container that stops is kept in the history, fleet-wide and per host; a restart is not', async (t) => {
  const ctx = await buildTestApp(t)
  const alpha = await createHostViaApi(ctx.app, ctx.adminToken, 'alpha')
  const beta = await createHostViaApi(ctx.app, ctx.adminToken, 'beta')
  await postDocker(ctx, alpha, dockerPayload('alpha', [web('running'), db('running')]))
  await postDocker(ctx, beta, dockerPayload('beta', [cache]))
  t.equal((await get(ctx, '/api/v1/docker/events')).total, 0, 'a first inventory has no transitions')

  await postDocker(ctx, alpha, dockerPayload('alpha', [web('exited'), db('running')]))
  await postDocker(ctx, beta, dockerPayload('beta', [{ ...cache, state: 'dead' }]))
  await postDocker(ctx, alpha, dockerPayload('alpha', [web('exited'), db('running')]))
  await postDocker(ctx, alpha, dockerPayload('alpha', [web('running'), db('paused')]))

  const events = await get(ctx, '/api/v1/docker/events')
  t.equal(events.total, 2, 'one row per running -> stopped transition; still-exited, restarted and paused are not stops')
  t.match(events.events, [
    { host_name: 'beta', container_name: 'cache', image: 'redis:7', old_state: 'running', new_state: 'dead' },
    { host_name: 'alpha', container_name: 'web', image: 'nginx:1.27', old_state: 'running', new_state: 'exited', container_id: 'c-web' }
  ])
  t.match(await get(ctx, `/api/v1/docker/events?host_id=${alpha.id}`), { total: 1, events: [{ container_name: 'web' }] })
  t.equal((await get(ctx, '/api/v1/docker/events?search=redis')).total, 1)
})

t.test('the history keeps a bounded number of rows per host and drops rows past the retention age', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'flappy')
  const other = await createHostViaApi(ctx.app, ctx.adminToken, 'other')
  await postDocker(ctx, other, dockerPayload('other', [cache]))
  await postDocker(ctx, other, dockerPayload('other', [{ ...cache, state: 'exited' }]))
  // An old row, as if written 100 days ago: the next write prunes it.
  await ctx.store.db
    .updateTable('docker_container_events')
    .set({ occurred_at: new Date(Date.now() - 100 * 86_400_000).toISOString() })
    .where('host_id', '=', other.id)
    .execute()
  t.equal((await get(ctx, `/api/v1/docker/events?host_id=${other.id}`)).total, 1)

  // A crash loop: the container flips on every inventory.
  const flips = CONTAINER_EVENTS_KEPT_PER_HOST + 5
  await postDocker(ctx, host, dockerPayload('flappy', [web('running')]))
  for (let i = 0; i < flips; i++) {
    await postDocker(ctx, host, dockerPayload('flappy', [web('exited')]))
    await postDocker(ctx, host, dockerPayload('flappy', [web('running')]))
  }
  t.equal((await get(ctx, `/api/v1/docker/events?host_id=${host.id}`)).total, CONTAINER_EVENTS_KEPT_PER_HOST, 'capped per host')
  t.equal((await get(ctx, `/api/v1/docker/events?host_id=${other.id}`)).total, 0, 'rows past the retention age are gone')
})

t.test("the host's Docker switch is what the agent is told by GET /api/v1/hosts/integrations", async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'alpha')
  const integrations = async () =>
    (await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts/integrations', headers: agentHeaders(host) })).json().integrations
  t.same(await integrations(), { docker: false, compliance: false }, 'off by default')
  t.match(await get(ctx, `/api/v1/hosts/${host.id}/docker`), { integration_enabled: false, counts: { containers: 0 } })

  const on = await ctx.app.inject({
    method: 'PUT',
    url: `/api/v1/hosts/${host.id}/docker/integration`,
    headers: bearer(ctx.adminToken),
    payload: { enabled: true }
  })
  t.equal(on.statusCode, 200)
  t.same(await integrations(), { docker: true, compliance: false })
  const audit = await get(ctx, '/api/v1/audit?action=host.docker_integration')
  t.ok(JSON.stringify(audit).includes(host.id), 'the switch is audited with the host')

  await postDocker(ctx, host, dockerPayload('alpha', [web('running')]))
  t.match(await get(ctx, `/api/v1/hosts/${host.id}/docker`), { integration_enabled: true, counts: { containers: 1, running: 1 } })

  await ctx.app.inject({
    method: 'PUT',
    url: `/api/v1/hosts/${host.id}/docker/integration`,
    headers: bearer(ctx.adminToken),
    payload: { enabled: false }
  })
  t.same(await integrations(), { docker: false, compliance: false })

  const readonly = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(ctx.adminToken),
    payload: { username: 'viewer', password: 'viewer-password', role: 'readonly' }
  })
  t.equal(readonly.statusCode, 201)
  const viewer = await login(ctx.app, 'viewer', 'viewer-password')
  const denied = await ctx.app.inject({
    method: 'PUT',
    url: `/api/v1/hosts/${host.id}/docker/integration`,
    headers: bearer(viewer),
    payload: { enabled: true }
  })
  t.equal(denied.statusCode, 403, 'turning it on needs can_manage_hosts')
  const unknown = await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts/no-such-host/docker', headers: bearer(ctx.adminToken) })
  t.equal(unknown.statusCode, 404)
  t.same(unknown.json(), { error: 'Host not found' })
})

t.test('a user limited to a host group lists and counts only their hosts', async (t) => {
  const ctx = await buildTestApp(t)
  const groupRes = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/host-groups',
    headers: bearer(ctx.adminToken),
    payload: { name: 'mine' }
  })
  const group = groupRes.json().id as string
  const mine = await createHostViaApi(ctx.app, ctx.adminToken, 'mine-host', [group])
  const theirs = await createHostViaApi(ctx.app, ctx.adminToken, 'their-host')
  await postDocker(ctx, mine, dockerPayload('mine-host', [web('running')]))
  await postDocker(ctx, theirs, dockerPayload('their-host', [web('running'), db('running')], [agentUpdate('postgres', '16', '17')]))
  await postDocker(ctx, theirs, dockerPayload('their-host', [web('running'), db('exited')], [agentUpdate('postgres', '16', '17')]))
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(ctx.adminToken),
    payload: { username: 'limited', password: 'limited-password', role: 'admin', host_group_ids: [group] }
  })
  t.equal(created.statusCode, 201)
  const limited = await login(ctx.app, 'limited', 'limited-password')

  t.same(await get(ctx, '/api/v1/docker/counts', limited), {
    hosts_with_docker: 1,
    containers: 1,
    running: 1,
    stopped: 0,
    containers_with_updates: 0,
    images: 1,
    images_with_updates: 0
  })
  const containers = await get(ctx, '/api/v1/docker/containers', limited)
  t.match(containers, { total: 1, containers: [{ host_name: 'mine-host' }] })
  t.match(await get(ctx, '/api/v1/docker/images', limited), {
    total: 1,
    images: [{ name: 'nginx:1.27', host_count: 1, container_count: 1 }]
  })
  t.equal((await get(ctx, '/api/v1/docker/events', limited)).total, 0, "the other host's stop is not shown")
  t.equal((await get(ctx, '/api/v1/docker/events')).total, 1, '(the admin sees it)')
  t.equal((await get(ctx, `/api/v1/docker/containers?host_id=${theirs.id}`, limited)).total, 0)
  const foreign = await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${theirs.id}/docker`, headers: bearer(limited) })
  t.equal(foreign.statusCode, 404)
  const flip = await ctx.app.inject({
    method: 'PUT',
    url: `/api/v1/hosts/${theirs.id}/docker/integration`,
    headers: bearer(limited),
    payload: { enabled: true }
  })
  t.equal(flip.statusCode, 404, "a foreign host's switch cannot be turned")
  t.equal(
    (await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts/integrations', headers: agentHeaders(theirs) })).json().integrations.docker,
    false
  )
})

t.test('updates match by image id or by repository and tag, registry prefixes aside; a rebuilt tag has no new tag to show', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'alpha')
  const digestOnly = { ...agentUpdate('docker.io/library/redis', '7', '7'), image_id: '' }
  const byIdOnly = { ...agentUpdate('somewhere-else/pg', 'x', '17'), image_id: 'sha256:postgres-16' }
  await postDocker(ctx, host, dockerPayload('alpha', [cache, db('running'), web('running')], [digestOnly, byIdOnly]))
  const containers = (await get(ctx, '/api/v1/docker/containers')).containers as Array<Record<string, unknown>>
  const byName = new Map(containers.map((c) => [c.name, c]))
  t.match(
    byName.get('cache'),
    { update_available: true, available_tag: null },
    'docker.io/library/redis:7 is redis:7; same tag, new digest'
  )
  t.match(byName.get('db'), { update_available: true, available_tag: '17' }, 'matched by image id')
  t.match(byName.get('web'), { update_available: false })
  t.match(await get(ctx, '/api/v1/docker/counts'), { containers_with_updates: 2, images_with_updates: 2 })
})
