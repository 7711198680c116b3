// The maintained fleet counters (migrations 0021, 0030) against the aggregated truth: the fleet
// package view, the dashboard overview and gethomepage's stats, over HTTP, after first reports, changed and shrunk reports,
// reboot flags, group changes, silence, host deletion (cascades) and package clean-up. The truth
// is the aggregate the views computed on every call before the counters existed.
import t, { type Test } from 'tap'
import { bearer, buildTestApp, type TestApp } from '../helpers/test-app.js'
import { agentReport, createHostViaApi, debianPackages, postReport } from '../helpers/agent-fixtures.js'
import { basic, homepageCredential, type Credential } from '../integration-api/fleet-fixture.js'

interface FleetPackage {
  name: string
  host_count: number
  hosts_needing_update: number
  hosts_needing_security_update: number
}

async function get<T>(ctx: TestApp, url: string): Promise<T> {
  const res = await ctx.app.inject({ method: 'GET', url, headers: bearer(ctx.adminToken) })
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  return res.json() as T
}

/** The old per-call aggregate over host_packages, with the same filters and order. */
function packageTruth(ctx: TestApp, filter: '' | 'updates' | 'security'): FleetPackage[] {
  const where =
    filter === 'security'
      ? 'WHERE hp.needs_update = 1 AND hp.is_security_update = 1'
      : filter === 'updates'
        ? 'WHERE hp.needs_update = 1'
        : ''
  return ctx.store.sqlite
    .prepare(
      `SELECT p.name, count(hp.host_id) AS host_count, sum(hp.needs_update) AS hosts_needing_update,
              sum(hp.needs_update * hp.is_security_update) AS hosts_needing_security_update
       FROM packages p JOIN host_packages hp ON hp.package_id = p.id ${where}
       GROUP BY p.id ORDER BY hosts_needing_security_update DESC, hosts_needing_update DESC, p.name`
    )
    .all() as FleetPackage[]
}

function overviewTruth(ctx: TestApp) {
  return ctx.store.sqlite
    .prepare(
      `SELECT count(*) AS total_hosts,
              coalesce(sum(outdated_packages > 0), 0) AS hosts_needing_updates,
              coalesce(sum(security_updates > 0), 0) AS hosts_with_security_updates,
              coalesce(sum(outdated_packages), 0) AS total_outdated_packages,
              coalesce(sum(security_updates), 0) AS total_security_updates,
              coalesce(sum(needs_reboot = 1), 0) AS hosts_needing_reboot
       FROM hosts`
    )
    .get() as Record<string, number>
}

/** gethomepage's figures as the aggregate over every host row it was before migration 0030. */
function homepageTruth(ctx: TestApp) {
  const reported = "(status != 'pending' AND last_update IS NOT NULL)"
  const totals = ctx.store.sqlite
    .prepare(
      `SELECT coalesce(sum(${reported}), 0) AS total_hosts,
              coalesce(sum(${reported} AND outdated_packages > 0), 0) AS hosts_needing_updates,
              coalesce(sum(${reported} AND total_packages > 0 AND outdated_packages = 0), 0) AS up_to_date_hosts,
              coalesce(sum(${reported} AND security_updates > 0), 0) AS hosts_with_security_updates,
              coalesce(sum(${reported} AND needs_reboot = 1), 0) AS reboot_required_hosts,
              coalesce(sum(total_packages = 0), 0) AS awaiting_data_hosts,
              coalesce(sum(security_updates), 0) AS security_updates,
              coalesce(sum(outdated_packages), 0) AS total_outdated_packages
       FROM hosts`
    )
    .get() as Record<string, number>
  const os = ctx.store.sqlite
    .prepare(
      `SELECT coalesce(nullif(os_type, ''), 'Unknown') AS name, count(*) AS count FROM hosts WHERE ${reported}
       GROUP BY name ORDER BY count DESC, name`
    )
    .all() as { name: string; count: number }[]
  return { totals, os }
}

async function checkHomepage(t: Test, ctx: TestApp, credential: Credential, when: string): Promise<void> {
  const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/gethomepage/stats', headers: basic(credential.key, credential.secret) })
  const stats = res.json() as Record<string, unknown> & { os_distribution: { name: string; count: number }[] }
  const truth = homepageTruth(ctx)
  for (const [key, value] of Object.entries(truth.totals)) t.equal(stats[key], value, `${when}: gethomepage ${key}`)
  t.same(
    stats.os_distribution.map((o) => ({ name: o.name, count: o.count })),
    truth.os,
    `${when}: gethomepage os_distribution`
  )
}

