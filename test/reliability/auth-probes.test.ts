// Authentication probes: every credential type used where another is expected, credentials that
// were disabled, expired or deleted, sessions of users whose role lacks the permission, and clients
// outside IP allow-lists (v4-mapped v6, X-Forwarded-For spoofing with and without TRUST_PROXY).
// Every probe must get exactly its documented status and body, and none may succeed. Positive
// controls prove the same credentials work where they belong, so a refusal is not an accident.
import t from 'tap'
import type { AddressInfo } from 'node:net'
import type { InjectOptions } from 'fastify'
import { bearer, buildTestApp, login, userWithRole } from '../helpers/test-app.js'
import { agentHeaders, createHostViaApi, type TestHost } from '../helpers/agent-fixtures.js'
import { BUILTIN_ROLES, type Permission } from '../../src/users/permissions.js'
import { judge, reportProbes, runProbes, type Expected, type Probe, type ProbeOutcome } from './probe-table.js'
import {
  admin,
  API,
  asAgent,
  asEnrollment,
  basic,
  claimsOf,
  credential,
  E,
  ENROLL,
  enroll,
  err,
  get,
  HOMEPAGE,
  OUTSIDE,
  PING,
  post,
  report,
  signJwt,
  UNLIMITED,
  UPDATE,
  type CredentialType,
  type Credential
} from './auth-probe-fixtures.js'

const totals = { probes: 0, succeeded: 0, mismatched: 0 }
const count = (outcomes: ProbeOutcome[]) => {
  totals.probes += outcomes.length
  totals.succeeded += outcomes.filter((o) => o.succeeded).length
  totals.mismatched += outcomes.filter((o) => !o.matched).length
  return outcomes
}

t.test('credentials of one type are refused wherever another type is expected', async (t) => {
  const ctx = await buildTestApp(t, { env: UNLIMITED })
  const host: TestHost = await createHostViaApi(ctx.app, ctx.adminToken, 'probe-host')
  const hostCred: Credential = { id: host.id, key: host.apiId, secret: host.apiKey }
  const api = await credential(ctx, 'api')
  const homepage = await credential(ctx, 'gethomepage')
  const proxmox = await credential(ctx, 'proxmox-lxc')
  const direct = await credential(ctx, 'direct-host')
  const probes: Probe[] = [
    get('agent X-API-ID/KEY on Integration API', API, asAgent(hostCred), E.noBasic),
    get('agent key as Basic on Integration API', API, basic(hostCred), E.unknownKey),
    get('agent X-API-ID/KEY on gethomepage', HOMEPAGE, asAgent(hostCred), E.noBasic),
    get('agent key as Basic on gethomepage', HOMEPAGE, basic(hostCred), E.unknownKey),
    enroll('agent key as X-Auto-Enrollment on enroll', asEnrollment(host.apiId, host.apiKey), E.enrollInvalid),
    get('gethomepage Basic on Integration API', API, basic(homepage), E.wrongType),
    post('gethomepage key as agent on ping', PING, asAgent(homepage), '{}', E.agentInvalid),
    post('gethomepage key as agent on report', UPDATE, asAgent(homepage), report, E.agentInvalid),
    get('api Basic on gethomepage', HOMEPAGE, basic(api), E.wrongType),
    post('api key as agent on report', UPDATE, asAgent(api), report, E.agentInvalid),
    enroll('api as X-Auto-Enrollment on enroll', asEnrollment(api.key, api.secret), E.enrollWrongType),
    enroll('gethomepage as X-Auto-Enrollment on enroll', asEnrollment(homepage.key, homepage.secret), E.enrollWrongType),
    get(
      'api key+secret in the enrollment script URL',
      `/api/v1/auto-enrollment/script?type=proxmox-lxc&token_key=${api.key}&token_secret=${api.secret}`,
      {},
      E.enrollWrongType
    ),
    get('proxmox-lxc as Basic on Integration API', API, basic(proxmox), E.wrongType),
    get('direct-host as Basic on Integration API', API, basic(direct), E.wrongType),
    get('proxmox-lxc as Basic on gethomepage', HOMEPAGE, basic(proxmox), E.wrongType),
    post('proxmox-lxc as agent on ping', PING, asAgent(proxmox), '{}', E.agentInvalid),
    post('direct-host as agent on report', UPDATE, asAgent(direct), report, E.agentInvalid),
    post('admin JWT on agent report', UPDATE, bearer(ctx.adminToken), report, E.agentRequired),
    get('admin JWT on Integration API', API, bearer(ctx.adminToken), E.noBasic),
    get('api Basic on an admin route', '/api/v1/users', basic(api), err(401, 'Unauthorized')),
    get('agent X-API-ID/KEY on an admin route', '/api/v1/hosts', asAgent(hostCred), err(401, 'Unauthorized'))
  ]
  reportProbes(t, 'cross-type', count(await runProbes(ctx.app, probes)))

  // Controls: each credential works where it belongs (so the refusals above are about the type).
  const ok = async (name: string, request: InjectOptions, status: number) =>
    t.equal((await ctx.app.inject(request)).statusCode, status, `control: ${name}`)
  await ok('agent report', { method: 'POST', url: UPDATE, headers: agentHeaders(host), payload: report }, 200)
  await ok('api on Integration API', { method: 'GET', url: API, headers: basic(api) }, 200)
  await ok('gethomepage on gethomepage', { method: 'GET', url: HOMEPAGE, headers: basic(homepage) }, 200)
  await ok(
    'proxmox-lxc enrolls',
    { method: 'POST', url: ENROLL, headers: asEnrollment(proxmox.key, proxmox.secret), payload: { friendly_name: 'ok-enrolled' } },
    201
  )
  const hosts = await ctx.store.db.selectFrom('hosts').select('friendly_name').execute()
  t.same(hosts.map((h) => h.friendly_name).sort(), ['ok-enrolled', 'probe-host'], 'no probe created a host')
})

