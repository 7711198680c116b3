// End to end: hosts report through the real agent path (POST /api/v1/hosts/update, Go agent
// payloads), then the Integration API and gethomepage read what ingestion stored.
import t from 'tap'
import { buildTestApp } from '../helpers/test-app.js'
import { agentReport, createHostViaApi, debianPackages, postReport } from '../helpers/agent-fixtures.js'
import { apiCredential, basic, ensureGroups, homepageCredential } from './fleet-fixture.js'

t.test('what an agent reports is what the Integration API and gethomepage answer', async (t) => {
  const ctx = await buildTestApp(t)
  const groups = await ensureGroups(ctx, ['Production'])
  const web = await createHostViaApi(ctx.app, ctx.adminToken, 'web-server-01', [groups.get('Production') as string])
  const quiet = await createHostViaApi(ctx.app, ctx.adminToken, 'never-reported')
  // 200 packages, the first 10 upgradable, every 4th of those a security update (0, 4, 8).
  const report = await postReport(
    ctx,
    web,
    agentReport(debianPackages(200, { updates: 10, securityEvery: 4 }), { needsReboot: true, rebootReason: 'kernel' })
  )
  t.equal(report.statusCode, 200, report.body)

  const api = await apiCredential(ctx)
  const list = await ctx.app.inject({ method: 'GET', url: '/api/v1/api/hosts?include=stats', headers: basic(api.key, api.secret) })
  t.equal(list.statusCode, 200)
  const hosts = list.json().hosts as Record<string, unknown>[]
  const reported = hosts.find((h) => h['id'] === web.id)
  t.match(reported, {
    hostname: 'web01.example.com',
    ip: '192.168.1.100',
    os_type: 'Debian GNU/Linux',
    status: 'active',
    updates_count: 10,
    security_updates_count: 3,
    total_packages: 200,
    needs_reboot: true,
    reporting_state: 'reporting',
    update_state: 'security_required',
    host_groups: [{ id: groups.get('Production'), name: 'Production' }]
  })
  t.match(
    hosts.find((h) => h['id'] === quiet.id),
    { hostname: 'never-reported', ip: '', status: 'pending', total_packages: 0, host_groups: [] }
  )

  const get = async (path: string) =>
    (await ctx.app.inject({ method: 'GET', url: `/api/v1/api/hosts/${web.id}/${path}`, headers: basic(api.key, api.secret) })).json()
  t.match(await get('stats'), { total_installed_packages: 200, outdated_packages: 10, security_updates: 3, total_repos: 2 })
  const system = await get('system')
  t.same(system.load_average, { '1min': 0.52, '5min': 0.31, '15min': 0.2 })
  t.match(system, { cpu_cores: 4, ram_installed: 7.765625, kernel_version: '6.1.0-18-amd64', needs_reboot: true })
  t.match(system.disk_details[0], { name: '/dev/sda1', mountpoint: '/', filesystem: '/dev/sda1', mounted_on: '/' })
  t.same((await get('network')).network_interfaces, [
    { name: 'eth0', type: 'ethernet', addresses: [{ address: '192.168.1.100', family: 'inet' }] }
  ])
  const updates = await get('packages?updates_only=true')
  t.equal(updates.total, 10)
  t.ok(
    updates.packages.slice(0, 3).every((p: { is_security_update: boolean }) => p.is_security_update),
    'security updates first'
  )
  const reports = await get('package_reports')
  t.equal(reports.total, 1)
  t.match(reports.reports[0], { total_packages: 200, outdated_packages: 10, security_updates: 3 })

  const home = await homepageCredential(ctx)
  const stats = (await ctx.app.inject({ method: 'GET', url: '/api/v1/gethomepage/stats', headers: basic(home.key, home.secret) })).json()
  t.match(stats, {
    total_hosts: 1,
    hosts_needing_updates: 1,
    up_to_date_hosts: 0,
    security_updates: 3,
    hosts_with_security_updates: 1,
    total_outdated_packages: 10,
    total_repos: 2,
    reboot_required_hosts: 1,
    top_os_1_name: 'Debian GNU/Linux',
    top_os_1_count: 1
  })
})
