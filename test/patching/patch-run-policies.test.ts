// Policies (upstream's timing templates) and what they do to runs: a delayed run waits in SQLite and
// is sent on time, also after a restart (issue 17 item 2); assignments never answer 500 (facts §9.6);
// every change is audited with who and when.
import t from 'tap'
import { bearer } from '../helpers/test-app.js'
import { createHostViaApi } from '../helpers/agent-fixtures.js'
import { DISPATCH_TIMER } from '../../src/patching/runs/run-dispatcher.js'
import { listen, patchingSetup, setAgentVersion, StandInAgent, statusOf, trigger } from './patching-fixtures.js'

t.test('policy validation, CRUD, assignments (no 500 on a second one) and exclusions', async (t) => {
  const { ctx, host } = await patchingSetup(t)
  const auth = bearer(ctx.adminToken)
  const url = '/api/v1/patching/policies'
  const bad: Array<[Record<string, unknown>, string]> = [
    [{ patch_delay_type: 'immediate' }, 'name is required'],
    [{ name: 'x', patch_delay_type: 'weekly' }, 'patch_delay_type must be immediate, delayed, or fixed_time'],
    [{ name: 'x', patch_delay_type: 'delayed' }, 'delay_minutes is required for delayed policy'],
    [{ name: 'x', patch_delay_type: 'fixed_time' }, 'fixed_time_utc is required for fixed_time policy'],
    [{ name: 'x', patch_delay_type: 'fixed_time', fixed_time_utc: '25:00' }, 'fixed_time_utc must be HH:MM or HH:MM:SS']
  ]
  for (const [payload, error] of bad) {
    const res = await ctx.app.inject({ method: 'POST', url, headers: auth, payload })
    t.same([res.statusCode, res.json()], [400, { error }])
  }
  const created = await ctx.app.inject({
    method: 'POST',
    url,
    headers: auth,
    payload: { name: 'Nightly', patch_delay_type: 'fixed_time', fixed_time_utc: '02:30', timezone: 'Europe/Berlin' }
  })
  t.equal(created.statusCode, 201)
  const policy = created.json() as { id: string; timezone: string | null; fixed_time_utc: string }
  t.same([policy.timezone, policy.fixed_time_utc], [null, '02:30'], 'timezone is accepted and stored as null, as upstream')
  const other = (
    await ctx.app.inject({ method: 'POST', url, headers: auth, payload: { name: 'Later', patch_delay_type: 'delayed', delay_minutes: 30 } })
  ).json() as { id: string }

  const assign = (id: string) =>
    ctx.app.inject({ method: 'POST', url: `${url}/${id}/assignments`, headers: auth, payload: { target_type: 'host', target_id: host.id } })
  const first = await assign(policy.id)
  t.equal(first.statusCode, 201)
  const same = await assign(policy.id)
  t.same(
    [same.statusCode, (same.json() as { id: string }).id],
    [200, (first.json() as { id: string }).id],
    'the same assignment again answers the existing one'
  )
  const elsewhere = await assign(other.id)
  t.equal(elsewhere.statusCode, 409, 'another policy: 409, not upstream 500')
  t.match(elsewhere.json(), { error: 'This host or host group is already assigned to another patch policy', message: /Nightly/ })

  const preview = await ctx.app.inject({ method: 'GET', url: `/api/v1/patching/preview-run?host_id=${host.id}`, headers: auth })
  t.match(preview.json(), {
    host_id: host.id,
    host_name: 'web1',
    policy_name: 'Nightly',
    policy_id: policy.id,
    patch_delay_type: 'fixed_time'
  })
  const list = (await ctx.app.inject({ method: 'GET', url, headers: auth })).json() as Array<{
    name: string
    _count: { assignments: number }
  }>
  t.same(
    list.map((p) => [p.name, p._count.assignments]),
    [
      ['Later', 0],
      ['Nightly', 1]
    ]
  )
  const excl = await ctx.app.inject({ method: 'POST', url: `${url}/${policy.id}/exclusions`, headers: auth, payload: { host_id: host.id } })
  t.equal(excl.statusCode, 201)
  const detail = (await ctx.app.inject({ method: 'GET', url: `${url}/${policy.id}`, headers: auth })).json() as {
    exclusions: Array<{ hosts: { friendly_name: string } }>
    assignments: unknown[]
  }
  t.same([detail.assignments.length, detail.exclusions[0]?.hosts.friendly_name], [1, 'web1'])
  t.equal((await ctx.app.inject({ method: 'DELETE', url: `${url}/${policy.id}/exclusions/${host.id}`, headers: auth })).statusCode, 204)
  const gone = await ctx.app.inject({
    method: 'DELETE',
    url: `${url}/${policy.id}/assignments/00000000-0000-4000-8000-000000000000`,
    headers: auth
  })
  t.same([gone.statusCode, gone.json()], [404, { error: 'Assignment not found' }])
  t.equal((await ctx.app.inject({ method: 'DELETE', url: `${url}/${policy.id}`, headers: auth })).statusCode, 204)

  const audit = (await ctx.app.inject({ method: 'GET', url: '/api/v1/patching/audit?limit=50', headers: auth })).json() as {
    entries: Array<{ action: string; username: string }>
  }
  t.same(audit.entries.map((e) => e.action).reverse(), [
    'policy_create',
    'policy_create',
    'policy_assign',
    'policy_exclude',
    'policy_unexclude',
    'policy_delete'
  ])
  t.ok(
    audit.entries.every((e) => e.username === 'admin'),
    'who did it is recorded'
  )
})

