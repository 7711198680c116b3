// Package holds: per host and per group, names and globs, honoured in the frame a stand-in agent
// receives, counted on the host ("N held"), refused when nothing is left, audited.
import t from 'tap'
import { userWithRole } from '../helpers/test-app.js'
import { beyondApp, hostGroup, pkg, reportedHost, standInAgent, until } from './beyond-helpers.js'

t.test('holds are listed, added and removed with the right permissions', async (t) => {
  const ctx = await beyondApp(t)
  const host = await reportedHost(ctx, 'web01', [pkg('openssl', true), pkg('linux-image-amd64')])
  const viewer = await userWithRole(ctx, 'readonly')

  const add = await ctx.api('POST', '/api/v1/patching/holds', {
    target_type: 'host',
    target_id: host.id,
    pattern: 'linux-image-*',
    reason: 'kernel by hand'
  })
  t.equal(add.status, 201)
  t.match(add.body, { target_type: 'host', target_id: host.id, pattern: 'linux-image-*', reason: 'kernel by hand' })
  t.equal(
    (await ctx.api('POST', '/api/v1/patching/holds', { target_type: 'host', target_id: host.id, pattern: 'linux-image-*' })).status,
    409,
    'duplicate'
  )
  t.same((await ctx.api('POST', '/api/v1/patching/holds', { target_type: 'host', target_id: host.id, pattern: 'bad/name' })).body, {
    error: 'pattern must be a package name or a glob (letters, digits and . _ + - * ?, at most 256 characters)'
  })
  t.same((await ctx.api('POST', '/api/v1/patching/holds', { target_type: 'host_group', target_id: 'nope', pattern: 'x' })).body, {
    error: 'Host group not found'
  })
  t.equal(
    (await ctx.api('POST', '/api/v1/patching/holds', { target_type: 'host', target_id: host.id, pattern: 'zsh' }, viewer)).status,
    403
  )

  const list = await ctx.api('GET', '/api/v1/patching/holds', undefined, viewer)
  t.equal(list.status, 200, 'can_view_hosts reads')
  t.same(
    list.body.holds.map((h: { pattern: string; held_count: number }) => [h.pattern, h.held_count]),
    [['linux-image-*', 1]]
  )
  t.equal(list.body.held_count, 1, 'the fleet says "1 held"')
  const summary = await ctx.api('GET', `/api/v1/patching/hosts/${host.id}/holds`, undefined, viewer)
  t.match(summary.body, { held_count: 1, held_packages: ['linux-image-amd64'], installable_count: 1 })

  t.equal((await ctx.api('DELETE', `/api/v1/patching/holds/${add.body.id}`, undefined, viewer)).status, 403)
  t.equal((await ctx.api('DELETE', `/api/v1/patching/holds/${add.body.id}`)).status, 204)
  t.equal((await ctx.api('DELETE', `/api/v1/patching/holds/${add.body.id}`)).status, 404)
  const audit = ctx.store.sqlite.prepare("select action, username from patch_audit where action like 'hold_%' order by rowid").all()
  t.same(audit, [
    { action: 'hold_added', username: 'admin' },
    { action: 'hold_removed', username: 'admin' }
  ])
})

t.test('patch_all on a host with a group hold sends the outdated packages minus the held ones', async (t) => {
  const ctx = await beyondApp(t)
  const group = await hostGroup(ctx, 'kernels-by-hand')
  const host = await reportedHost(ctx, 'db01', [pkg('openssl', true), pkg('linux-image-6.1.0-18-amd64'), pkg('curl')], [group])
  await ctx.api('POST', '/api/v1/patching/holds', { target_type: 'host_group', target_id: group, pattern: 'linux-image-*' })
  const agent = await standInAgent(ctx, host)

  const trigger = await ctx.api('POST', '/api/v1/patching/trigger', { host_id: host.id, patch_type: 'patch_all' })
  t.equal(trigger.status, 200, trigger.body?.error)
  await until(() => agent.frames.length === 1, 'run_patch frame')
  t.match(agent.frames[0], { type: 'run_patch', patch_type: 'patch_package', patch_run_id: trigger.body.patch_run_id })
  t.same([...(agent.frames[0]?.package_names ?? [])].sort(), ['curl', 'openssl'], 'the held kernel is not in the frame')
  agent.close()
})

t.test('a package list loses its held names; nothing left is a 409 naming them', async (t) => {
  const ctx = await beyondApp(t)
  const host = await reportedHost(ctx, 'app01', [pkg('nginx'), pkg('postgresql-15'), pkg('redis')])
  await ctx.api('POST', '/api/v1/patching/holds', { target_type: 'host', target_id: host.id, pattern: 'postgresql-??' })
  const agent = await standInAgent(ctx, host)

  const refused = await ctx.api('POST', '/api/v1/patching/trigger', {
    host_id: host.id,
    patch_type: 'patch_package',
    package_names: ['postgresql-15']
  })
  t.equal(refused.status, 409)
  t.same(refused.body, { error: 'Every package this run would install is held', message: 'Held on this host: postgresql-15' })

  const ok = await ctx.api('POST', '/api/v1/patching/trigger', {
    host_id: host.id,
    patch_type: 'patch_package',
    package_names: ['nginx', 'postgresql-15']
  })
  t.equal(ok.status, 200)
  await until(() => agent.frames.length === 1, 'frame')
  t.same(agent.frames[0]?.package_names, ['nginx'])
  agent.close()
})

t.test('a full upgrade past the 100-name frame limit becomes consecutive runs, sent one after another', async (t) => {
  const ctx = await beyondApp(t)
  const names = Array.from({ length: 131 }, (_, i) => `lib${String(i).padStart(3, '0')}`)
  const host = await reportedHost(ctx, 'big01', [...names.map((n) => pkg(n)), pkg('linux-image-amd64')])
  await ctx.api('POST', '/api/v1/patching/holds', { target_type: 'host', target_id: host.id, pattern: 'linux-image-*' })
  const agent = await standInAgent(ctx, host)

  const trigger = await ctx.api('POST', '/api/v1/patching/trigger', { host_id: host.id, patch_type: 'patch_all' })
  t.equal(trigger.status, 200, trigger.body?.error)
  await until(() => agent.frames.length === 1, 'first frame')
  const first = agent.frames[0] as { patch_run_id: string; package_names: string[] }
  t.equal(first.patch_run_id, trigger.body.patch_run_id, 'the reply names the first run')
  t.equal(first.package_names.length, 100)
  const runs = ctx.store.sqlite.prepare('select status from patch_runs where host_id = ? order by rowid').all(host.id)
  t.same(runs, [{ status: 'queued' }, { status: 'queued' }], 'the rest waits its turn')

  t.equal(await agent.stage(first.patch_run_id, 'started'), 200)
  t.equal(await agent.stage(first.patch_run_id, 'completed'), 200)
  await until(() => agent.frames.length === 2, 'second frame')
  const second = agent.frames[1] as { package_names: string[] }
  t.equal(second.package_names.length, 31)
  t.same([...first.package_names, ...second.package_names].sort(), names, 'every outdated package once, the held kernel in none')
  agent.close()
})
