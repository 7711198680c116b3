// Repositories across the fleet (issue 20 part 4), from reports sent through the real agent endpoint
// with repositories shaped as the Go agent sends them ({name, url, distribution, components,
// repoType, isEnabled, isSecure}): which hosts use which repository, the insecure flag (plain
// http:// or ftp://, judged from the URL whatever the agent claims), the filters, and host scoping.
import t from 'tap'
import { bearer, buildTestApp, login, type TestApp } from '../helpers/test-app.js'
import { agentReport, createHostViaApi, postReport, type TestHost } from '../helpers/agent-fixtures.js'

const packages = [{ name: 'bash', currentVersion: '5.2.15-2+b2', needsUpdate: false, isSecurityUpdate: false }]
const agentRepo = (url: string, distribution: string, components = 'main', extra: Record<string, unknown> = {}) => ({
  name: `${new URL(url).hostname}-${distribution}`,
  url,
  distribution,
  components,
  repoType: 'deb',
  isEnabled: true,
  isSecure: url.startsWith('https://'),
  ...extra
})

const debian = agentRepo('https://deb.debian.org/debian', 'bookworm', 'main contrib')
const security = agentRepo('https://security.debian.org/debian-security', 'bookworm-security')
const plainMirror = agentRepo('http://mirror.example.net/debian', 'bookworm')
const ftpMirror = agentRepo('ftp://ftp.example.org/debian', 'bookworm')
const upperCase = agentRepo('HTTP://Legacy.Example.com/apt', 'stable')
// A host claiming an http repository is secure: the flag comes from the URL, not from the claim.
const lyingPlain = agentRepo('http://internal.example.com/apt', 'stable', 'main', { isSecure: true })

async function report(ctx: TestApp, host: TestHost, repositories: unknown[]) {
  const res = await postReport(ctx, host, agentReport(packages, { repositories }))
  t.equal(res.statusCode, 200)
}

async function get(ctx: TestApp, url: string, token = ctx.adminToken) {
  const res = await ctx.app.inject({ method: 'GET', url, headers: bearer(token) })
  return {
    status: res.statusCode,
    body: res.json() as Record<string, unknown> & { repositories: Array<Record<string, unknown>>; total: number }
  }
}