t.test('a delayed run waits in SQLite and still runs on time after a restart', async (t) => {
  const { ctx, host, agent } = await patchingSetup(t)
  const auth = bearer(ctx.adminToken)
  const policy = (
    await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/patching/policies',
      headers: auth,
      payload: { name: 'Half hour', patch_delay_type: 'delayed', delay_minutes: 30 }
    })
  ).json() as { id: string }
  await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/patching/policies/${policy.id}/assignments`,
    headers: auth,
    payload: { target_type: 'host', target_id: host.id }
  })
  const res = (await trigger(ctx, { host_id: host.id, patch_type: 'patch_all' })).json() as {
    message: string
    patch_run_id: string
    run_at: string
  }
  t.match(res.message, /^Patch scheduled for \d{4}-\d\d-\d\dT/)
  const dueMs = Date.parse(res.run_at)
  t.ok(dueMs - Date.now() > 29 * 60_000, 'due in 30 minutes')
  t.equal(agent.framesOf('run_patch').length, 0)

  await agent.disconnect()
  const again = await ctx.restart()
  const port = await listen(again)
  const revived = new StandInAgent(again, host, port)
  await revived.connect()
  t.teardown(() => revived.disconnect())
  await again.app.timers.runNow(DISPATCH_TIMER)
  t.equal(revived.framesOf('run_patch').length, 0, 'not sent before it is due')
  t.equal(await statusOf(again, res.patch_run_id), 'queued')
  again.app.patchRuns.clock = () => dueMs + 1000
  await again.app.timers.runNow(DISPATCH_TIMER)
  const frame = await revived.waitFrame('run_patch', res.patch_run_id)
  t.equal(frame.patch_type, 'patch_all')
  // schedule_override ignores the policy.
  const now = (
    await trigger(again, { host_id: host.id, patch_type: 'patch_all', schedule_override: 'immediate' }, again.adminToken)
  ).json() as { message: string }
  t.equal(now.message, 'Patch queued')
})

t.test('group policy with an excluded host falls back to the default', async (t) => {
  const { ctx } = await patchingSetup(t)
  const auth = bearer(ctx.adminToken)
  const group = (await ctx.app.inject({ method: 'POST', url: '/api/v1/host-groups', headers: auth, payload: { name: 'db' } })).json() as {
    id: string
  }
  const member = await createHostViaApi(ctx.app, ctx.adminToken, 'db1', [group.id])
  await setAgentVersion(ctx, member.id, '2.1.3')
  const policy = (
    await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/patching/policies',
      headers: auth,
      payload: { name: 'Later', patch_delay_type: 'delayed', delay_minutes: 10 }
    })
  ).json() as { id: string }
  await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/patching/policies/${policy.id}/assignments`,
    headers: auth,
    payload: { target_type: 'host_group', target_id: group.id }
  })
  const preview = async () =>
    (await ctx.app.inject({ method: 'GET', url: `/api/v1/patching/preview-run?host_id=${member.id}`, headers: auth })).json() as {
      policy_name: string
    }
  t.equal((await preview()).policy_name, 'Later')
  await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/patching/policies/${policy.id}/exclusions`,
    headers: auth,
    payload: { host_id: member.id }
  })
  t.equal((await preview()).policy_name, 'Default (immediate)')
  const bad = await ctx.app.inject({ method: 'GET', url: '/api/v1/patching/preview-run', headers: auth })
  t.same([bad.statusCode, bad.json()], [400, { error: 'Valid host_id is required' }])
})

t.test('deleting a host drops its policy assignment and its runs', async (t) => {
  const { ctx, host, agent } = await patchingSetup(t)
  const auth = bearer(ctx.adminToken)
  const policy = (
    await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/patching/policies',
      headers: auth,
      payload: { name: 'p', patch_delay_type: 'immediate' }
    })
  ).json() as { id: string }
  await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/patching/policies/${policy.id}/assignments`,
    headers: auth,
    payload: { target_type: 'host', target_id: host.id }
  })
  const id = (
    (await trigger(ctx, { host_id: host.id, patch_type: 'patch_package', package_name: 'kernel' })).json() as { patch_run_id: string }
  ).patch_run_id
  await agent.waitFrame('run_patch', id)
  await agent.post(id, { stage: 'started' })
  // dnf's transaction lines: name-version-release.arch, architecture stripped.
  await agent.post(id, {
    stage: 'completed',
    output: '  Upgrading        : kernel-core-6.8.5-301.fc40.x86_64      1/4\n  Upgrading        : glibc-2.39-8.fc40.x86_64 2/4\n'
  })
  t.same((await ctx.app.inject({ method: 'GET', url: `/api/v1/patching/runs/${id}`, headers: auth })).json().packages_affected, [
    'glibc',
    'kernel-core'
  ])
  t.equal((await ctx.app.inject({ method: 'DELETE', url: `/api/v1/hosts/${host.id}`, headers: auth })).statusCode, 200)
  const assignments = (
    await ctx.app.inject({ method: 'GET', url: `/api/v1/patching/policies/${policy.id}/assignments`, headers: auth })
  ).json() as unknown[]
  t.same(assignments, [])
  t.equal(
    (await ctx.app.inject({ method: 'GET', url: `/api/v1/patching/runs/${id}`, headers: auth })).statusCode,
    404,
    'runs go with their host (cascade)'
  )
})
