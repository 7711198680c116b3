// Feeds name source packages; hosts report binary packages. A package whose agent sent its source
// name (our shell agent) is matched through it: Debian `libssl3` from `openssl`, Alma
// `openssl-libs.x86_64` from `openssl`. Without a source name (the upstream agents) only a binary named
// like its source matches, as before. Exposure rows name the binary package the host has.
import t from 'tap'
import { join } from 'node:path'
import { bearer, buildTestApp, type TestApp } from '../helpers/test-app.js'
import { agentReport, createHostViaApi, postReport, type TestHost } from '../helpers/agent-fixtures.js'
import { feedFolder, writeZip } from './feeds/feed-files.js'
import { uploadFeed } from './vulnerability-fixtures.js'

const DEBIAN_OPENSSL = {
  id: 'DEBIAN-CVE-2024-5535',
  modified: '2024-07-01T00:00:00Z',
  upstream: ['CVE-2024-5535'],
  details: 'SSL_select_next_proto buffer overread.',
  affected: [
    {
      package: { ecosystem: 'Debian:12', name: 'openssl', purl: 'pkg:deb/debian/openssl?arch=source' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.14-1~deb12u1' }] }]
    }
  ],
  schema_version: '1.7.0'
}

const ALMA_OPENSSL = {
  id: 'ALSA-2024:9999',
  modified: '2024-08-01T00:00:00Z',
  aliases: ['CVE-2024-5535'],
  summary: 'Moderate: openssl security update',
  database_specific: { severity: 'Moderate' },
  affected: [
    {
      package: { ecosystem: 'AlmaLinux:9', name: 'openssl' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:3.0.7-28.el9_4' }] }]
    }
  ]
}

const pkg = (name: string, currentVersion: string, sourceName?: string) => ({
  name,
  currentVersion,
  needsUpdate: false,
  isSecurityUpdate: false,
  ...(sourceName ? { sourceName } : {})
})

async function host(ctx: TestApp, name: string, osType: string, osVersion: string, packages: unknown[]): Promise<TestHost> {
  const created = await createHostViaApi(ctx.app, ctx.adminToken, name)
  const res = await postReport(ctx, created, agentReport(packages, { osType, osVersion }))
  if (res.statusCode !== 200) throw new Error(`report for ${name}: ${res.statusCode} ${res.body}`)
  return created
}

async function exposedPackages(ctx: TestApp, hostId: string): Promise<string[]> {
  await ctx.app.vulnerabilityExposure.settled()
  const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/vulnerabilities/hosts/${hostId}`, headers: bearer(ctx.adminToken) })
  const rows = (res.json() as { vulnerabilities: { cve_id: string; package_name: string }[] }).vulnerabilities
  return rows.map((r) => `${r.package_name} ${r.cve_id}`).sort()
}

t.test('a binary package is matched through the source name its agent reported', async (t) => {
  const ctx = await buildTestApp(t)
  const deb = '3.0.11-1~deb12u2'
  const shellAgent = await host(ctx, 'deb-shell', 'Debian GNU/Linux', '12 (bookworm)', [
    pkg('libssl3', deb, 'openssl'),
    pkg('openssl', deb, 'openssl'),
    pkg('libc6', '2.36-9+deb12u4', 'glibc')
  ])
  const upstreamAgent = await host(ctx, 'deb-upstream', 'Debian GNU/Linux', '12 (bookworm)', [pkg('libssl3', deb), pkg('openssl', deb)])
  const alma = await host(ctx, 'alma-shell', 'AlmaLinux', '9.4 (Seafoam Ocelot)', [
    pkg('openssl-libs.x86_64', '1:3.0.7-27.el9', 'openssl'),
    pkg('openssl-libs.i686', '1:3.0.7-28.el9_4', 'openssl')
  ])
  const zip = join(feedFolder(t), 'all.zip')
  await writeZip(zip, [
    [`${DEBIAN_OPENSSL.id}.json`, JSON.stringify(DEBIAN_OPENSSL)],
    [`${ALMA_OPENSSL.id}.json`, JSON.stringify(ALMA_OPENSSL)]
  ])
  await uploadFeed(ctx, zip, 'all.zip')

  t.same(
    await exposedPackages(ctx, shellAgent.id),
    ['libssl3 CVE-2024-5535', 'openssl CVE-2024-5535'],
    'libssl3 through its source openssl, named as the host has it'
  )
  t.same(
    await exposedPackages(ctx, upstreamAgent.id),
    ['openssl CVE-2024-5535'],
    'no source name reported: only the binary named like its source (the lower bound)'
  )
  t.same(
    await exposedPackages(ctx, alma.id),
    ['openssl-libs.x86_64 CVE-2024-5535'],
    'rpm: through the SOURCERPM name; the package already at the fixed version is not exposed'
  )

  const cve = await ctx.app.inject({ method: 'GET', url: '/api/v1/vulnerabilities/cves/CVE-2024-5535', headers: bearer(ctx.adminToken) })
  t.equal(cve.statusCode, 200)
  t.match(cve.body, 'deb-upstream')

  // A report from the upstream agent replacing ours drops the source names: back to the binary rule.
  t.equal(
    (
      await postReport(
        ctx,
        shellAgent,
        agentReport([pkg('libssl3', deb), pkg('openssl', deb)], { osType: 'Debian GNU/Linux', osVersion: '12 (bookworm)' })
      )
    ).statusCode,
    200
  )
  t.same(await exposedPackages(ctx, shellAgent.id), ['openssl CVE-2024-5535'])
})
