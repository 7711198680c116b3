// issue 20 part 1: feeds imported through the dashboard upload, matched against a fleet of one host
// per distro family, shown fleet-wide, per host and per package; incremental re-import; exposure
// following a report; the upload's limits.
import t from 'tap'
import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { bearer, buildTestApp, login } from '../helpers/test-app.js'
import { collectReportData } from '../../src/reports/report-data.js'
import { reportCsv, reportHtml } from '../../src/reports/report-render.js'
import { agentReport, postReport } from '../helpers/agent-fixtures.js'
import { feedFolder, writeText } from './feeds/feed-files.js'
import { createFleet, DEBIAN_PACKAGES, uploadFeed, writeKevJson, writeOsvZip } from './vulnerability-fixtures.js'

interface HostVuln {
  cve_id: string
  package_name: string
  fixed_version: string | null
  fix_status: string
  known_exploited: boolean
  severity: string
}

t.test('an uploaded OSV dump exposes each distro family by its own version order', async (t) => {
  const ctx = await buildTestApp(t)
  const fleet = await createFleet(ctx)
  const dir = feedFolder(t)
  const result = await uploadFeed(ctx, await writeOsvZip(dir), 'all.zip')
  t.equal(result.status, 'completed', result.error_message ?? '')
  t.equal(result.added, 4, 'four advisories added')

  const hostVulns = async (hostId: string) => {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/vulnerabilities/hosts/${hostId}`, headers: bearer(ctx.adminToken) })
    t.equal(res.statusCode, 200)
    return (res.json() as { vulnerabilities: HostVuln[] }).vulnerabilities
  }

  const debian = await hostVulns(fleet.debian.id)
  t.match(debian, [{ cve_id: 'CVE-2024-6387', package_name: 'openssh', fixed_version: '1:9.2p1-2+deb12u3', fix_status: 'available' }])
  t.equal(debian.length, 1, 'bash is not affected')

  const ubuntu = await hostVulns(fleet.ubuntu.id)
  t.match(ubuntu, [{ cve_id: 'CVE-2023-4911', package_name: 'glibc', fixed_version: '2.35-0ubuntu3.4', fix_status: 'not_installable' }])

  const alma = await hostVulns(fleet.alma.id)
  t.same(alma.map((v) => v.cve_id).sort(), ['CVE-2023-4408', 'CVE-2023-5517'], 'bind.x86_64 matches bind, both CVEs of the ALSA')
  t.ok(alma.every((v) => v.fixed_version === '32:9.16.23-14.el9_3.4' && v.fix_status === 'not_installable'))

  t.same(await hostVulns(fleet.alpine.id), [], 'the Alpine host already runs the fixed version')

  const fleetRes = await ctx.app.inject({ method: 'GET', url: '/api/v1/vulnerabilities', headers: bearer(ctx.adminToken) })
  const body = fleetRes.json() as { cves: { cve_id: string; host_count: number; packages: string[] }[]; total: number }
  t.equal(body.total, 4)
  t.match(
    body.cves.find((c) => c.cve_id === 'CVE-2024-6387'),
    { host_count: 1, packages: ['openssh'] }
  )

  const search = await ctx.app.inject({ method: 'GET', url: '/api/v1/vulnerabilities?search=4911', headers: bearer(ctx.adminToken) })
  t.same(
    (search.json() as { cves: { cve_id: string }[] }).cves.map((c) => c.cve_id),
    ['CVE-2023-4911']
  )

  const cve = await ctx.app.inject({ method: 'GET', url: '/api/v1/vulnerabilities/cves/CVE-2024-6387', headers: bearer(ctx.adminToken) })
  t.match(cve.json(), { cve_id: 'CVE-2024-6387', known_exploited: null, hosts: [{ host_id: fleet.debian.id, friendly_name: 'deb-web' }] })

  const unknown = await ctx.app.inject({
    method: 'GET',
    url: '/api/v1/vulnerabilities/cves/CVE-1999-0001',
    headers: bearer(ctx.adminToken)
  })
  t.equal(unknown.statusCode, 404, 'a CVE no feed knows')
  const pkg = await ctx.app.inject({ method: 'GET', url: '/api/v1/vulnerabilities/packages/openssh', headers: bearer(ctx.adminToken) })
  t.match(pkg.json(), { cves: [{ cve_id: 'CVE-2024-6387', host_count: 1, hosts_with_fix_available: 1 }] })
})

t.test("the Packages screen's counts: none before a feed, then per package over the user's host groups", async (t) => {
  const ctx = await buildTestApp(t)
  const fleet = await createFleet(ctx)
  const counts = async (token: string, names: string) => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/vulnerabilities/package-counts?names=${encodeURIComponent(names)}`,
      headers: bearer(token)
    })
    t.equal(res.statusCode, 200)
    return res.json() as { feed_imported: boolean; packages: { name: string; open_cves: number; known_exploited: boolean }[] }
  }
  t.same(await counts(ctx.adminToken, 'openssh,glibc,bash'), { feed_imported: false, packages: [] }, 'no claim before a feed')

  const dir = feedFolder(t)
  await uploadFeed(ctx, await writeOsvZip(dir), 'all.zip')
  await uploadFeed(ctx, writeKevJson(dir, ['CVE-2024-6387']), 'kev.json')
  const all = await counts(ctx.adminToken, 'openssh,glibc,bash,openssh')
  t.same(
    all.packages.sort((a, b) => a.name.localeCompare(b.name)),
    [
      { name: 'glibc', open_cves: 1, known_exploited: false },
      { name: 'openssh', open_cves: 1, known_exploited: true }
    ],
    'bash has none; a repeated name counts once'
  )
  t.equal(all.feed_imported, true)

  // A user limited to a group holding only the Debian host sees no count from the Ubuntu host.
  const group = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/host-groups',
    headers: bearer(ctx.adminToken),
    payload: { name: 'debian-only' }
  })
  const groupId = (group.json() as { id: string }).id
  const member = await ctx.app.inject({
    method: 'PUT',
    url: `/api/v1/hosts/${fleet.debian.id}/groups`,
    headers: bearer(ctx.adminToken),
    payload: { host_group_ids: [groupId] }
  })
  t.equal(member.statusCode, 200)
  const user = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(ctx.adminToken),
    payload: { username: 'limited', password: 'limited-password', role: 'admin', host_group_ids: [groupId] }
  })
  t.equal(user.statusCode, 201, user.body)
  const limited = await login(ctx.app, 'limited', 'limited-password')
  t.same((await counts(limited, 'openssh,glibc')).packages, [{ name: 'openssh', open_cves: 1, known_exploited: true }])
})

