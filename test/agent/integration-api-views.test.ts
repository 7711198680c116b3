import t from 'tap'
import { buildTestApp, bearer, type TestApp } from '../helpers/test-app.js'
import { createHost } from '../../src/hosts/host-service.js'
import { recordAgentJob } from '../../src/agent/agent-jobs.js'

const TOKENS = '/api/v1/auto-enrollment/tokens'

async function createToken(ctx: TestApp, body: Record<string, unknown>): Promise<{ id: string; key: string; secret: string }> {
  const res = await ctx.app.inject({ method: 'POST', url: TOKENS, headers: bearer(ctx.adminToken), payload: body })
  if (res.statusCode !== 201) throw new Error(`token creation failed: ${res.statusCode} ${res.body}`)
  const token = res.json().token
  return { id: token.id, key: token.token_key, secret: token.token_secret }
}

t.test('a token made through the admin API enrolls, and disabling it stops enrollment at once', async (t) => {
  const ctx = await buildTestApp(t)
  const token = await createToken(ctx, { token_name: 'Lab', max_hosts_per_day: 10, metadata: { integration_type: 'direct-host' } })
  const enroll = () =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auto-enrollment/enroll',
      headers: { 'x-auto-enrollment-key': token.key, 'x-auto-enrollment-secret': token.secret },
      payload: { friendly_name: 'lab-1' }
    })
  t.equal((await enroll()).statusCode, 201)
  const list = await ctx.app.inject({ method: 'GET', url: TOKENS, headers: bearer(ctx.adminToken) })
  t.equal(list.json()[0].hosts_created_today, 1, 'the token list shows the enrollment')
  const off = await ctx.app.inject({
    method: 'PATCH',
    url: `${TOKENS}/${token.id}`,
    headers: bearer(ctx.adminToken),
    payload: { is_active: false }
  })
  t.equal(off.statusCode, 200)
  const res = await enroll()
  t.equal(res.statusCode, 401, 'the cached verification does not outlive the change')
  t.same(res.json(), { error: 'Invalid or inactive token' })
})

t.test('the Integration API shows agent jobs and Docker counts recorded by the agent features', async (t) => {
  const ctx = await buildTestApp(t)
  const { host, apiKey } = await createHost(ctx.store.db, { friendlyName: 'docker-1' })
  const api = await createToken(ctx, { token_name: 'Reader', metadata: { integration_type: 'api' }, scopes: { host: ['get'] } })
  const basic = { authorization: `Basic ${Buffer.from(`${api.key}:${api.secret}`).toString('base64')}` }
  await recordAgentJob(ctx.store.db, {
    hostId: host.id,
    jobName: 'report_now',
    delivered: true,
    at: new Date('2030-01-01T10:00:00Z'),
    output: { messages: ['report_now'] }
  })
  await recordAgentJob(ctx.store.db, {
    hostId: host.id,
    jobName: 'report_now',
    delivered: false,
    error: 'Agent is not connected',
    at: new Date('2030-01-01T11:00:00Z')
  })
  const queue = await ctx.app.inject({ method: 'GET', url: `/api/v1/api/hosts/${host.id}/agent_queue?limit=1`, headers: basic })
  t.equal(queue.statusCode, 200)
  const body = queue.json()
  t.same(body.queue_status, { waiting: 0, active: 0, delayed: 0, failed: 1 })
  t.equal(body.total_jobs, 2)
  t.equal(body.job_history.length, 1, 'limit applies to the history')
  t.match(body.job_history[0], {
    job_name: 'report_now',
    status: 'failed',
    attempt: 1,
    error_message: 'Agent is not connected',
    completed_at: null,
    created_at: '2030-01-01T11:00:00.000Z'
  })
  t.equal(body.job_history[0].job_id, body.job_history[0].id)

  const docker = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/integrations/docker',
    headers: { 'x-api-id': host.api_id, 'x-api-key': apiKey },
    payload: {
      containers: [{ container_id: 'c1', name: 'web', image_name: 'nginx', state: 'running', status: 'Up' }],
      volumes: [{ name: 'v' }],
      networks: [
        { id: 'n', name: 'bridge' },
        { id: 'm', name: 'host' }
      ],
      images: []
    }
  })
  t.equal(docker.statusCode, 200)
  const integrations = await ctx.app.inject({ method: 'GET', url: `/api/v1/api/hosts/${host.id}/integrations`, headers: basic })
  t.same(integrations.json().integrations.docker, {
    enabled: true,
    containers_count: 1,
    volumes_count: 1,
    networks_count: 2,
    description: 'Monitor Docker containers, images, volumes, and networks. Collects real-time container status events.'
  })
})