t.test('each repository lists the hosts using it, insecure ones flagged and first', async (t) => {
  const ctx = await buildTestApp(t)
  const a = await createHostViaApi(ctx.app, ctx.adminToken, 'alpha')
  const b = await createHostViaApi(ctx.app, ctx.adminToken, 'beta')
  const c = await createHostViaApi(ctx.app, ctx.adminToken, 'gamma')
  await report(ctx, a, [debian, security, plainMirror])
  await report(ctx, b, [debian, security, { ...plainMirror, isEnabled: false }, ftpMirror])
  await report(ctx, c, [debian, upperCase, lyingPlain])

  const all = await get(ctx, '/api/v1/repositories')
  t.equal(all.status, 200)
  t.equal(all.body.total, 6)
  t.same(all.body.counts, { repositories: 6, insecure: 4, hosts_with_insecure: 3 })
  const byUrl = new Map(all.body.repositories.map((r) => [r.url, r]))
  t.match(byUrl.get(debian.url), {
    host_count: 3,
    enabled_host_count: 3,
    insecure: false,
    distribution: 'bookworm',
    components: 'main contrib',
    repo_type: 'deb'
  })
  t.match(byUrl.get(plainMirror.url), { host_count: 2, enabled_host_count: 1, insecure: true })
  t.match(byUrl.get(ftpMirror.url), { host_count: 1, insecure: true }, 'ftp:// is plain text too')
  t.match(byUrl.get(upperCase.url), { insecure: true }, 'the scheme is compared case-insensitively')
  t.match(byUrl.get(lyingPlain.url), { insecure: true }, "an agent's isSecure claim does not clear an http:// URL")
  t.same(
    all.body.repositories.map((r) => r.insecure),
    [true, true, true, true, false, false],
    'insecure first'
  )
  t.equal(all.body.repositories[0]?.url, plainMirror.url, 'then by host count')

  const insecure = await get(ctx, '/api/v1/repositories?insecure_only=true')
  t.equal(insecure.body.total, 4)
  t.ok(insecure.body.repositories.every((r) => r.insecure === true))
  t.same(
    (await get(ctx, '/api/v1/repositories?search=SECURITY')).body.repositories.map((r) => r.url),
    [security.url],
    'search matches URL and suite, case-insensitively'
  )
  t.equal((await get(ctx, '/api/v1/repositories?search=contrib')).body.total, 1, 'and components')

  const detail = await get(ctx, `/api/v1/repositories/${String(byUrl.get(plainMirror.url)?.id)}`)
  t.equal(detail.status, 200)
  t.match(detail.body, {
    repository: { url: plainMirror.url, host_count: 2, insecure: true },
    hosts: [
      { id: a.id, friendly_name: 'alpha', is_enabled: true, is_secure: false },
      { id: b.id, friendly_name: 'beta', is_enabled: false }
    ]
  })
  const missing = await get(ctx, '/api/v1/repositories/no-such-repository')
  t.equal(missing.status, 404)
  t.same(missing.body, { error: 'Repository not found' })

  // The host page flags the same repositories.
  const hostRepos = await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${c.id}/repositories`, headers: bearer(ctx.adminToken) })
  t.same(
    (hostRepos.json().repositories as Array<{ url: string; insecure: boolean; is_secure: boolean }>)
      .map((r) => [r.url, r.insecure, r.is_secure])
      .sort(),
    [
      [debian.url, false, true],
      [upperCase.url, true, false],
      [lyingPlain.url, true, true]
    ].sort()
  )

  // A host that drops a repository no longer counts for it; one nobody uses is not listed.
  await report(ctx, b, [debian, security])
  const after = await get(ctx, '/api/v1/repositories?insecure_only=true')
  t.same(
    after.body.repositories.map((r) => r.url).sort(),
    [plainMirror.url, upperCase.url, lyingPlain.url].sort(),
    'the ftp mirror is gone'
  )
})

t.test('a user limited to a host group sees and counts repositories over their hosts only', async (t) => {
  const ctx = await buildTestApp(t)
  const group = (
    await ctx.app.inject({ method: 'POST', url: '/api/v1/host-groups', headers: bearer(ctx.adminToken), payload: { name: 'mine' } })
  ).json().id as string
  const mine = await createHostViaApi(ctx.app, ctx.adminToken, 'mine-host', [group])
  const theirs = await createHostViaApi(ctx.app, ctx.adminToken, 'their-host')
  await report(ctx, mine, [debian, plainMirror])
  await report(ctx, theirs, [debian, plainMirror, ftpMirror])
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(ctx.adminToken),
    payload: { username: 'limited', password: 'limited-password', role: 'admin', host_group_ids: [group] }
  })
  t.equal(created.statusCode, 201)
  const limited = await login(ctx.app, 'limited', 'limited-password')

  const list = await get(ctx, '/api/v1/repositories', limited)
  t.same(list.body.counts, { repositories: 2, insecure: 1, hosts_with_insecure: 1 })
  t.same(
    list.body.repositories.map((r) => [r.url, r.host_count]),
    [
      [plainMirror.url, 1],
      [debian.url, 1]
    ]
  )
  const admin = await get(ctx, '/api/v1/repositories')
  const ftpId = String(admin.body.repositories.find((r) => r.url === ftpMirror.url)?.id)
  const plainId = String(admin.body.repositories.find((r) => r.url === plainMirror.url)?.id)
  t.equal((await get(ctx, `/api/v1/repositories/${ftpId}`, limited)).status, 404, 'a repository only foreign hosts use is not found')
  const shared = await get(ctx, `/api/v1/repositories/${plainId}`, limited)
  t.match(shared.body, { repository: { host_count: 1 }, hosts: [{ friendly_name: 'mine-host' }] })
  t.notOk(JSON.stringify(shared.body).includes(theirs.id), 'the foreign host is not listed')
})
