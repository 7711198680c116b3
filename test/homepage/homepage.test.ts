import t from 'tap'
import { bearer, buildTestApp } from '../helpers/test-app.js'
import { apiCredential, basic, homepageCredential, seedHost } from '../integration-api/fleet-fixture.js'

const STATS = '/api/v1/gethomepage/stats'

t.test('stats on an empty fleet: zeros, "None" for the top OS fields, ISO last_updated, no error key', async (t) => {
  const ctx = await buildTestApp(t)
  const cred = await homepageCredential(ctx)
  const res = await ctx.app.inject({ method: 'GET', url: STATS, headers: basic(cred.key, cred.secret) })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.match(body, {
    total_hosts: 0,
    total_outdated_packages: 0,
    total_repos: 0,
    hosts_needing_updates: 0,
    up_to_date_hosts: 0,
    security_updates: 0,
    hosts_with_security_updates: 0,
    recent_updates_24h: 0,
    reboot_required_hosts: 0,
    os_distribution: [],
    top_os_1_name: 'None',
    top_os_1_count: 0,
    top_os_2_name: 'None',
    top_os_2_count: 0,
    top_os_3_name: 'None',
    top_os_3_count: 0
  })
  t.ok(!Number.isNaN(Date.parse(body.last_updated)) && body.last_updated.endsWith('Z'))
  t.notOk('error' in body)
})

t.test('stats field by field on a mixed fleet', async (t) => {
  const ctx = await buildTestApp(t)
  const pkgs = (outdated: number, security: number, upToDate: number) => [
    ...Array.from({ length: security }, (_, i) => ({ name: `sec-${i}`, current: '1', available: '2', security: true })),
    ...Array.from({ length: outdated - security }, (_, i) => ({ name: `upd-${i}`, current: '1', available: '2' })),
    ...Array.from({ length: upToDate }, (_, i) => ({ name: `ok-${i}`, current: '1' }))
  ]
  // Active Ubuntu x3 (two versions), Debian x2, Rocky x1; one pending host; one active host without package data.
  await seedHost(ctx, {
    friendlyName: 'u1',
    osType: 'Ubuntu',
    osVersion: '22.04',
    packages: pkgs(3, 1, 5),
    repos: 2,
    needsReboot: true,
    reports: [
      { status: 'success', hoursAgo: 1 },
      { status: 'success', hoursAgo: 2 },
      { status: 'error', hoursAgo: 1 },
      { status: 'success', hoursAgo: 25 }
    ]
  })
  await seedHost(ctx, {
    friendlyName: 'u2',
    osType: 'Ubuntu',
    osVersion: '22.04',
    packages: pkgs(0, 0, 4),
    reports: [{ status: 'success', hoursAgo: 5 }]
  })
  await seedHost(ctx, { friendlyName: 'u3', osType: 'Ubuntu', osVersion: '24.04', packages: pkgs(2, 2, 1), needsReboot: true })
  await seedHost(ctx, { friendlyName: 'd1', osType: 'Debian', osVersion: '12', packages: pkgs(1, 0, 3), repos: 1 })
  await seedHost(ctx, { friendlyName: 'd2', osType: 'Debian', osVersion: '12', packages: [] })
  await seedHost(ctx, { friendlyName: 'r1', osType: 'Rocky Linux', osVersion: '9', packages: pkgs(0, 0, 2) })
  await seedHost(ctx, { friendlyName: 'p1', osType: 'Alpine', status: 'pending', packages: pkgs(4, 4, 0), needsReboot: true })
  await ctx.store.db
    .updateTable('repositories')
    .set({ is_active: 0 })
    .where('id', 'in', ctx.store.db.selectFrom('repositories').select('id').limit(1))
    .execute()

  const cred = await homepageCredential(ctx)
  const body = (await ctx.app.inject({ method: 'GET', url: `${STATS}/`, headers: basic(cred.key, cred.secret) })).json()
  t.equal(body.total_hosts, 6, 'active hosts only')
  t.equal(body.hosts_needing_updates, 3, 'u1, u3, d1')
  t.equal(body.up_to_date_hosts, 2, 'u2 and r1; d2 has no package data, p1 is pending')
  t.equal(body.security_updates, 1 + 2 + 4, 'per-host security counts summed over all hosts')
  t.equal(body.hosts_with_security_updates, 2, 'u1 and u3 among active hosts')
  t.equal(body.total_outdated_packages, 3 + 2 + 1 + 4, 'per-host outdated counts summed')
  t.equal(body.total_repos, 2, 'active repositories')
  t.equal(body.recent_updates_24h, 3, 'successful reports in the last 24 h')
  t.equal(body.reboot_required_hosts, 2, 'active hosts needing a reboot')
  t.equal(body.awaiting_data_hosts, 1, 'd2')
  t.same(body.os_distribution, [
    { name: 'Ubuntu', count: 3, os_type: 'linux', os_version: '22.04' },
    { name: 'Debian', count: 2, os_type: 'linux', os_version: '12' },
    { name: 'Rocky Linux', count: 1, os_type: 'linux', os_version: '9' }
  ])
  t.match(body, {
    top_os_1_name: 'Ubuntu',
    top_os_1_count: 3,
    top_os_2_name: 'Debian',
    top_os_2_count: 2,
    top_os_3_name: 'Rocky Linux',
    top_os_3_count: 1
  })
})

