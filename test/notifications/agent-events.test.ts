// Events observed by the agent routes, end to end: a package report that raises the security
// count and a Docker inventory where a container stopped each arrive in Discord as one embed.
import t from 'tap'
import { agentHeaders, agentReport, createHostViaApi, debianPackages, postReport } from '../helpers/agent-fixtures.js'
import { addDestination, addRule, buildNotificationTestApp, DISCORD_URL } from './helpers/notification-test-app.js'

type Embed = { title: string; color: number; fields: Array<{ name: string; value: string }> }
const embedsOf = (body: unknown) => (body as { embeds: Embed[] }).embeds

const container = (id: string, name: string, state: string, status: string) => ({
  container_id: id,
  name,
  image_name: 'nginx',
  image_tag: '1.27',
  image_id: 'sha256:abc',
  state,
  status
})

t.test('agent reports and Docker inventories become Discord embeds through routing rules', async (t) => {
  const ctx = await buildNotificationTestApp(t)
  await addRule(ctx, await addDestination(ctx, DISCORD_URL), { event_types: ['host_security_updates_exceeded', 'container_stopped'] })
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web01.example.com')

  const report = await postReport(ctx, host, agentReport(debianPackages(40, { updates: 6, securityEvery: 2 })))
  t.equal(report.statusCode, 200, report.body)
  await ctx.app.notifications.settle()
  t.equal(ctx.receiver.requests.length, 1)
  const [security] = embedsOf(ctx.receiver.requests[0]!.json)
  t.match(security, { title: 'Security Updates Available: web01.example.com', color: 16776960 })
  t.same(
    security!.fields.slice(0, 3).map((f) => [f.name, f.value]),
    [
      ['Host', 'web01.example.com'],
      ['Security updates', String(report.json().securityUpdates)],
      ['Previously', '0']
    ]
  )

  const again = await postReport(ctx, host, agentReport(debianPackages(40, { updates: 6, securityEvery: 2 })))
  t.equal(again.statusCode, 200)
  await ctx.app.notifications.settle()
  t.equal(ctx.receiver.requests.length, 1, 'the same security count again sends nothing')

  const docker = (payload: unknown) =>
    ctx.app.inject({ method: 'POST', url: '/api/v1/integrations/docker', headers: agentHeaders(host), payload: JSON.stringify(payload) })
  t.equal((await docker({ containers: [container('c1', 'web', 'running', 'Up 2 hours')] })).statusCode, 200)
  t.equal((await docker({ containers: [container('c1', 'web', 'exited', 'Exited (137) 5 seconds ago')] })).statusCode, 200)
  await ctx.app.notifications.settle()
  t.equal(ctx.receiver.requests.length, 2)
  const [stopped] = embedsOf(ctx.receiver.requests[1]!.json)
  t.equal(stopped!.title, 'Container Stopped: web on web01.example.com')
  t.same(
    stopped!.fields.map((f) => [f.name, f.value]),
    [
      ['Host', 'web01.example.com'],
      ['Container', 'web'],
      ['Image', 'nginx:1.27'],
      ['Old status', 'running'],
      ['New status', 'exited']
    ]
  )
})