t.test('disabled, expired and deleted credentials of every type are refused', async (t) => {
  const ctx = await buildTestApp(t, { env: UNLIMITED })
  const past = { expires_at: '2020-01-01T00:00:00Z' }
  const probes: Probe[] = []
  const base: [CredentialType, string][] = [
    ['api', API],
    ['gethomepage', HOMEPAGE]
  ]
  for (const [type, url] of base) {
    const disabled = await credential(ctx, type)
    await admin(ctx, 'PATCH', `/api/v1/auto-enrollment/tokens/${disabled.id}`, { is_active: false })
    const deleted = await credential(ctx, type)
    await admin(ctx, 'DELETE', `/api/v1/auto-enrollment/tokens/${deleted.id}`)
    probes.push(
      get(`disabled ${type}`, url, basic(disabled), E.disabled),
      get(`expired ${type}`, url, basic(await credential(ctx, type, past)), E.expired),
      get(`deleted ${type}`, url, basic(deleted), E.unknownKey)
    )
  }
  for (const type of ['proxmox-lxc', 'direct-host'] as const) {
    const disabled = await credential(ctx, type)
    await admin(ctx, 'PATCH', `/api/v1/auto-enrollment/tokens/${disabled.id}`, { is_active: false })
    const deleted = await credential(ctx, type)
    await admin(ctx, 'DELETE', `/api/v1/auto-enrollment/tokens/${deleted.id}`)
    const expired = await credential(ctx, type, past)
    probes.push(
      enroll(`disabled ${type} on enroll`, asEnrollment(disabled.key, disabled.secret), E.enrollInvalid),
      enroll(`expired ${type} on enroll`, asEnrollment(expired.key, expired.secret), E.enrollExpired),
      enroll(`deleted ${type} on enroll`, asEnrollment(deleted.key, deleted.secret), E.enrollInvalid)
    )
  }
  const deletedHost = await createHostViaApi(ctx.app, ctx.adminToken, 'deleted-host')
  await admin(ctx, 'DELETE', `/api/v1/hosts/${deletedHost.id}`)
  const rotated = await createHostViaApi(ctx.app, ctx.adminToken, 'rotated-host')
  await admin(ctx, 'POST', `/api/v1/hosts/${rotated.id}/regenerate-credentials`)
  probes.push(
    post('deleted host: ping', PING, agentHeaders(deletedHost), '{}', E.agentInvalid),
    post('deleted host: report', UPDATE, agentHeaders(deletedHost), report, E.agentInvalid),
    post('regenerated host, old key: report', UPDATE, agentHeaders(rotated), report, E.agentInvalid)
  )

  // Sessions: expired, signed out, user disabled, user deleted, forged signature.
  const readonly = await userWithRole(ctx, 'readonly', 'probe-reader')
  const claims = claimsOf(readonly)
  const now = Math.floor(Date.now() / 1000)
  const expiredJwt = signJwt(ctx.config.jwtSecret, { ...claims, iat: now - 7200, exp: now - 3600 })
  const forged = signJwt('not-the-server-key-not-the-server-key', { ...claims, exp: now + 3600 })
  const signedOut = await login(ctx.app, 'probe-reader', 'probe-reader-password')
  await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(signedOut) })
  const disabledUser = await userWithRole(ctx, 'readonly', 'probe-disabled')
  const deletedUser = await userWithRole(ctx, 'readonly', 'probe-deleted')
  const idOf = (token: string) => claimsOf(token).sub as string
  await admin(ctx, 'PUT', `/api/v1/users/${idOf(disabledUser)}`, { is_active: false })
  await admin(ctx, 'DELETE', `/api/v1/users/${idOf(deletedUser)}`)
  for (const [name, token, expect] of [
    ['expired JWT', expiredJwt, E.sessionExpired],
    ['JWT with a forged signature', forged, E.invalidToken],
    ['JWT of a signed-out session', signedOut, E.sessionExpired],
    ['JWT of a disabled user', disabledUser, E.sessionExpired],
    ['JWT of a deleted user', deletedUser, E.sessionExpired]
  ] as const)
    probes.push(get(name, '/api/v1/hosts', bearer(token), expect))

  reportProbes(t, 'lifecycle', count(await runProbes(ctx.app, probes)))
  t.equal(
    (await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts', headers: bearer(readonly) })).statusCode,
    200,
    'control: the live readonly session works'
  )
})

