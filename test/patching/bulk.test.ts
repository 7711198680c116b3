// Bulk patching with a concurrency limit: stand-in agents on real WebSockets record every frame; at
// no moment are more runs of the batch out than the limit; the batch ends with a summary that gives
// each skipped or failed host its reason.
import t from 'tap'
import { userWithRole } from '../helpers/test-app.js'
import { beyondApp, hostGroup, pkg, reportedHost, standInAgent, until, type StandInAgent } from './beyond-helpers.js'

t.test('a batch never has more than `concurrency` runs out, and ends with a summary', async (t) => {
  const ctx = await beyondApp(t)
  const agents: StandInAgent[] = []
  const hostIds: string[] = []
  for (let i = 0; i < 5; i++) {
    const host = await reportedHost(ctx, `bulk0${i}`, [pkg('curl'), pkg('linux-image-amd64')])
    hostIds.push(host.id)
    agents.push(await standInAgent(ctx, host))
  }
  const held = await reportedHost(ctx, 'held01', [pkg('linux-image-amd64')])
  await ctx.api('POST', '/api/v1/patching/holds', { target_type: 'host', target_id: held.id, pattern: 'linux-image-*' })
  const heldAgent = await standInAgent(ctx, held)

  const res = await ctx.api('POST', '/api/v1/patching/bulk', {
    host_ids: [...hostIds, held.id, 'no-such-host'],
    patch_type: 'patch_all',
    concurrency: 2
  })
  t.equal(res.status, 202, res.body?.error)
  // Hosts are taken in order: the held host and the unknown id wait for their turn like the others.
  t.match(res.body, { status: 'running', concurrency: 2, summary: { total: 7, dispatched: 2, pending: 4, skipped: 1 } })

  const outstanding = () => agents.reduce((n, a) => n + a.frames.length, 0) - finished
  const settled = new Set<number>()
  let finished = 0
  let peak = 0
  for (let round = 0; round < 5; round++) {
    await until(() => outstanding() === Math.min(2, 5 - finished), `round ${round}: frames out`)
    peak = Math.max(peak, outstanding())
    // Settle the oldest outstanding run: the first host's run fails, the others complete.
    const agent = agents.find((a, i) => a.frames.length === 1 && !settled.has(i)) as StandInAgent
    const index = agents.indexOf(agent)
    settled.add(index)
    const runId = agent.frames[0]!.patch_run_id
    t.equal(await agent.stage(runId, 'started'), 200)
    t.equal(
      await agent.stage(
        runId,
        index === 0 ? 'failed' : 'completed',
        index === 0 ? { error_message: 'apt-get failed: exit status 100' } : {}
      ),
      200
    )
    finished++
    // Give the batch a moment: a third run must not go out before a slot is free.
    peak = Math.max(peak, outstanding())
  }
  t.equal(peak, 2, 'never more than 2 runs out at once')

  await until(async () => (await ctx.api('GET', `/api/v1/patching/bulk/${res.body.id}`)).body.status === 'finished', 'batch finished')
  const done = (await ctx.api('GET', `/api/v1/patching/bulk/${res.body.id}`)).body
  t.match(done.summary, { total: 7, completed: 4, failed: 1, skipped: 2, pending: 0, dispatched: 0 })
  t.match(
    done.items.find((i: { host_id: string }) => i.host_id === hostIds[0]),
    { status: 'failed', reason: 'failed: apt-get failed: exit status 100' }
  )
  t.ok(done.finished_at)
  const skipped = done.items.filter((i: { status: string }) => i.status === 'skipped')
  t.same(
    skipped.map((i: { host_name: string | null; reason: string }) => [i.host_name, i.reason]),
    [
      ['held01', 'Every package this run would install is held (Held on this host: linux-image-amd64)'],
      [null, 'Host not found']
    ]
  )
  const runs = ctx.store.sqlite
    .prepare('select count(*) as n from patch_runs where bulk_id = ? and trigger_source = ?')
    .get(res.body.id, 'bulk') as { n: number }
  t.equal(runs.n, 5)
  t.match(ctx.store.sqlite.prepare("select action, username from patch_audit where action = 'bulk_launch'").get(), { username: 'admin' })
  t.same(heldAgent.frames, [], 'the held host got nothing')
  for (const a of [...agents, heldAgent]) a.close()
})

t.test('a host group is a selection; bad selections and viewers are refused', async (t) => {
  const ctx = await beyondApp(t)
  const group = await hostGroup(ctx, 'edge')
  const a = await reportedHost(ctx, 'edge01', [pkg('curl')], [group])
  await reportedHost(ctx, 'edge02', [pkg('curl')], [group])
  const viewer = await userWithRole(ctx, 'readonly')
  t.equal((await ctx.api('POST', '/api/v1/patching/bulk', { host_group_id: group, patch_type: 'patch_all' }, viewer)).status, 403)
  t.same((await ctx.api('POST', '/api/v1/patching/bulk', { host_ids: [a.id], host_group_id: group, patch_type: 'patch_all' })).body, {
    error: 'Choose host_ids or a host_group_id (not both)'
  })
  t.equal((await ctx.api('POST', '/api/v1/patching/bulk', { host_group_id: group, patch_type: 'patch_all', concurrency: 21 })).status, 400)
  const empty = await hostGroup(ctx, 'empty')
  t.same((await ctx.api('POST', '/api/v1/patching/bulk', { host_group_id: empty, patch_type: 'patch_all' })).body, {
    error: 'The selection holds no hosts'
  })

  // edge01 is connected, edge02 is not: its run would wait for the agent and hold a place, so it is skipped.
  const agent = await standInAgent(ctx, a)
  const res = await ctx.api('POST', '/api/v1/patching/bulk', { host_group_id: group, patch_type: 'patch_all' })
  t.match(res.body, { concurrency: 5, summary: { total: 2, dispatched: 1, skipped: 1 } })
  t.match(res.body.items, [
    { host_name: 'edge01', status: 'dispatched' },
    { host_name: 'edge02', status: 'skipped', reason: 'Agent not connected: not patched by this batch' }
  ])
  await until(() => agent.frames.length === 1, 'frame to edge01')
  agent.close()
  t.equal((await ctx.api('GET', `/api/v1/patching/bulk/${res.body.id}`, undefined, viewer)).status, 200)
  t.equal((await ctx.api('GET', '/api/v1/patching/bulk/nope')).status, 404)
})