t.test('a re-import of the same feed changes nothing; a changed advisory is updated', async (t) => {
  const ctx = await buildTestApp(t)
  await createFleet(ctx)
  const dir = feedFolder(t)
  const zip = await writeOsvZip(dir)
  t.match(await uploadFeed(ctx, zip, 'all.zip'), { status: 'completed', added: 4 })
  t.match(await uploadFeed(ctx, zip, 'all.zip'), { status: 'completed', added: 0, updated: 0, unchanged: 4 })
  const list = await ctx.app.inject({ method: 'GET', url: '/api/v1/vulnerabilities/imports', headers: bearer(ctx.adminToken) })
  t.equal((list.json() as { imports: unknown[] }).imports.length, 2, 'both imports are in the history')
})

t.test('known-exploited CVEs are flagged and filterable', async (t) => {
  const ctx = await buildTestApp(t)
  const fleet = await createFleet(ctx)
  const dir = feedFolder(t)
  await uploadFeed(ctx, await writeOsvZip(dir), 'all.zip')
  t.match(await uploadFeed(ctx, writeKevJson(dir, ['CVE-2024-6387', 'CVE-2021-44228']), 'kev.json'), { status: 'completed', added: 2 })
  const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/vulnerabilities?known_exploited=true', headers: bearer(ctx.adminToken) })
  const cves = (res.json() as { cves: { cve_id: string; known_exploited: boolean }[] }).cves
  t.same(
    cves.map((c) => c.cve_id),
    ['CVE-2024-6387'],
    'only the exposed known-exploited CVE'
  )
  const host = await ctx.app.inject({
    method: 'GET',
    url: `/api/v1/vulnerabilities/hosts/${fleet.debian.id}`,
    headers: bearer(ctx.adminToken)
  })
  t.match((host.json() as { vulnerabilities: HostVuln[] }).vulnerabilities, [{ cve_id: 'CVE-2024-6387', known_exploited: true }])
})