async function check(t: Test, ctx: TestApp, homepage: Credential, when: string): Promise<void> {
  for (const [filter, query] of [
    ['', ''],
    ['updates', '&updates_only=true'],
    ['security', '&security_only=true']
  ] as const) {
    const page = await get<{ packages: FleetPackage[]; total: number }>(ctx, `/api/v1/packages?limit=500${query}`)
    const truth = packageTruth(ctx, filter)
    t.same(
      page.packages.map((p) => [p.name, p.host_count, p.hosts_needing_update, p.hosts_needing_security_update]),
      truth.map((p) => [p.name, p.host_count, p.hosts_needing_update, p.hosts_needing_security_update]),
      `${when}: package view${query || ' (all)'} equals the aggregate`
    )
    t.equal(page.total, truth.length, `${when}: package total${query}`)
  }
  const stats = await get<Record<string, unknown> & { hosts_by_status: Record<string, number> }>(ctx, '/api/v1/dashboard/stats')
  const truth = overviewTruth(ctx)
  for (const [key, value] of Object.entries(truth)) t.equal(stats[key], value, `${when}: overview ${key}`)
  for (const status of ['pending', 'active', 'inactive']) {
    const listed = await get<{ total: number }>(ctx, `/api/v1/hosts?status=${status}&limit=1`)
    t.equal(stats.hosts_by_status[status], listed.total, `${when}: ${status} hosts as the host list counts them`)
  }
  await checkHomepage(t, ctx, homepage, when)
}

t.test('fleet counters stay equal to the aggregates through reports, groups, silence and deletions', async (t) => {
  const ctx = await buildTestApp(t)
  const homepage = await homepageCredential(ctx)
  const group = (
    await ctx.app.inject({ method: 'POST', url: '/api/v1/host-groups', headers: bearer(ctx.adminToken), payload: { name: 'web' } })
  ).json() as { id: string }
  const alpha = await createHostViaApi(ctx.app, ctx.adminToken, 'alpha', [group.id])
  const bravo = await createHostViaApi(ctx.app, ctx.adminToken, 'bravo')
  const charlie = await createHostViaApi(ctx.app, ctx.adminToken, 'charlie')
  await check(t, ctx, homepage, 'hosts created, nothing reported')

  // Overlapping package sets: the first 40 names are shared.
  t.equal((await postReport(ctx, alpha, agentReport(debianPackages(40, { updates: 6, securityEvery: 2 })))).statusCode, 200)
  t.equal(
    (await postReport(ctx, bravo, agentReport(debianPackages(60, { updates: 12, securityEvery: 3 }), { needsReboot: true }))).statusCode,
    200
  )
  await check(t, ctx, homepage, 'first reports')
  t.equal((await get<{ packages: FleetPackage[] }>(ctx, '/api/v1/packages?limit=500')).packages.length, 60, 'the counters are not vacuous')

  // Changed report: fewer packages (deletions), updates applied and new ones (flag flips), versions bumped.
  await postReport(ctx, alpha, agentReport(debianPackages(30, { updates: 2, securityEvery: 1, versionSalt: 'x' })))
  await postReport(ctx, bravo, agentReport(debianPackages(60, { updates: 20, securityEvery: 2 }), { needsReboot: false }))
  await postReport(ctx, charlie, agentReport(debianPackages(10, { updates: 0 })))
  await check(t, ctx, homepage, 'changed reports')
  // The same report again changes nothing.
  await postReport(ctx, charlie, agentReport(debianPackages(10, { updates: 0 })))
  await check(t, ctx, homepage, 'unchanged report')

  // Group changes move no counts.
  await ctx.app.inject({
    method: 'PUT',
    url: `/api/v1/hosts/${bravo.id}/groups`,
    headers: bearer(ctx.adminToken),
    payload: { host_group_ids: [group.id] }
  })
  await ctx.app.inject({ method: 'DELETE', url: `/api/v1/host-groups/${group.id}`, headers: bearer(ctx.adminToken) })
  await check(t, ctx, homepage, 'group changes')

  // Silence: charlie last reported three hours ago (inactive with the default 60-minute interval).
  ctx.store.sqlite
    .prepare('UPDATE hosts SET last_update = ? WHERE id = ?')
    .run(new Date(Date.now() - 3 * 3600_000).toISOString(), charlie.id)
  await check(t, ctx, homepage, 'one host silent')
  const silent = await get<{ hosts_by_status: Record<string, number> }>(ctx, '/api/v1/dashboard/stats')
  t.same(silent.hosts_by_status, { pending: 0, active: 2, inactive: 1 })

  // Deleting a host cascades to its package rows: the package counters follow.
  t.equal((await ctx.app.inject({ method: 'DELETE', url: `/api/v1/hosts/${bravo.id}`, headers: bearer(ctx.adminToken) })).statusCode, 200)
  await check(t, ctx, homepage, 'host deleted')

  // Package clean-up (a catalogue row removed with its host rows) and a pending host.
  ctx.store.sqlite.prepare('DELETE FROM packages WHERE id = (SELECT package_id FROM host_packages LIMIT 1)').run()
  await createHostViaApi(ctx.app, ctx.adminToken, 'delta')
  await check(t, ctx, homepage, 'package removed, pending host added')
})
