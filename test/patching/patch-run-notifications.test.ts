// Patch-run events are routed like every other event (issue 17 item 1): a routing rule naming
// patch_run_completed / patch_run_failed delivers upstream-like notices ("Patch Run Failed - web1").
import t from 'tap'
import { createHostViaApi } from '../helpers/agent-fixtures.js'
import { bearer } from '../helpers/test-app.js'
import { addDestination, addRule, buildNotificationTestApp, DISCORD_URL } from '../notifications/helpers/notification-test-app.js'
import { listen, setAgentVersion, StandInAgent, trigger } from './patching-fixtures.js'

type Embed = { title: string; description?: string; fields: Array<{ name: string; value: string }> }

t.test('completed and failed runs reach Discord through a routing rule', async (t) => {
  const ctx = await buildNotificationTestApp(t)
  await addRule(ctx, await addDestination(ctx, DISCORD_URL), { event_types: ['patch_run_completed', 'patch_run_failed'] })
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web1')
  await setAgentVersion(ctx, host.id, '2.1.3')
  const agent = new StandInAgent(ctx, host, await listen(ctx))
  await agent.connect()
  t.teardown(() => agent.disconnect())
  // Agent posts through inject: this app's outbound HTTP goes to the receiver by proxy variables.
  const post = (id: string, payload: Record<string, unknown>) =>
    ctx.app.inject({
      method: 'POST',
      url: `/api/v1/patching/runs/${id}/output`,
      headers: { 'X-API-ID': host.apiId, 'X-API-KEY': host.apiKey },
      payload
    })

  const ok = (
    (await trigger(ctx, { host_id: host.id, patch_type: 'patch_package', package_names: ['curl', 'vim'] })).json() as {
      patch_run_id: string
    }
  ).patch_run_id
  await agent.waitFrame('run_patch', ok)
  await post(ok, { stage: 'started' })
  await post(ok, { stage: 'completed', output: 'Setting up curl (1) ...\n' })
  const bad = ((await trigger(ctx, { host_id: host.id, patch_type: 'patch_all' })).json() as { patch_run_id: string }).patch_run_id
  await agent.waitFrame('run_patch', bad)
  await post(bad, { stage: 'started' })
  await post(bad, { stage: 'failed', output: '', error_message: 'apt-get upgrade failed: exit status 100' })
  await ctx.app.notifications.settle()

  const embeds = ctx.receiver.requests.map((r) => (r.json as { embeds: Embed[] }).embeds[0] as Embed)
  t.same(
    embeds.map((e) => e.title),
    ['Patch Run Completed - web1', 'Patch Run Failed - web1']
  )
  const fields = (e: Embed) => Object.fromEntries(e.fields.map((f) => [f.name, f.value]))
  t.match(fields(embeds[0] as Embed), { Host: 'web1', Packages: '2 packages (curl, vim)', Status: 'completed' })
  t.match(fields(embeds[1] as Embed), { Packages: 'all packages', Status: 'failed', Error: 'apt-get upgrade failed: exit status 100' })
  const rules = await ctx.app.inject({ method: 'GET', url: '/api/v1/notifications/routes', headers: bearer(ctx.adminToken) })
  t.match(rules.json(), [{ event_types: ['patch_run_completed', 'patch_run_failed'] }])
})
