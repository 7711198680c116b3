import t from 'tap'
import { bearer, buildTestApp } from '../helpers/test-app.js'
import { agentHeaders, createHostViaApi } from '../helpers/agent-fixtures.js'

t.test('agent routes use the agent bucket: over AGENT_RATE_LIMIT_MAX they get 429 with Retry-After, dashboards do not', async (t) => {
  const ctx = await buildTestApp(t, { env: { AGENT_RATE_LIMIT_MAX: '3' } })
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-01')
  const statuses: number[] = []
  let last
  for (let i = 0; i < 4; i++) {
    last = await ctx.app.inject({ method: 'POST', url: '/api/v1/hosts/ping', headers: agentHeaders(host) })
    statuses.push(last.statusCode)
  }
  t.same(statuses, [200, 200, 200, 429])
  t.ok(Number(last!.headers['retry-after']) > 0)
  const dashboard = await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts', headers: bearer(ctx.adminToken) })
  t.equal(dashboard.statusCode, 200, 'the general bucket is separate')
})
