// Unchanged reports are recognised by a digest of their package set and repositories, stored on the
// host row with the rows it describes (src/hosts/package-set-digest.ts): such a report does not
// read or compare package rows at all. Any difference in what the rows hold takes the full path.
import t from 'tap'
import { bearer, buildTestApp, type TestApp } from '../helpers/test-app.js'
import { agentReport, createHostViaApi, debianPackages, postReport as report, storedPackages } from '../helpers/agent-fixtures.js'

const digestOf = (ctx: TestApp, hostId: string) =>
  (ctx.store.sqlite.prepare('select package_set_digest as d from hosts where id = ?').get(hostId) as { d: string | null }).d

/** Changes a stored row behind ingest's back: only a full comparison would put it right again. */
const tamper = (ctx: TestApp, hostId: string) =>
  ctx.store.sqlite
    .prepare(
      `update host_packages set current_version = 'tampered' where host_id = ?
        and package_id = (select package_id from host_packages where host_id = ? order by package_id limit 1)`
    )
    .run(hostId, hostId)

const tampered = (ctx: TestApp, hostId: string) => storedPackages(ctx, hostId).filter((p) => p.current_version === 'tampered').length

t.test('an unchanged report is recognised by its digest and reads no package row', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'digest-a')
  const payload = agentReport(debianPackages(300, { updates: 12 }))
  t.equal((await report(ctx, host, payload)).statusCode, 200)
  const digest = digestOf(ctx, host.id)
  t.ok(digest, 'digest stored with the first report')
  tamper(ctx, host.id)
  const again = await report(ctx, host, payload)
  t.equal(again.statusCode, 200)
  t.same(again.json(), {
    message: 'Host updated successfully',
    packagesProcessed: 300,
    updatesAvailable: 12,
    securityUpdates: again.json().securityUpdates
  })
  t.equal(tampered(ctx, host.id), 1, 'the rows were not compared (the tampered row stays)')
  t.equal(digestOf(ctx, host.id), digest)
  const history = await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}`, headers: bearer(ctx.adminToken) })
  t.equal(history.json().total_packages, 300, 'the host row still carries the counts')
})

t.test('one changed package, a changed description or changed repositories take the full path', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'digest-b')
  const packages = debianPackages(100, { updates: 4 })
  const repositories = [{ name: 'main', url: 'http://deb.debian.org/debian', distribution: 'trixie', components: 'main', repoType: 'deb' }]
  await report(ctx, host, agentReport(packages, { repositories }))
  const variants: [string, Record<string, unknown>][] = [
    [
      'a version',
      agentReport(
        packages.map((p, i) => (i === 50 ? { ...p, currentVersion: `${p.currentVersion}+1` } : p)),
        { repositories }
      )
    ],
    [
      'a description',
      agentReport(
        packages.map((p, i) => (i === 50 ? { ...p, description: 'now described' } : p)),
        { repositories }
      )
    ],
    ['the repositories', agentReport(packages, { repositories: [{ ...repositories[0], isEnabled: false }] })],
    ['no repositories sent', agentReport(packages, { repositories: null })]
  ]
  let previous = digestOf(ctx, host.id)
  for (const [what, payload] of variants) {
    tamper(ctx, host.id)
    t.equal((await report(ctx, host, payload)).statusCode, 200)
    t.equal(tampered(ctx, host.id), 0, `${what}: full comparison repaired the tampered row`)
    t.not(digestOf(ctx, host.id), previous, `${what}: a new digest`)
    previous = digestOf(ctx, host.id)
  }
  const repos = ctx.store.sqlite.prepare('select is_enabled from host_repositories where host_id = ?').all(host.id) as {
    is_enabled: number
  }[]
  t.same(repos, [{ is_enabled: 0 }], 'the repository change was written and kept when none were sent')
})

t.test('a host without a digest (before migration 0015 or after a restore) takes the full path', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'digest-c')
  const payload = agentReport(debianPackages(50, { updates: 2 }))
  await report(ctx, host, payload)
  const digest = digestOf(ctx, host.id)
  ctx.store.sqlite.prepare('update hosts set package_set_digest = null where id = ?').run(host.id)
  tamper(ctx, host.id)
  t.equal((await report(ctx, host, payload)).statusCode, 200)
  t.equal(tampered(ctx, host.id), 0, 'rows compared and repaired')
  t.equal(digestOf(ctx, host.id), digest, 'the same set gives the same digest')
})
