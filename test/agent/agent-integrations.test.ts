import t from 'tap'
import { buildTestApp, type TestApp } from '../helpers/test-app.js'
import { createHost } from '../../src/hosts/host-service.js'
import type { AppEventMap } from '../../src/events/app-events.js'

async function agentHost(ctx: TestApp, name = 'docker-host') {
  const { host, apiKey } = await createHost(ctx.store.db, { friendlyName: name })
  return { id: host.id, headers: { 'x-api-id': host.api_id, 'x-api-key': apiKey, 'content-type': 'application/json' } }
}

const container = (id: string, name: string, state: string, status: string) => ({
  container_id: id,
  name,
  image_name: 'nginx',
  image_tag: '1.27',
  image_id: 'sha256:abc',
  state,
  status,
  ports: { '80/tcp': '8080' },
  future_field: { nested: true }
})

t.test('integration calls answer 200 with the documented compact bodies', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await agentHost(ctx)
  const integrations = await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts/integrations', headers: host.headers })
  t.equal(integrations.statusCode, 200)
  t.equal(
    integrations.body,
    '{"success":true,"integrations":{"docker":false,"compliance":false},"compliance_mode":"disabled","compliance_openscap_enabled":false,"compliance_docker_bench_enabled":false}'
  )
  const status = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/hosts/integration-status',
    headers: host.headers,
    payload: { integration: 'docker', enabled: false, status: 'disabled', message: 'off', components: { a: 1 }, install_events: [] }
  })
  t.equal(status.statusCode, 200)
  t.equal(status.body, '{"success":true,"message":"Integration status received"}')
  const empty = await ctx.app.inject({ method: 'POST', url: '/api/v1/hosts/integration-status', headers: host.headers })
  t.equal(empty.statusCode, 200, 'an empty body is accepted')
  const anon = await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts/integrations' })
  t.equal(anon.statusCode, 401)
  t.same(anon.json(), { error: 'API credentials required' })
})

t.test('the Docker inventory is stored per host and a container that stops emits container_stopped', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await agentHost(ctx)
  const other = await agentHost(ctx, 'other')
  const stopped: AppEventMap['container_stopped'][] = []
  ctx.app.events.on('container_stopped', (e) => void stopped.push(e))
  const post = (h: typeof host, payload: unknown) =>
    ctx.app.inject({ method: 'POST', url: '/api/v1/integrations/docker', headers: h.headers, payload: JSON.stringify(payload) })

  const first = await post(host, {
    containers: [
      container('c1', 'web', 'running', 'Up 2 hours'),
      container('c2', 'db', 'running', 'Up 2 hours'),
      container('c3', 'job', 'exited', 'Exited (0) 1 hour ago')
    ],
    images: [{ id: 'sha256:abc', repository: 'nginx', tag: '1.27', size: 1 }],
    volumes: [{ name: 'data', driver: 'local' }],
    networks: [{ id: 'n1', name: 'bridge', driver: 'bridge' }],
    updates: [{ image: 'nginx' }],
    hostname: 'docker-host',
    machine_id: 'm',
    agent_version: '2.0.0'
  })
  t.equal(first.statusCode, 200)
  t.equal(
    first.body,
    '{"message":"Docker data collected successfully","containers_received":3,"images_received":1,"volumes_received":1,"networks_received":1,"updates_found":1}'
  )
  await post(other, { containers: [container('c1', 'web', 'running', 'Up')] })
  t.same(stopped, [], 'a first inventory reports no transitions')

  const second = await post(host, {
    containers: [
      container('c1', 'web', 'exited', 'Exited (137) 5 seconds ago'),
      container('c2', 'db', 'running', 'Up 2 hours'),
      container('c3', 'job', 'dead', 'Dead')
    ],
    images: null,
    volumes: [],
    networks: []
  })
  t.equal(second.statusCode, 200)
  t.same(stopped, [
    { hostId: host.id, hostName: 'docker-host', container: 'web', image: 'nginx:1.27', oldStatus: 'running', newStatus: 'exited' }
  ])

  const rows = await ctx.store.db.selectFrom('docker_containers').selectAll().where('host_id', '=', host.id).orderBy('name').execute()
  t.same(
    rows.map((r) => [r.name, r.state, r.image]),
    [
      ['db', 'running', 'nginx:1.27'],
      ['job', 'dead', 'nginx:1.27'],
      ['web', 'exited', 'nginx:1.27']
    ]
  )
  t.match(JSON.parse(rows[2]?.details ?? '{}'), { future_field: { nested: true } }, 'the agent object is kept as received')
  t.equal(
    (await ctx.store.db.selectFrom('docker_images').select('object_id').where('host_id', '=', host.id).execute()).length,
    0,
    'the inventory is replaced'
  )
  t.equal(
    (await ctx.store.db.selectFrom('docker_containers').select('container_id').where('host_id', '=', other.id).execute()).length,
    1,
    'other hosts untouched'
  )

  const bad = await post(host, { containers: 'nope' })
  t.equal(bad.statusCode, 400)
  t.ok(typeof bad.json().error === 'string', 'a wrong shape is a 400 with {error}')
})

t.test('credentials are checked before the Docker body', async (t) => {
  const ctx = await buildTestApp(t)
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/integrations/docker', payload: { containers: 'nope' } })
  t.equal(res.statusCode, 401)
  t.same(res.json(), { error: 'API credentials required' })
})