const ADMIN_ROUTES: {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  url: string
  permission: Permission
  payload?: Record<string, unknown>
}[] = [
  { method: 'GET', url: '/api/v1/users', permission: 'can_view_users' },
  { method: 'GET', url: '/api/v1/roles', permission: 'can_view_users' },
  {
    method: 'POST',
    url: '/api/v1/users',
    permission: 'can_manage_users',
    payload: { username: 'probe-new', password: 'probe-new-password', role: 'admin' }
  },
  { method: 'PUT', url: '/api/v1/users/:admin', permission: 'can_manage_users', payload: { role: 'readonly' } },
  {
    method: 'POST',
    url: '/api/v1/users/:admin/reset-password',
    permission: 'can_manage_users',
    payload: { new_password: 'taken-over-password' }
  },
  { method: 'DELETE', url: '/api/v1/users/:admin', permission: 'can_manage_users' },
  { method: 'PUT', url: '/api/v1/settings', permission: 'can_manage_settings', payload: { update_interval: 5 } },
  { method: 'GET', url: '/api/v1/auto-enrollment/tokens', permission: 'can_manage_settings' },
  { method: 'GET', url: '/api/v1/auto-enrollment/tokens/:token', permission: 'can_manage_settings' },
  {
    method: 'POST',
    url: '/api/v1/auto-enrollment/tokens',
    permission: 'can_manage_settings',
    payload: { token_name: 'stolen', metadata: { integration_type: 'proxmox-lxc' } }
  },
  { method: 'PATCH', url: '/api/v1/auto-enrollment/tokens/:token', permission: 'can_manage_settings', payload: { is_active: false } },
  { method: 'DELETE', url: '/api/v1/auto-enrollment/tokens/:token', permission: 'can_manage_settings' },
  { method: 'POST', url: '/api/v1/auto-enrollment/tokens/:token/gethomepage-config', permission: 'can_manage_settings' },
  { method: 'POST', url: '/api/v1/hosts', permission: 'can_manage_hosts', payload: { friendly_name: 'probe-created' } },
  { method: 'PATCH', url: '/api/v1/hosts/:host', permission: 'can_manage_hosts', payload: { friendly_name: 'renamed' } },
  { method: 'POST', url: '/api/v1/hosts/:host/regenerate-credentials', permission: 'can_manage_hosts' },
  { method: 'DELETE', url: '/api/v1/hosts/:host', permission: 'can_manage_hosts' }
]

