// Reboots: the action goes out as a reboot_host frame only to an agent that announced the
// reboot_host capability (our shell agent on the poll channel); a stock agent gets 409 saying why;
// an exempt host never gets a reboot frame, and a patch run asking to reboot afterwards says so.
process.env.TZ = 'UTC'
import t from 'tap'
import { agentHeaders } from '../helpers/agent-fixtures.js'
import { SCHEDULE_TIMER } from '../../src/patching/patching-beyond-plugin.js'
import { beyondApp, pkg, reportedHost, standInAgent, until, type BeyondApp } from './beyond-helpers.js'
import type { TestHost } from '../helpers/agent-fixtures.js'

const CAPABILITIES = 'run_patch,patch_run_stop,reboot_host,pre_patch_hook'

/** One held poll as our shell agent makes it, once the server holds it; `commands` resolves with what it received. */
async function shellAgentPoll(ctx: BeyondApp, host: TestHost) {
  const { port } = ctx.app.server.address() as { port: number }
  const answer = fetch(`http://127.0.0.1:${port}/api/v1/agents/poll?wait=10`, {
    headers: { ...agentHeaders(host), 'X-PatchMon-Capabilities': CAPABILITIES }
  }).then(async (res) => (res.status === 200 ? ((await res.json()) as { commands: Array<Record<string, unknown>> }).commands : []))
  await until(() => ctx.app.agentConnections.capabilities(host.id).has('reboot_host'), 'poll with capabilities held')
  return { commands: answer }
}

t.test('the reboot action reaches a capable agent as reboot_host; a stock agent gets 409', async (t) => {
  const ctx = await beyondApp(t)
  const shell = await reportedHost(ctx, 'shell01', [pkg('curl')])
  const { commands } = await shellAgentPoll(ctx, shell)
  const res = await ctx.api('POST', '/api/v1/patching/reboots', { host_id: shell.id })
  t.equal(res.status, 200, res.body?.error)
  t.equal(res.body.message, 'Reboot queued')
  t.same(await commands, [{ type: 'reboot_host', patch_run_id: res.body.patch_run_id, delay_seconds: 60 }])
  t.match(ctx.store.sqlite.prepare('select patch_type, trigger_source from patch_runs where id = ?').get(res.body.patch_run_id), {
    patch_type: 'reboot',
    trigger_source: 'user'
  })

  const stock = await reportedHost(ctx, 'stock01', [pkg('curl')])
  const agent = await standInAgent(ctx, stock)
  const refused = await ctx.api('POST', '/api/v1/patching/reboots', { host_id: stock.id })
  t.equal(refused.status, 409)
  t.equal(refused.body.error, 'Agent cannot reboot this host')
  t.same(agent.frames, [], 'no frame to the stock agent')
  agent.close()
})

t.test('an exempt host never gets a reboot frame; a run asking for one says so', async (t) => {
  const ctx = await beyondApp(t)
  const host = await reportedHost(ctx, 'db-primary', [pkg('curl')])
  const viewer = await ctx.api('GET', '/api/v1/patching/reboot-exemptions')
  t.same(viewer.body, { exemptions: [] })
  const put = await ctx.api('PUT', `/api/v1/patching/reboot-exemptions/${host.id}`, { reason: 'primary database' })
  t.match(put.body, { host_id: host.id, reason: 'primary database' })
  t.equal((await ctx.api('PUT', '/api/v1/patching/reboot-exemptions/missing', {})).status, 404)

  const { commands } = await shellAgentPoll(ctx, host)
  const refused = await ctx.api('POST', '/api/v1/patching/reboots', { host_id: host.id })
  t.same(refused, { status: 409, body: { error: 'This host is exempt from reboots', message: 'Reason: primary database' } })

  // A schedule asking for "reboot after" still patches, without the reboot, and the run says why.
  ctx.setNow('2026-06-01T02:00:00Z')
  await ctx.api('POST', '/api/v1/patching/schedules', {
    name: 'n',
    target_type: 'host',
    target_id: host.id,
    cron: '0 3 * * *',
    scope: 'all',
    reboot: 'after'
  })
  ctx.setNow('2026-06-01T03:00:10Z')
  await ctx.app.timers.runNow(SCHEDULE_TIMER)
  const [frame] = await commands
  t.match(frame, { type: 'run_patch', patch_type: 'patch_all', reboot: 'never' })
  const run = (await ctx.api('GET', `/api/v1/patching/runs/${frame?.patch_run_id as string}`)).body
  t.match(run.options, { reboot: 'never', rebootSkipped: 'reboot skipped: this host is exempt from reboots' })

  t.equal((await ctx.api('DELETE', `/api/v1/patching/reboot-exemptions/${host.id}`)).status, 204)
  t.equal((await ctx.api('DELETE', `/api/v1/patching/reboot-exemptions/${host.id}`)).status, 404)
  const actions = ctx.store.sqlite.prepare("select action from patch_audit where action like 'reboot_%' order by rowid").all()
  t.same(actions, [{ action: 'reboot_exempt' }, { action: 'reboot_unexempt' }])
})
