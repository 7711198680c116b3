// Every status path of a patch run with a stand-in upstream agent over a real WebSocket
// (facts/patching.md §2.2, §4, §5): trigger → frame → started → progress → completed; dry run →
// validated → approve → completed; approve twice → 409; stop while running → cancelled.
import t from 'tap'
import { bearer } from '../helpers/test-app.js'
import { patchingSetup, runOf, statusOf, trigger, until } from './patching-fixtures.js'

t.test('a patch_all run goes queued → running (only on started) → completed, with the upstream frame and answers', async (t) => {
  const { ctx, host, agent } = await patchingSetup(t)
  const events: string[] = []
  for (const name of ['patch_run_started', 'patch_run_completed', 'patch_run_failed'] as const)
    ctx.app.events.on(name, (p) => void events.push(`${name}:${p.stage}`))

  const res = await trigger(ctx, { host_id: host.id, patch_type: 'patch_all' })
  t.equal(res.statusCode, 200)
  const reply = res.json() as { message: string; patch_run_id: string; job_id: string; run_at: string; queued: boolean }
  t.equal(reply.message, 'Patch queued')
  t.equal(reply.job_id, `patch-run-${reply.patch_run_id}`)
  t.equal(reply.queued, true)

  const frame = await agent.waitFrame('run_patch', reply.patch_run_id)
  t.same(frame, { type: 'run_patch', patch_run_id: reply.patch_run_id, patch_type: 'patch_all', dry_run: false })
  t.equal(await statusOf(ctx, reply.patch_run_id), 'queued', 'sending the frame does not make the run running')

  t.same(await agent.post(reply.patch_run_id, { stage: 'started' }), { status: 200, body: { ok: true } })
  t.equal(await statusOf(ctx, reply.patch_run_id), 'running')
  await agent.post(reply.patch_run_id, { stage: 'progress', output: '$ apt-get update -qq\n' })
  await agent.post(reply.patch_run_id, { stage: 'progress', output: 'Setting up curl (8.5.0-2) ...\n' })
  t.equal(
    (await runOf(ctx, reply.patch_run_id)).shell_output,
    '$ apt-get update -qq\nSetting up curl (8.5.0-2) ...\n',
    'progress chunks append'
  )

  const full =
    '$ apt-get update -qq\nUnpacking curl:amd64 (8.5.0-2) over (8.5.0-1) ...\nSetting up curl:amd64 (8.5.0-2) ...\n--- Patch run completed at 2026-12-07T12:00:00Z ---\n'
  t.same(await agent.post(reply.patch_run_id, { stage: 'completed', output: full }), { status: 200, body: { ok: true } })
  const run = await runOf(ctx, reply.patch_run_id)
  t.equal(run.status, 'completed')
  t.equal(run.shell_output, full, 'the terminal stage replaces the streamed output')
  t.same(run.packages_affected, ['curl'])
  t.not(run.started_at, '')
  t.not(run.completed_at, '')
  t.same(run.hosts, {
    id: host.id,
    friendly_name: 'web1',
    hostname: null,
    awaiting_post_patch_report_run_id: reply.patch_run_id,
    last_update: null
  })
  t.equal(run.triggered_by_username, 'admin')
  await until(() => events.length === 2, 'events')
  t.same(events, ['patch_run_started:running', 'patch_run_completed:completed'], 'patch_run_started fires on the agent stage started')

  t.same(await agent.post(reply.patch_run_id, { stage: 'whatever' }), { status: 200, body: { ok: true } }, 'unknown stages are accepted')
  t.same(await agent.post(reply.patch_run_id, { stage: 'failed', error_message: 'late' }), { status: 200, body: { ok: true } })
  t.equal(await statusOf(ctx, reply.patch_run_id), 'completed', 'a completed run is not overwritten')
})

