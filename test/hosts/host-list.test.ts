import t from 'tap'
import { bearer, buildTestApp, type TestApp } from '../helpers/test-app.js'
import { agentReport, createHostViaApi, debianPackages, postReport } from '../helpers/agent-fixtures.js'

interface ListedHost {
  friendly_name: string
  status: string
  outdated_packages: number
  security_updates: number
}

async function list(ctx: TestApp, query: string) {
  const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts?${query}`, headers: bearer(ctx.adminToken) })
  if (res.statusCode !== 200) throw new Error(res.body)
  const body = res.json() as { hosts: ListedHost[]; total: number }
  return { names: body.hosts.map((h) => h.friendly_name), total: body.total, hosts: body.hosts }
}

t.test('host list: search, group, status filters, sorts and paging with a total', async (t) => {
  const ctx = await buildTestApp(t)
  const prod = (
    await ctx.app.inject({ method: 'POST', url: '/api/v1/host-groups', headers: bearer(ctx.adminToken), payload: { name: 'prod' } })
  ).json()
  const alpha = await createHostViaApi(ctx.app, ctx.adminToken, 'alpha', [prod.id])
  const bravo = await createHostViaApi(ctx.app, ctx.adminToken, 'bravo', [prod.id])
  const charlie = await createHostViaApi(ctx.app, ctx.adminToken, 'charlie')
  await createHostViaApi(ctx.app, ctx.adminToken, 'delta')
  await postReport(ctx, alpha, agentReport(debianPackages(40, { updates: 4, securityEvery: 4 }), { hostname: 'alpha.lan', ip: '10.0.0.1' }))
  await postReport(
    ctx,
    bravo,
    agentReport(debianPackages(40, { updates: 10, securityEvery: 2 }), { hostname: 'bravo.lan', ip: '10.0.0.2' })
  )
  await postReport(
    ctx,
    charlie,
    agentReport(debianPackages(40, { updates: 1, securityEvery: 1 }), { hostname: 'charlie.lan', ip: '10.0.9.3' })
  )
  // charlie last reported three hours ago: inactive with the default 60-minute interval.
  ctx.store.sqlite
    .prepare('update hosts set last_update = ? where id = ?')
    .run(new Date(Date.now() - 3 * 3600_000).toISOString(), charlie.id)

  t.same((await list(ctx, '')).names, ['alpha', 'bravo', 'charlie', 'delta'])
  t.same((await list(ctx, 'search=BRAVO')).names, ['bravo'], 'friendly name, case-insensitive')
  t.same((await list(ctx, 'search=charlie.lan')).names, ['charlie'], 'hostname')
  t.same((await list(ctx, 'search=10.0.0.')).names, ['alpha', 'bravo'], 'ip')
  t.same((await list(ctx, 'search=%25')).names, [], 'a % is a literal character, not a wildcard')
  t.same((await list(ctx, `group=${prod.id}`)).names, ['alpha', 'bravo'])
  t.same((await list(ctx, 'group=ungrouped')).names, ['charlie', 'delta'])
  t.same((await list(ctx, 'status=pending')).names, ['delta'])
  t.same((await list(ctx, 'status=active')).names, ['alpha', 'bravo'])
  const inactive = await list(ctx, 'status=inactive')
  t.same(inactive.names, ['charlie'])
  t.equal(inactive.hosts[0]!.status, 'inactive', 'the row shows the derived status')
  t.same((await list(ctx, 'sort=updates')).names, ['bravo', 'alpha', 'charlie', 'delta'], 'most updates first')
  t.same((await list(ctx, 'sort=security')).names, ['bravo', 'alpha', 'charlie', 'delta'])
  t.same((await list(ctx, 'sort=updates&order=asc')).names, ['delta', 'charlie', 'alpha', 'bravo'])
  t.same((await list(ctx, 'sort=last_update')).names.slice(0, 2).sort(), ['alpha', 'bravo'], 'most recent first')
  const page = await list(ctx, 'limit=2&offset=2')
  t.same(page.names, ['charlie', 'delta'])
  t.equal(page.total, 4)
  const bad = await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts?limit=0', headers: bearer(ctx.adminToken) })
  t.equal(bad.statusCode, 400)
  const badStatus = await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts?status=weird', headers: bearer(ctx.adminToken) })
  t.equal(badStatus.statusCode, 400)
})

t.test('host packages (filters, order, paging), repositories and fleet packages', async (t) => {
  const ctx = await buildTestApp(t)
  const auth = bearer(ctx.adminToken)
  const a = await createHostViaApi(ctx.app, ctx.adminToken, 'a')
  const b = await createHostViaApi(ctx.app, ctx.adminToken, 'b')
  const packages = debianPackages(30, { updates: 6, securityEvery: 3 })
  await postReport(ctx, a, agentReport(packages))
  await postReport(
    ctx,
    b,
    agentReport(packages.map((p) => ({ ...p, needsUpdate: false, isSecurityUpdate: false, availableVersion: undefined })))
  )

  const all = (await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${a.id}/packages?limit=100`, headers: auth })).json()
  t.equal(all.total, 30)
  t.same(
    all.packages.slice(0, 2).map((p: { is_security_update: boolean }) => p.is_security_update),
    [true, true],
    'security updates first'
  )
  t.same(
    all.packages.slice(2, 6).map((p: { needs_update: boolean; is_security_update: boolean }) => [p.needs_update, p.is_security_update]),
    [
      [true, false],
      [true, false],
      [true, false],
      [true, false]
    ]
  )
  const updates = (await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${a.id}/packages?updates_only=true`, headers: auth })).json()
  t.equal(updates.total, 6)
  const security = (await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${a.id}/packages?security_only=true`, headers: auth })).json()
  t.equal(security.total, 2)
  const searched = (
    await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/hosts/${a.id}/packages?search=${encodeURIComponent(packages[7]!.name)}`,
      headers: auth
    })
  ).json()
  t.same(
    searched.packages.map((p: { name: string }) => p.name),
    [packages[7]!.name]
  )
  const paged = (await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${a.id}/packages?limit=5&offset=28`, headers: auth })).json()
  t.equal(paged.packages.length, 2)
  t.equal((await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts/none/packages', headers: auth })).statusCode, 404)

  const repos = (await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${a.id}/repositories`, headers: auth })).json()
  t.equal(repos.repositories.length, 2)
  t.match(
    repos.repositories.find((r: { is_secure: boolean }) => r.is_secure),
    { url: 'http://security.debian.org/debian-security', distribution: 'bookworm-security', repo_type: 'deb', is_enabled: true }
  )
  const repoRows = ctx.store.sqlite.prepare('select count(*) as n from repositories').get() as { n: number }
  t.equal(repoRows.n, 2, 'two hosts share the same repository rows')

  const fleet = (await ctx.app.inject({ method: 'GET', url: '/api/v1/packages?limit=3', headers: auth })).json()
  t.equal(fleet.total, 30)
  t.match(fleet.packages[0], { host_count: 2, hosts_needing_update: 1, hosts_needing_security_update: 1 })
  const fleetUpdates = (await ctx.app.inject({ method: 'GET', url: '/api/v1/packages?updates_only=true', headers: auth })).json()
  t.equal(fleetUpdates.total, 6)
  const pkgId = fleet.packages[0].id
  const holders = (await ctx.app.inject({ method: 'GET', url: `/api/v1/packages/${pkgId}/hosts`, headers: auth })).json()
  t.equal(holders.total, 2)
  t.same(
    holders.hosts.map((h: { friendly_name: string; needs_update: boolean }) => [h.friendly_name, h.needs_update]),
    [
      ['a', true],
      ['b', false]
    ]
  )
  const needing = (await ctx.app.inject({ method: 'GET', url: `/api/v1/packages/${pkgId}/hosts?updates_only=true`, headers: auth })).json()
  t.equal(needing.total, 1)
  t.equal((await ctx.app.inject({ method: 'GET', url: '/api/v1/packages/none/hosts', headers: auth })).statusCode, 404)
})

t.test('dashboard stats count hosts by status, updates, reboots and OS', async (t) => {
  const ctx = await buildTestApp(t)
  const a = await createHostViaApi(ctx.app, ctx.adminToken, 'a')
  const b = await createHostViaApi(ctx.app, ctx.adminToken, 'b')
  await createHostViaApi(ctx.app, ctx.adminToken, 'c')
  await postReport(ctx, a, agentReport(debianPackages(20, { updates: 4, securityEvery: 2 }), { needsReboot: true }))
  await postReport(
    ctx,
    b,
    agentReport(debianPackages(20, { updates: 0 }), { osType: 'Ubuntu', osVersion: '22.04.3 LTS (Jammy Jellyfish)' })
  )
  const stats = (await ctx.app.inject({ method: 'GET', url: '/api/v1/dashboard/stats', headers: bearer(ctx.adminToken) })).json()
  t.match(stats, {
    total_hosts: 3,
    hosts_by_status: { pending: 1, active: 2, inactive: 0 },
    hosts_needing_updates: 1,
    hosts_with_security_updates: 1,
    total_outdated_packages: 4,
    total_security_updates: 2,
    hosts_needing_reboot: 1,
    update_interval: 60
  })
  t.same(stats.os_distribution.map((o: { os_type: string; count: number }) => [o.os_type, o.count]).sort(), [
    ['Debian GNU/Linux', 1],
    ['Ubuntu', 1]
  ])
  t.equal(stats.recent_reports.length, 2)
})
