// Who may run bulk host actions: the permission of each action's single-host route, and host-group
// scoping — a limited user selects and acts on their own hosts only, a filter resolves to their
// hosts only, and a foreign id gets the answer an unknown one gets ("Host not found").
import t from 'tap'
import { beyondApp, hostGroup } from '../patching/beyond-helpers.js'
import { login, userWithRole } from '../helpers/test-app.js'
import { fleetHost, preview, run } from './bulk-helpers.js'

t.test('a user without can_manage_hosts is refused every action, preview included', async (t) => {
  const ctx = await beyondApp(t)
  const host = await fleetHost(ctx, 'h-1')
  const reader = await userWithRole(ctx, 'readonly')
  for (const action of ['assign_groups', 'remove_groups', 'report_now', 'update_agent', 'rotate_credentials', 'delete']) {
    const body = { action, host_ids: [host.id], ...(action.endsWith('_groups') ? { host_group_ids: ['x'] } : {}) }
    t.equal((await preview(ctx, body, reader)).status, 403, `${action} preview`)
    t.equal((await run(ctx, body, reader)).status, 403, `${action} run`)
  }
  t.equal((await ctx.api('GET', `/api/v1/hosts/${host.id}`)).status, 200, 'nothing happened')
  const anonymous = await ctx.app.inject({ method: 'POST', url: '/api/v1/hosts/bulk', payload: { action: 'delete', host_ids: [host.id] } })
  t.equal(anonymous.statusCode, 401)
})

t.test('a user limited to one host group acts on their hosts only', async (t) => {
  const ctx = await beyondApp(t)
  const mine = await hostGroup(ctx, 'mine')
  const theirs = await hostGroup(ctx, 'theirs')
  const own = await fleetHost(ctx, 'own-1', [mine])
  const own2 = await fleetHost(ctx, 'own-2', [mine])
  const foreign = await fleetHost(ctx, 'foreign-zq7', [theirs])
  const created = await ctx.api('POST', '/api/v1/users', {
    username: 'limited',
    password: 'limited-password',
    role: 'admin',
    host_group_ids: [mine]
  })
  t.equal(created.status, 201)
  const token = await login(ctx.app, 'limited', 'limited-password')

  // A filter resolves to their hosts only.
  const all = await preview(ctx, { action: 'delete', filter: {} }, token)
  t.same(all.body.host_ids, [own.id, own2.id])
  t.notOk(JSON.stringify(all.body).includes('foreign-zq7'))
  const foreignFilter = await preview(ctx, { action: 'delete', filter: { group: theirs } }, token)
  t.equal(foreignFilter.status, 400, 'a foreign group filter matches nothing')
  t.equal(foreignFilter.body.error, 'The selection holds no hosts')

  // A foreign id is "Host not found", as on GET /hosts/:id, and is left alone.
  const single = await ctx.api('DELETE', `/api/v1/hosts/${foreign.id}`, undefined, token)
  t.same([single.status, single.body], [404, { error: 'Host not found' }])
  const done = await run(ctx, { action: 'delete', host_ids: [own.id, foreign.id] }, token)
  t.equal(done.status, 200)
  t.same(
    done.body.results.map((r: { host_id: string; friendly_name: string | null; status: string; reason: string | null }) => [
      r.host_id,
      r.friendly_name,
      r.status,
      r.reason
    ]),
    [
      [own.id, 'own-1', 'succeeded', null],
      [foreign.id, null, 'skipped', 'Host not found']
    ]
  )
  t.notOk(JSON.stringify(done.body).includes('foreign-zq7'), 'the reply does not name the foreign host')
  t.equal((await ctx.api('GET', `/api/v1/hosts/${foreign.id}`)).status, 200, 'the foreign host still exists')

  // Groups: a foreign group is unknown; assigning their own group keeps the foreign membership of a shared host.
  const foreignGroup = await run(ctx, { action: 'assign_groups', host_ids: [own2.id], host_group_ids: [theirs] }, token)
  t.same([foreignGroup.status, foreignGroup.body.error], [400, 'Host group not found'])
  const shared = await fleetHost(ctx, 'shared-1', [mine, theirs])
  const removed = await run(ctx, { action: 'remove_groups', host_ids: [shared.id], host_group_ids: [mine] }, token)
  t.match(removed.body, { succeeded: 1 })
  const after = await ctx.api('GET', `/api/v1/hosts/${shared.id}`)
  t.same(
    after.body.host_groups.map((g: { name: string }) => g.name),
    ['theirs'],
    'the membership outside their scope is kept'
  )

  // Their audit log shows their per-host entries, not the foreign host.
  const audit = await ctx.api('GET', '/api/v1/audit?limit=100', undefined, token)
  t.notOk(JSON.stringify(audit.body).includes('foreign-zq7'))
})