t.test('health names the credential; the chain errors apply; a deleted key is 401', async (t) => {
  const ctx = await buildTestApp(t)
  const cred = await homepageCredential(ctx)
  const health = await ctx.app.inject({ method: 'GET', url: '/api/v1/gethomepage/health', headers: basic(cred.key, cred.secret) })
  t.equal(health.statusCode, 200)
  t.equal(health.json().status, 'ok')
  t.equal(health.json().api_key, 'GetHomepage dashboard')
  t.ok(!Number.isNaN(Date.parse(health.json().timestamp)))
  const missing = await ctx.app.inject({ method: 'GET', url: STATS })
  t.same(missing.json(), { error: 'Missing or invalid authorization header' })
  const api = await apiCredential(ctx)
  t.same((await ctx.app.inject({ method: 'GET', url: STATS, headers: basic(api.key, api.secret) })).json(), {
    error: 'Invalid API key type'
  })
  const limited = await homepageCredential(ctx, { allowed_ip_ranges: ['10.0.0.0/8'] })
  const outside = await ctx.app.inject({
    method: 'GET',
    url: STATS,
    headers: basic(limited.key, limited.secret),
    remoteAddress: '192.168.0.9'
  })
  t.equal(outside.statusCode, 403)
  t.same(outside.json(), { error: 'IP address not allowed' })
  await ctx.app.inject({ method: 'DELETE', url: `/api/v1/auto-enrollment/tokens/${cred.id}`, headers: bearer(ctx.adminToken) })
  const deleted = await ctx.app.inject({ method: 'GET', url: STATS, headers: basic(cred.key, cred.secret) })
  t.equal(deleted.statusCode, 401)
  t.same(deleted.json(), { error: 'Invalid API key' })
})

t.test('gethomepage routes have their own rate-limit bucket with Retry-After', async (t) => {
  const ctx = await buildTestApp(t, { env: { GETHOMEPAGE_RATE_LIMIT_MAX: '3' } })
  const cred = await homepageCredential(ctx)
  const api = await apiCredential(ctx)
  const statuses: number[] = []
  for (let i = 0; i < 4; i++)
    statuses.push((await ctx.app.inject({ method: 'GET', url: STATS, headers: basic(cred.key, cred.secret) })).statusCode)
  t.same(statuses, [200, 200, 200, 429])
  const limited = await ctx.app.inject({ method: 'GET', url: STATS, headers: basic(cred.key, cred.secret) })
  t.equal(limited.statusCode, 429)
  t.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After set')
  t.equal(limited.json().message, 'Too many requests. Try again later.')
  const other = await ctx.app.inject({ method: 'GET', url: '/api/v1/api/hosts', headers: basic(api.key, api.secret) })
  t.equal(other.statusCode, 200, 'the Integration API is not charged to the gethomepage bucket')
})