t.test('users whose role lacks the permission get 403 on every admin route', async (t) => {
  const ctx = await buildTestApp(t, { env: UNLIMITED })
  const host = await createHostViaApi(ctx.app, ctx.adminToken, 'kept-host')
  const token = await credential(ctx, 'gethomepage')
  const adminId = claimsOf(ctx.adminToken).sub as string
  const probes: Probe[] = []
  for (const role of ['readonly', 'user', 'host_manager']) {
    const jwt = await userWithRole(ctx, role)
    const granted = new Set(BUILTIN_ROLES[role]?.permissions ?? [])
    for (const route of ADMIN_ROUTES) {
      if (granted.has(route.permission)) continue
      const url = route.url.replace(':admin', adminId).replace(':token', token.id).replace(':host', host.id)
      probes.push({
        name: `${role}: ${route.method} ${route.url}`,
        request: { method: route.method, url, headers: bearer(jwt), ...(route.payload ? { payload: route.payload } : {}) },
        expect: E.noPermission
      })
    }
  }
  reportProbes(t, 'roles', count(await runProbes(ctx.app, probes)))
  const adminRow = await ctx.store.db.selectFrom('users').select(['role', 'is_active']).where('id', '=', adminId).executeTakeFirstOrThrow()
  t.same(adminRow, { role: 'superadmin', is_active: 1 }, 'the admin account is untouched')
  t.equal((await ctx.store.db.selectFrom('auto_enrollment_tokens').select('id').execute()).length, 1, 'no credential created or deleted')
  t.equal(
    (await ctx.store.db.selectFrom('hosts').select('friendly_name').execute()).map((h) => h.friendly_name).join(),
    'kept-host',
    'hosts untouched'
  )
  t.equal(await ctx.app.settings.get('update_interval'), 60, 'settings untouched')
})

