import t from 'tap'
import { bearer, buildTestApp } from '../helpers/test-app.js'
import {
  agentHeaders,
  agentReport,
  createHostViaApi,
  debianPackages,
  postReport as report,
  storedPackages
} from '../helpers/agent-fixtures.js'

t.test('a re-report with a changed set replaces the package set exactly', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-07')
  const first = debianPackages(50, { updates: 10 })
  t.equal((await report(ctx, host, agentReport(first))).statusCode, 200)
  // Drop 5, change 3 versions, fix 4 updates, add 2 new packages.
  const second = first.slice(5).map((p, i) => {
    if (i < 3) return { ...p, currentVersion: `${p.currentVersion}-new` }
    if (i >= 3 && i < 5 && p.needsUpdate) return { ...p, needsUpdate: false, isSecurityUpdate: false, availableVersion: undefined }
    return p
  })
  second.push({ name: 'brand-new-a', currentVersion: '1.0', needsUpdate: true, isSecurityUpdate: true, availableVersion: '1.1' })
  second.push({ name: 'brand-new-b', currentVersion: '2.0', needsUpdate: false, isSecurityUpdate: false })
  const res = await report(ctx, host, agentReport(second))
  t.equal(res.statusCode, 200)
  const expected = second
    .map((p) => ({
      name: p.name,
      current_version: p.currentVersion,
      available_version: p.availableVersion ?? null,
      needs_update: p.needsUpdate ? 1 : 0,
      is_security_update: p.isSecurityUpdate ? 1 : 0
    }))
    .sort((a, b) => (a.name < b.name ? -1 : 1))
  t.same(storedPackages(ctx, host.id), expected)
  const detail = (await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}`, headers: bearer(ctx.adminToken) })).json()
  t.equal(detail.total_packages, second.length)
  t.equal(detail.outdated_packages, second.filter((p) => p.needsUpdate).length)
  t.equal(detail.security_updates, second.filter((p) => p.needsUpdate && p.isSecurityUpdate).length)
})

t.test('an unchanged re-report rewrites no package rows', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-08')
  const payload = agentReport(debianPackages(500))
  await report(ctx, host, payload)
  const before = ctx.store.sqlite.prepare('select max(last_checked) as t from host_packages where host_id = ?').get(host.id) as {
    t: string
  }
  const changesBefore = ctx.store.sqlite.prepare('select total_changes() as n').get() as { n: number }
  await report(ctx, host, payload)
  const changesAfter = ctx.store.sqlite.prepare('select total_changes() as n').get() as { n: number }
  const after = ctx.store.sqlite.prepare('select max(last_checked) as t from host_packages where host_id = ?').get(host.id) as { t: string }
  t.equal(after.t, before.t, 'no package row touched')
  // The history row's insert also moves its hour's success counter (trigger, migration 0030).
  t.ok(
    changesAfter.n - changesBefore.n <= 4,
    `only the host row, a history row and its hour's counter changed (${changesAfter.n - changesBefore.n} rows)`
  )
})

t.test('a report that fails inside the transaction leaves the previous package set intact', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-09')
  const first = debianPackages(30, { updates: 3 })
  await report(ctx, host, agentReport(first))
  // A trigger stands in for a disk or constraint failure half-way through the writes.
  ctx.store.sqlite.exec(`create trigger fail_ingest before insert on host_packages when new.current_version = 'explode'
    begin select raise(abort, 'simulated failure'); end`)
  const second = [
    ...first.slice(10).map((p) => ({ ...p, currentVersion: `${p.currentVersion}.2` })),
    { name: 'zz-new', currentVersion: 'explode', needsUpdate: false, isSecurityUpdate: false }
  ]
  const res = await report(ctx, host, agentReport(second, { hostname: 'renamed.example.com' }))
  t.equal(res.statusCode, 500)
  t.same(res.json(), { error: 'Internal server error' })
  t.same(
    storedPackages(ctx, host.id).map((p) => [p.name, p.current_version]),
    first.map((p) => [p.name, p.currentVersion]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1))
  )
  const detail = (await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}`, headers: bearer(ctx.adminToken) })).json()
  t.equal(detail.hostname, 'web01.example.com', 'host facts rolled back too')
  t.equal(
    (await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}/reports`, headers: bearer(ctx.adminToken) })).json().total,
    1
  )
  ctx.store.sqlite.exec('drop trigger fail_ingest')
  const retry = await report(
    ctx,
    host,
    agentReport(second.map((p) => (p.currentVersion === 'explode' ? { ...p, currentVersion: '1.0' } : p)))
  )
  t.equal(retry.statusCode, 200, 'the package catalogue cache forgot the rolled-back names')
  t.equal(storedPackages(ctx, host.id).length, second.length)
})

t.test('security_updates_available fires once when the count rises, not on an unchanged re-report', async (t) => {
  const ctx = await buildTestApp(t)
  const events: { hostId: string; previousCount: number; securityCount: number; packages: string[] }[] = []
  ctx.app.events.on('security_updates_available', (e) => void events.push(e))
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-10')
  const base = debianPackages(40, { updates: 8, securityEvery: 4 })
  await report(ctx, host, agentReport(base))
  t.equal(events.length, 1)
  t.match(events[0], { hostId: host.id, hostName: 'web-10', previousCount: 0, securityCount: 2 })
  t.same(events[0]!.packages, [base[0]!.name, base[4]!.name])
  await report(ctx, host, agentReport(base))
  t.equal(events.length, 1, 'unchanged re-report')
  const fewer = base.map((p, i) => (i === 4 ? { ...p, isSecurityUpdate: false } : p))
  await report(ctx, host, agentReport(fewer))
  t.equal(events.length, 1, 'a decrease is not news')
  await report(ctx, host, agentReport(base.map((p, i) => (i < 8 ? { ...p, isSecurityUpdate: true } : p))))
  t.equal(events.length, 2)
  t.match(events[1], { previousCount: 1, securityCount: 8 })
})

t.test('a missing needsReboot keeps the previous value; a sent one replaces it', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-11')
  await report(ctx, host, agentReport(debianPackages(5), { needsReboot: true, rebootReason: 'kernel' }))
  await report(ctx, host, agentReport(debianPackages(5)))
  const kept = (await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}`, headers: bearer(ctx.adminToken) })).json()
  t.equal(kept.needs_reboot, true)
  t.equal(kept.reboot_reason, 'kernel')
  await report(ctx, host, agentReport(debianPackages(5), { needsReboot: false }))
  const cleared = (await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}`, headers: bearer(ctx.adminToken) })).json()
  t.equal(cleared.needs_reboot, false)
})

t.test('a restart on the same data folder keeps hosts, packages, history and credentials', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'web-12')
  await report(ctx, host, agentReport(debianPackages(300, { updates: 30 })))
  const again = await ctx.restart()
  const detail = (await again.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}`, headers: bearer(again.adminToken) })).json()
  t.equal(detail.total_packages, 300)
  t.equal(detail.outdated_packages, 30)
  t.equal(detail.status, 'active')
  t.equal(storedPackages(again, host.id).length, 300)
  const res = await again.app.inject({
    method: 'POST',
    url: '/api/v1/hosts/update',
    headers: agentHeaders(host),
    payload: agentReport(debianPackages(300, { updates: 30 }))
  })
  t.equal(res.statusCode, 200, 'the same credentials still work after the restart (cache is empty, bcrypt runs)')
  t.equal(
    (await again.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}/reports`, headers: bearer(again.adminToken) })).json().total,
    2
  )
})