t.test('a report that upgrades the package ends the exposure; a downgrade brings it back', async (t) => {
  const ctx = await buildTestApp(t)
  const fleet = await createFleet(ctx)
  await uploadFeed(ctx, await writeOsvZip(feedFolder(t)), 'all.zip')
  const exposed = async () => {
    await ctx.app.vulnerabilityExposure.settled()
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/vulnerabilities/hosts/${fleet.debian.id}`,
      headers: bearer(ctx.adminToken)
    })
    return (res.json() as { vulnerabilities: HostVuln[] }).vulnerabilities.map((v) => v.cve_id)
  }
  t.same(await exposed(), ['CVE-2024-6387'])
  const upgraded = [
    { ...DEBIAN_PACKAGES[0], currentVersion: '1:9.2p1-2+deb12u3', availableVersion: undefined, needsUpdate: false },
    DEBIAN_PACKAGES[1]
  ]
  t.equal((await postReport(ctx, fleet.debian, agentReport(upgraded))).statusCode, 200)
  t.same(await exposed(), [], 'the fixed version is installed')
  t.equal((await postReport(ctx, fleet.debian, agentReport(DEBIAN_PACKAGES))).statusCode, 200)
  t.same(await exposed(), ['CVE-2024-6387'], 'the old version is back')
})

t.test('upload refusals: not a feed, empty, too large, unknown import', async (t) => {
  const ctx = await buildTestApp(t)
  const dir = feedFolder(t)
  const bad = await uploadFeed(ctx, writeText(`${dir}/notes.txt`, 'hello, this is not a feed'), 'notes.txt')
  t.equal(bad.status, 'failed')
  t.match(bad.error_message, /notes\.txt/, 'the failure names the file')

  const empty = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/vulnerabilities/imports',
    headers: { ...bearer(ctx.adminToken), 'content-type': 'application/octet-stream' },
    payload: ''
  })
  t.equal(empty.statusCode, 400)
  t.match(empty.json(), { error: 'The upload is empty: send the feed file as the request body' })

  const missing = await ctx.app.inject({ method: 'GET', url: '/api/v1/vulnerabilities/imports/nope', headers: bearer(ctx.adminToken) })
  t.equal(missing.statusCode, 404)

  const user = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/vulnerabilities/imports',
    headers: { 'content-type': 'application/octet-stream' },
    payload: 'x'
  })
  t.equal(user.statusCode, 401, 'no anonymous uploads')

  // A declared size over the limit is refused before a byte of the body is read.
  await ctx.app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = ctx.app.server.address() as AddressInfo
  const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/v1/vulnerabilities/imports',
        headers: { ...bearer(ctx.adminToken), 'content-type': 'application/zip', 'content-length': String(4 * 1024 * 1024 * 1024) }
      },
      (res) => {
        let body = ''
        res.on('data', (c: Buffer) => (body += c.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      }
    )
    req.on('error', reject)
    req.write('PK')
  })
  t.equal(reply.status, 413)
  t.match(JSON.parse(reply.body), { error: 'Feed file too large', message: /patchmon cve import/ })
})

t.test('a scheduled report can include the CVE section (opt-in)', async (t) => {
  const ctx = await buildTestApp(t)
  await createFleet(ctx)
  await uploadFeed(ctx, await writeOsvZip(feedFolder(t)), 'all.zip')
  const data = await collectReportData(ctx.store.db, ['top_cves'])
  t.equal(data.top_cves?.length, 4)
  t.match(
    reportHtml('Weekly', ['top_cves'], data, new Date()),
    /CVEs exposing the most hosts[\s\S]*CVE-2024-6387: 1 host, fix available now on 1/
  )
  t.match(reportCsv(['top_cves'], data), /top_cve,CVE-2024-6387,1/)
  t.notOk((await collectReportData(ctx.store.db, ['hosts_by_updates'])).top_cves, 'absent unless chosen')
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/scheduled-reports',
    headers: bearer(ctx.adminToken),
    payload: { name: 'CVEs', frequency: 'daily', time: '08:00', sections: ['top_cves', 'open_alerts'], destination_ids: [] }
  })
  t.not(created.statusCode, 500)
  t.notMatch(created.body, /sections must list/, 'top_cves is an accepted section')
})