t.test('dry run → validated → approve creates a real run that completes; approving twice is 409', async (t) => {
  const { ctx, host, agent } = await patchingSetup(t)
  const res = await trigger(ctx, { host_id: host.id, patch_type: 'patch_package', package_names: ['curl', 'libssl3'], dry_run: true })
  t.equal(res.statusCode, 200)
  const dry = res.json() as { message: string; patch_run_id: string }
  t.equal(dry.message, 'Dry run queued')
  t.equal(await statusOf(ctx, dry.patch_run_id), 'pending_validation')
  const frame = await agent.waitFrame('run_patch', dry.patch_run_id)
  t.same(frame, {
    type: 'run_patch',
    patch_run_id: dry.patch_run_id,
    patch_type: 'patch_package',
    dry_run: true,
    package_names: ['curl', 'libssl3']
  })

  await agent.post(dry.patch_run_id, { stage: 'started' })
  const simulated = 'Inst curl [8.5.0-1] (8.5.0-2 Debian:12/stable [amd64])\nInst libssl3:amd64 [3.0.1] (3.0.2 Debian-Security [amd64])\n'
  await agent.post(dry.patch_run_id, { stage: 'dry_run_completed', output: simulated })
  const validated = await runOf(ctx, dry.patch_run_id)
  t.equal(validated.status, 'validated')
  t.same(validated.packages_affected, ['curl', 'libssl3'])

  const approvals = await Promise.all(
    [1, 2].map(() =>
      ctx.app.inject({ method: 'POST', url: `/api/v1/patching/runs/${dry.patch_run_id}/approve`, headers: bearer(ctx.adminToken) })
    )
  )
  const codes = approvals.map((r) => r.statusCode).sort()
  t.same(codes, [200, 409], 'two concurrent approvals: one wins, one gets 409')
  const loser = approvals.find((r) => r.statusCode === 409)
  t.same(loser?.json(), { error: 'This run has already been approved or is no longer awaiting approval' })
  const approved = approvals.find((r) => r.statusCode === 200)?.json() as {
    patch_run_id: string
    validation_run_id: string
    message: string
  }
  t.equal(approved.validation_run_id, dry.patch_run_id)
  t.equal(approved.message, 'Patch queued')
  t.equal(await statusOf(ctx, dry.patch_run_id), 'approved')
  const again = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/patching/runs/${dry.patch_run_id}/approve`,
    headers: bearer(ctx.adminToken)
  })
  t.equal(again.statusCode, 409, 'approving again later is 409 too')

  const real = await agent.waitFrame('run_patch', approved.patch_run_id)
  t.equal(real.dry_run, false)
  await agent.post(approved.patch_run_id, { stage: 'started' })
  await agent.post(approved.patch_run_id, { stage: 'completed', output: 'Setting up curl (8.5.0-2) ...\n' })
  const done = await runOf(ctx, approved.patch_run_id)
  t.equal(done.status, 'completed')
  t.equal(done.validation_run_id, dry.patch_run_id)
  t.equal(done.approved_by_username, 'admin')
})

t.test('submit for approval sends nothing until approved', async (t) => {
  const { ctx, host, agent } = await patchingSetup(t)
  const res = await trigger(ctx, { host_id: host.id, patch_type: 'patch_all', pending_approval: true })
  const body = res.json() as { message: string; patch_run_id: string; queued: boolean; pending_approval: boolean }
  t.same([body.message, body.queued, body.pending_approval], ['Submitted for approval', false, true])
  await new Promise((r) => setTimeout(r, 50))
  t.equal(agent.framesOf('run_patch').length, 0, 'no frame for a pending-approval run')
  const approve = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/patching/runs/${body.patch_run_id}/approve`,
    headers: bearer(ctx.adminToken),
    payload: { schedule_override: 'immediate' }
  })
  t.equal(approve.statusCode, 200)
  await agent.waitFrame('run_patch', (approve.json() as { patch_run_id: string }).patch_run_id)
})

t.test('stop while running: cancelled at once, the agent gets patch_run_stop, its cancelled report keeps the status', async (t) => {
  const { ctx, host, agent } = await patchingSetup(t)
  const id = ((await trigger(ctx, { host_id: host.id, patch_type: 'patch_all' })).json() as { patch_run_id: string }).patch_run_id
  await agent.waitFrame('run_patch', id)
  await agent.post(id, { stage: 'started' })
  const stop = await ctx.app.inject({ method: 'POST', url: `/api/v1/patching/runs/${id}/stop`, headers: bearer(ctx.adminToken) })
  t.same(stop.json(), { ok: true, cancelled_via: 'agent_signal' })
  t.same(await agent.waitFrame('patch_run_stop', id), { type: 'patch_run_stop', patch_run_id: id })
  let run = await runOf(ctx, id)
  t.same([run.status, run.error_message], ['cancelled', 'Cancelled by user'])
  await agent.post(id, { stage: 'cancelled', output: 'partial\n--- Patch run stopped by user ---\n', error_message: 'stopped by user' })
  run = await runOf(ctx, id)
  t.same(
    [run.status, run.error_message, run.shell_output],
    ['cancelled', 'Cancelled by user', 'partial\n--- Patch run stopped by user ---\n']
  )
  const again = await ctx.app.inject({ method: 'POST', url: `/api/v1/patching/runs/${id}/stop`, headers: bearer(ctx.adminToken) })
  t.same([again.statusCode, again.json()], [409, { error: 'Run already finished' }])
})

t.test('delete removes a run that has not started, with its event; a running one is refused', async (t) => {
  const { ctx, host } = await patchingSetup(t)
  const cancelled: string[] = []
  ctx.app.events.on('patch_run_cancelled', (p) => void cancelled.push(p.runId))
  const id = (
    (await trigger(ctx, { host_id: host.id, patch_type: 'patch_all', pending_approval: true })).json() as { patch_run_id: string }
  ).patch_run_id
  const del = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/patching/runs/${id}`, headers: bearer(ctx.adminToken) })
  t.same([del.statusCode, del.json()], [200, { message: 'Patch run deleted' }])
  t.same(cancelled, [id])
  const gone = await ctx.app.inject({ method: 'GET', url: `/api/v1/patching/runs/${id}`, headers: bearer(ctx.adminToken) })
  t.same([gone.statusCode, gone.json()], [404, { error: 'Patch run not found' }])
  const bad = await ctx.app.inject({ method: 'GET', url: '/api/v1/patching/runs/not-a-uuid', headers: bearer(ctx.adminToken) })
  t.same([bad.statusCode, bad.json()], [400, { error: 'Invalid patch run ID' }])
})