t.test('clients outside allow-lists are refused, and X-Forwarded-For counts only from trusted proxies', async (t) => {
  const ctx = await buildTestApp(t, { env: UNLIMITED })
  const ranges = { allowed_ip_ranges: [OUTSIDE] }
  const api = await credential(ctx, 'api', ranges)
  const homepage = await credential(ctx, 'gethomepage', ranges)
  const proxmox = await credential(ctx, 'proxmox-lxc', ranges)
  const spoof = { 'x-forwarded-for': '203.0.113.5', 'x-real-ip': '203.0.113.5' }
  const probes: Probe[] = []
  for (const [where, remote] of [
    ['127.0.0.1', '127.0.0.1'],
    ['v4-mapped ::ffff:198.51.100.7', '::ffff:198.51.100.7'],
    ['IPv6 2001:db8::1', '2001:db8::1']
  ]) {
    probes.push(
      get(`api from ${where}`, API, basic(api), E.ipBasic, remote),
      get(`gethomepage from ${where}`, HOMEPAGE, basic(homepage), E.ipBasic, remote),
      enroll(`proxmox-lxc from ${where}`, asEnrollment(proxmox.key, proxmox.secret), E.enrollIp, remote)
    )
  }
  probes.push(
    get('api, spoofed X-Forwarded-For, TRUST_PROXY off', API, { ...basic(api), ...spoof }, E.ipBasic),
    get('gethomepage, spoofed X-Forwarded-For, TRUST_PROXY off', HOMEPAGE, { ...basic(homepage), ...spoof }, E.ipBasic),
    enroll('proxmox-lxc, spoofed X-Forwarded-For, TRUST_PROXY off', { ...asEnrollment(proxmox.key, proxmox.secret), ...spoof }, E.enrollIp)
  )
  const outcomes = await runProbes(ctx.app, probes)

  // The same spoofing over a real socket, so request.ip comes from the kernel.
  await ctx.app.listen({ host: '127.0.0.1', port: 0 })
  const base = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`
  const real = async (name: string, path: string, init: RequestInit, expect: Expected) => {
    const res = await fetch(`${base}${path}`, init)
    outcomes.push(judge(name, expect, { status: res.status, body: await res.json() }))
  }
  await real('socket: api with spoofed X-Forwarded-For', API, { headers: { ...basic(api), ...spoof } }, E.ipBasic)
  await real('socket: gethomepage with spoofed X-Forwarded-For', HOMEPAGE, { headers: { ...basic(homepage), ...spoof } }, E.ipBasic)
  await real(
    'socket: enroll with spoofed X-Forwarded-For',
    ENROLL,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...asEnrollment(proxmox.key, proxmox.secret), ...spoof },
      body: JSON.stringify({ friendly_name: 'x' })
    },
    E.enrollIp
  )
  reportProbes(t, 'allow-lists, TRUST_PROXY off', count(outcomes))
  t.equal(
    (await ctx.app.inject({ method: 'GET', url: API, headers: basic(api), remoteAddress: '::ffff:203.0.113.9' })).statusCode,
    200,
    'control: a v4-mapped address inside the range is allowed'
  )

  // TRUST_PROXY set to one proxy: its X-Forwarded-For is honoured; nobody else's is.
  const proxied = await buildTestApp(t, { env: { ...UNLIMITED, TRUST_PROXY: '10.0.0.1' } })
  const papi = await credential(proxied, 'api', ranges)
  const phome = await credential(proxied, 'gethomepage', ranges)
  const trusted = await runProbes(proxied.app, [
    get(
      'api via untrusted 10.0.0.2 claiming 203.0.113.5',
      API,
      { ...basic(papi), 'x-forwarded-for': '203.0.113.5' },
      E.ipBasic,
      '10.0.0.2'
    ),
    get(
      'gethomepage via untrusted 10.0.0.2 claiming 203.0.113.5',
      HOMEPAGE,
      { ...basic(phome), 'x-forwarded-for': '203.0.113.5' },
      E.ipBasic,
      '10.0.0.2'
    ),
    get('api via trusted proxy, real client outside', API, { ...basic(papi), 'x-forwarded-for': '198.51.100.7' }, E.ipBasic, '10.0.0.1'),
    get(
      'api via trusted proxy, client-prepended spoof',
      API,
      { ...basic(papi), 'x-forwarded-for': '203.0.113.5, 198.51.100.7' },
      E.ipBasic,
      '10.0.0.1'
    )
  ])
  reportProbes(t, 'allow-lists, TRUST_PROXY=10.0.0.1', count(trusted))
  const honoured = await proxied.app.inject({
    method: 'GET',
    url: API,
    headers: { ...basic(papi), 'x-forwarded-for': '203.0.113.5' },
    remoteAddress: '10.0.0.1'
  })
  t.equal(honoured.statusCode, 200, "control: the trusted proxy's X-Forwarded-For is honoured")
})

t.teardown(() =>
  console.log(`# auth probes: ${totals.probes} probes, ${totals.succeeded} succeeded, ${totals.mismatched} answered other than documented`)
)
