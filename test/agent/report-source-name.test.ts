// The optional per-package sourceName (ours, not the upstream agents'): stored in
// host_packages.source_name when sent, NULL when not; the upstream-shaped report is accepted and
// stored exactly as before; a changed source name counts as a change (digest and row).
import t from 'tap'
import { buildTestApp, type TestApp } from '../helpers/test-app.js'
import { agentReport, createHostViaApi, postReport as report } from '../helpers/agent-fixtures.js'
import { packageSetDigest } from '../../src/hosts/package-set-digest.js'

const sources = (ctx: TestApp, hostId: string) =>
  ctx.store.sqlite
    .prepare(
      `select p.name, hp.source_name from host_packages hp join packages p on p.id = hp.package_id
        where hp.host_id = ? order by p.name`
    )
    .all(hostId) as { name: string; source_name: string | null }[]

const digestOf = (ctx: TestApp, hostId: string) =>
  (ctx.store.sqlite.prepare('select package_set_digest as d from hosts where id = ?').get(hostId) as { d: string | null }).d

// As the upstream Go agent sends them: no sourceName key at all.
const UPSTREAM = [
  { name: 'libssl3', currentVersion: '3.0.11-1~deb12u2', availableVersion: '3.0.13-1~deb12u1', needsUpdate: true, isSecurityUpdate: true },
  { name: 'openssl', currentVersion: '3.0.11-1~deb12u2', needsUpdate: false, isSecurityUpdate: false }
]

t.test('an upstream-shaped report (no sourceName) is stored as before, source names unknown', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'upstream-shaped')
  const payload = agentReport(UPSTREAM) as { repositories?: Parameters<typeof packageSetDigest>[1] }
  const res = await report(ctx, host, payload)
  t.equal(res.statusCode, 200)
  t.equal(res.body, '{"message":"Host updated successfully","packagesProcessed":2,"updatesAvailable":1,"securityUpdates":1}')
  t.same(sources(ctx, host.id), [
    { name: 'libssl3', source_name: null },
    { name: 'openssl', source_name: null }
  ])
  // The digest of a report without the field is the one it had before the field existed: the
  // encoding adds nothing for an absent sourceName (package-set-digest.ts).
  t.equal(digestOf(ctx, host.id), packageSetDigest(UPSTREAM, payload.repositories))
  t.equal(
    packageSetDigest(UPSTREAM, undefined),
    packageSetDigest(
      UPSTREAM.map((p) => ({ ...p, sourceName: null })),
      undefined
    )
  )
})

t.test('sourceName is stored per package; null and empty mean unknown', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'shell-agent')
  const packages = [
    { ...UPSTREAM[0], sourceName: 'openssl' },
    { ...UPSTREAM[1], sourceName: 'openssl' },
    { name: 'libc6', currentVersion: '2.36-9+deb12u4', needsUpdate: false, isSecurityUpdate: false, sourceName: 'glibc' },
    { name: 'tzdata', currentVersion: '2024a-0+deb12u1', needsUpdate: false, isSecurityUpdate: false, sourceName: null },
    { name: 'bash', currentVersion: '5.2.15-2+b2', needsUpdate: false, isSecurityUpdate: false, sourceName: '' }
  ]
  t.equal((await report(ctx, host, agentReport(packages))).statusCode, 200)
  t.same(sources(ctx, host.id), [
    { name: 'bash', source_name: null },
    { name: 'libc6', source_name: 'glibc' },
    { name: 'libssl3', source_name: 'openssl' },
    { name: 'openssl', source_name: 'openssl' },
    { name: 'tzdata', source_name: null }
  ])
  const tooLong = await report(ctx, host, agentReport([{ ...UPSTREAM[1], sourceName: 'x'.repeat(513) }]))
  t.equal(tooLong.statusCode, 400, 'a source name is bounded like the other package fields')
})

t.test('a changed or dropped source name is a change: new digest, row rewritten', async (t) => {
  const ctx = await buildTestApp(t)
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'changing')
  const withSource = (source: string | undefined) =>
    agentReport(UPSTREAM.map((p) => (p.name === 'libssl3' && source !== undefined ? { ...p, sourceName: source } : p)))
  t.equal((await report(ctx, host, withSource('openssl'))).statusCode, 200)
  const first = digestOf(ctx, host.id)
  t.equal((await report(ctx, host, withSource('openssl'))).statusCode, 200)
  t.equal(digestOf(ctx, host.id), first, 'the same report keeps its digest')
  t.equal((await report(ctx, host, withSource('openssl3'))).statusCode, 200)
  t.not(digestOf(ctx, host.id), first, 'another source name: another digest')
  t.equal(sources(ctx, host.id).find((p) => p.name === 'libssl3')?.source_name, 'openssl3')
  t.equal((await report(ctx, host, withSource(undefined))).statusCode, 200)
  t.equal(sources(ctx, host.id).find((p) => p.name === 'libssl3')?.source_name, null, 'not sent any more: unknown again')
})
