import t from 'tap'
import { bearer, buildTestApp } from '../helpers/test-app.js'
import { agentReport, createHostViaApi, debianPackages, postReport as report, storedPackages } from '../helpers/agent-fixtures.js'

t.test('a realistic 2,000-package Debian report is stored whole and answered exactly', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-01')
  const packages = debianPackages(2000, { updates: 120, securityEvery: 4 })
  const res = await report(ctx, host, agentReport(packages))
  t.equal(res.statusCode, 200)
  t.equal(res.body, '{"message":"Host updated successfully","packagesProcessed":2000,"updatesAvailable":120,"securityUpdates":30}')

  const stored = storedPackages(ctx, host.id)
  t.equal(stored.length, 2000)
  const sample = stored.find((p) => p.name === packages[4]!.name)!
  t.same(sample, {
    name: packages[4]!.name,
    current_version: packages[4]!.currentVersion,
    available_version: packages[4]!.availableVersion,
    needs_update: 1,
    is_security_update: 1
  })
  const upToDate = stored.find((p) => p.name === packages[1999]!.name)!
  t.equal(upToDate.available_version, null, 'no available version when not upgradable')

  const detail = (await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}`, headers: bearer(ctx.adminToken) })).json()
  t.equal(detail.status, 'active')
  t.equal(detail.total_packages, 2000)
  t.equal(detail.outdated_packages, 120)
  t.equal(detail.security_updates, 30)
  t.equal(detail.total_repos, 2)
  t.equal(detail.hostname, 'web01.example.com')
  t.equal(detail.os_type, 'Debian GNU/Linux')
  t.same(
    detail.disk_details,
    [{ name: '/dev/sda1', size: '251.97GB (22.07GB used, 79.40GB free, 21.7% used)', mountpoint: '/' }],
    'agent disk shape kept as sent'
  )
  t.equal(detail.needs_reboot, null, 'agent 1.3 never says')

  const history = (await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}/reports`, headers: bearer(ctx.adminToken) })).json()
  t.equal(history.total, 1)
  t.equal(history.reports[0].status, 'success')
  t.equal(history.reports[0].total_packages, 2000)
  t.equal(history.reports[0].security_updates, 30)
  t.equal(history.reports[0].execution_time_seconds, 4.271)
  t.ok(history.reports[0].payload_kb > 100, 'payload size recorded in KB')
})

t.test('10,000 packages are accepted; 10,001 are 400 Packages array exceeds maximum size and change nothing', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'big-01')
  const ok = await report(ctx, host, agentReport(debianPackages(10_000)))
  t.equal(ok.statusCode, 200)
  t.equal(ok.json().packagesProcessed, 10_000)
  const tooMany = await report(ctx, host, agentReport(debianPackages(10_001, { versionSalt: 'x' })))
  t.equal(tooMany.statusCode, 400)
  t.same(tooMany.json(), { error: 'Packages array exceeds maximum size' })
  const stored = storedPackages(ctx, host.id)
  t.equal(stored.length, 10_000)
  t.notOk(
    stored.some((p) => p.current_version.endsWith('x')),
    'the rejected report wrote nothing'
  )
})

t.test('missing, null or empty packages are 400 Packages array is required', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-02')
  for (const payload of [agentReport(null), agentReport([]), { hostname: 'x' }, '']) {
    const res = await report(ctx, host, payload)
    t.equal(res.statusCode, 400)
    t.same(res.json(), { error: 'Packages array is required' })
  }
})

t.test('null for every optional array and unknown keys are tolerated (Go marshals empty slices as null)', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-03')
  const pkg = {
    name: 'bash',
    currentVersion: '5.2.15-2+b2',
    needsUpdate: false,
    isSecurityUpdate: false,
    wuaGuid: null,
    sourceRepository: 'main'
  }
  const res = await report(
    ctx,
    host,
    agentReport([pkg], {
      repositories: null,
      diskDetails: null,
      dnsServers: null,
      networkInterfaces: null,
      loadAverage: null,
      hashes: {},
      packageManager: 'apt',
      rebootReason: null,
      bootTime: '2026-11-25T10:00:00Z',
      agentExecutionMs: 321,
      brandNewField: [1, 2]
    })
  )
  t.equal(res.statusCode, 200, res.body)
  const detail = (await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}`, headers: bearer(ctx.adminToken) })).json()
  t.equal(detail.package_manager, 'apt')
  t.equal(detail.disk_details, null)
  t.equal(detail.total_repos, 0)
})

t.test("the spec's example shapes for disks and interfaces and a string executionTime are accepted too", async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-04')
  const res = await report(
    ctx,
    host,
    agentReport(debianPackages(3), {
      diskDetails: [{ device: '/dev/sda1', mountPoint: '/', size: '100G', used: '40G', available: '60G' }],
      networkInterfaces: [{ name: 'eth0', ip: '10.0.0.2', mac: '00:11:22:33:44:55' }],
      executionTime: '2.5'
    })
  )
  t.equal(res.statusCode, 200, res.body)
  const detail = (await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}`, headers: bearer(ctx.adminToken) })).json()
  t.same(detail.disk_details, [{ device: '/dev/sda1', mountPoint: '/', size: '100G', used: '40G', available: '60G' }])
  t.same(detail.network_interfaces, [{ name: 'eth0', ip: '10.0.0.2', mac: '00:11:22:33:44:55' }])
})

t.test('wrong types, huge strings and invalid JSON are a single-shape 400 and store nothing', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-05')
  const cases: [string, unknown][] = [
    ['package name not a string', agentReport([{ name: 42, currentVersion: '1', needsUpdate: false }])],
    ['needsUpdate missing', agentReport([{ name: 'bash', currentVersion: '1' }])],
    ['packages not an array', agentReport(null, { packages: 'bash' })],
    ['cpuCores a string', agentReport(debianPackages(2), { cpuCores: '4' })],
    ['hostname 1 MB long', agentReport(debianPackages(2), { hostname: 'h'.repeat(1024 * 1024) })],
    ['package name 100 KB long', agentReport([{ name: 'p'.repeat(100_000), currentVersion: '1', needsUpdate: false }])],
    ['invalid JSON', '{"packages":[{"name":"bash"']
  ]
  for (const [label, payload] of cases) {
    const res = await report(ctx, host, payload)
    t.equal(res.statusCode, 400, label)
    const body = res.json()
    t.same(Object.keys(body), ['error'], `${label}: {"error"} only`)
    t.type(body.error, 'string')
    t.notMatch(res.body, /stack|at .*\.ts/, `${label}: no stack trace`)
  }
  t.equal(storedPackages(ctx, host.id).length, 0)
  const detail = (await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}`, headers: bearer(ctx.adminToken) })).json()
  t.equal(detail.status, 'pending', 'no rejected report counts as a check-in')
})

t.test('a body above AGENT_UPDATE_BODY_LIMIT is refused with 413 before it is stored', async (t) => {
  const ctx = await buildTestApp(t, { env: { AGENT_UPDATE_BODY_LIMIT: String(64 * 1024) } })
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-06')
  const res = await report(ctx, host, agentReport(debianPackages(2000)))
  t.equal(res.statusCode, 413)
  t.same(res.json(), { error: 'Request body too large' })
})
