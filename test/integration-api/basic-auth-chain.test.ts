import t from 'tap'
import { bearer, buildTestApp, type TestApp } from '../helpers/test-app.js'
import { apiCredential, basic, createCredential, homepageCredential, seedHost } from './fleet-fixture.js'

const HOSTS = '/api/v1/api/hosts'

const get = (ctx: TestApp, headers: Record<string, string>, remoteAddress = '127.0.0.1', url = HOSTS) =>
  ctx.app.inject({ method: 'GET', url, headers, remoteAddress })

const patchToken = (ctx: TestApp, id: string, payload: Record<string, unknown>) =>
  ctx.app.inject({ method: 'PATCH', url: `/api/v1/auto-enrollment/tokens/${id}`, headers: bearer(ctx.adminToken), payload })

async function lastUsed(ctx: TestApp, id: string): Promise<string | null> {
  const row = await ctx.store.db.selectFrom('auto_enrollment_tokens').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow()
  return row.last_used_at
}

t.test('each step of the validation chain answers its exact error', async (t) => {
  const ctx = await buildTestApp(t)
  const api = await apiCredential(ctx)
  const expect = async (headers: Record<string, string>, status: number, error: string, what: string) => {
    const res = await get(ctx, headers)
    t.equal(res.statusCode, status, `${what}: status`)
    t.same(res.json(), { error }, `${what}: ${error}`)
  }
  await expect({}, 401, 'Missing or invalid authorization header', 'no header')
  await expect({ authorization: 'Bearer abc' }, 401, 'Missing or invalid authorization header', 'other scheme')
  await expect({ authorization: 'Basic' }, 401, 'Missing or invalid authorization header', 'scheme without a value')
  await expect({ authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` }, 401, 'Invalid credentials format', 'no colon')
  await expect({ authorization: `Basic ${Buffer.from(':secret').toString('base64')}` }, 401, 'Invalid credentials format', 'empty key')
  await expect({ authorization: `Basic ${Buffer.from('key:').toString('base64')}` }, 401, 'Invalid credentials format', 'empty secret')
  await expect({ authorization: 'Basic !!!not-base64!!!' }, 401, 'Invalid credentials format', 'garbage')
  await expect(basic('patchmon_ae_00000000000000000000000000000000', 'x'), 401, 'Invalid API key', 'unknown key')
  await expect(basic(api.key, 'wrong-secret'), 401, 'Invalid API secret', 'wrong secret')
  const ok = await get(ctx, basic(api.key, api.secret))
  t.equal(ok.statusCode, 200, 'the right pair passes')
  const lower = await get(ctx, { authorization: `basic ${Buffer.from(`${api.key}:${api.secret}`).toString('base64')}` })
  t.equal(lower.statusCode, 200, 'the scheme name is case-insensitive (RFC 7617)')
})

t.test('disabled and expired credentials are refused before the secret is checked', async (t) => {
  const ctx = await buildTestApp(t)
  const disabled = await apiCredential(ctx)
  await patchToken(ctx, disabled.id, { is_active: false })
  for (const secret of [disabled.secret, 'wrong']) {
    const res = await get(ctx, basic(disabled.key, secret))
    t.equal(res.statusCode, 401)
    t.same(res.json(), { error: 'API key is disabled' })
  }
  const expired = await apiCredential(ctx, ['get'], { expires_at: '2020-01-01T00:00:00Z' })
  for (const secret of [expired.secret, 'wrong']) {
    const res = await get(ctx, basic(expired.key, secret))
    t.equal(res.statusCode, 401)
    t.same(res.json(), { error: 'API key has expired' })
  }
  const future = await apiCredential(ctx, ['get'], { expires_at: '2999-01-01T00:00:00Z' })
  t.equal((await get(ctx, basic(future.key, future.secret))).statusCode, 200, 'a future expiry works')
})

t.test('credential types are separated: api on gethomepage and gethomepage on the API are 401 Invalid API key type', async (t) => {
  const ctx = await buildTestApp(t)
  const api = await apiCredential(ctx)
  const home = await homepageCredential(ctx)
  const proxmox = await createCredential(ctx, { token_name: 'px' })
  const onHome = await get(ctx, basic(api.key, api.secret), '127.0.0.1', '/api/v1/gethomepage/stats')
  t.equal(onHome.statusCode, 401)
  t.same(onHome.json(), { error: 'Invalid API key type' })
  const onApi = await get(ctx, basic(home.key, home.secret))
  t.same(onApi.json(), { error: 'Invalid API key type' })
  t.same(
    (await get(ctx, basic(proxmox.key, proxmox.secret))).json(),
    { error: 'Invalid API key type' },
    'enrollment tokens cannot read the API'
  )
  t.same(
    (await get(ctx, basic(home.key, 'wrong'))).json(),
    { error: 'Invalid API key type' },
    'type is checked before the secret (documented order)'
  )
})

t.test('IP allow-list: IPv4, CIDR boundaries, IPv6 and IPv4-mapped clients; 403 IP address not allowed', async (t) => {
  const ctx = await buildTestApp(t)
  const v4 = await apiCredential(ctx, ['get'], { allowed_ip_ranges: ['192.168.1.100', '10.0.0.0/24'] })
  const v6 = await apiCredential(ctx, ['get'], { allowed_ip_ranges: ['2001:db8::/32', '::1'] })
  const cases: [typeof v4, string, number][] = [
    [v4, '192.168.1.100', 200],
    [v4, '192.168.1.101', 403],
    [v4, '10.0.0.0', 200],
    [v4, '10.0.0.255', 200],
    [v4, '10.0.1.0', 403],
    [v4, '9.255.255.255', 403],
    [v4, '::ffff:10.0.0.7', 200],
    [v4, '::ffff:192.168.1.100', 200],
    [v4, '::ffff:10.0.1.7', 403],
    [v4, '2001:db8::1', 403],
    [v6, '2001:db8:ffff::1', 200],
    [v6, '2001:db9::1', 403],
    [v6, '::1', 200],
    [v6, '127.0.0.1', 403]
  ]
  for (const [cred, ip, status] of cases) {
    const res = await get(ctx, basic(cred.key, cred.secret), ip)
    t.equal(res.statusCode, status, `${cred.body['token'] && (cred === v4 ? 'v4 list' : 'v6 list')} from ${ip} -> ${status}`)
    if (status === 403) t.same(res.json(), { error: 'IP address not allowed' })
  }
  const wrongSecret = await get(ctx, basic(v4.key, 'nope'), '8.8.8.8')
  t.same(wrongSecret.json(), { error: 'Invalid API secret' }, 'the secret is checked before the address')
})

t.test('client IP is the socket address unless TRUST_PROXY is set', async (t) => {
  const direct = await buildTestApp(t)
  const cred = await apiCredential(direct, ['get'], { allowed_ip_ranges: ['203.0.113.5'] })
  const spoofed = await get(direct, { ...basic(cred.key, cred.secret), 'x-forwarded-for': '203.0.113.5' }, '198.51.100.1')
  t.equal(spoofed.statusCode, 403, 'X-Forwarded-For is ignored by default')
  const proxied = await buildTestApp(t, { env: { TRUST_PROXY: '198.51.100.1' } })
  const cred2 = await apiCredential(proxied, ['get'], { allowed_ip_ranges: ['203.0.113.5'] })
  const viaProxy = await get(proxied, { ...basic(cred2.key, cred2.secret), 'x-forwarded-for': '203.0.113.5' }, '198.51.100.1')
  t.equal(viaProxy.statusCode, 200, 'a trusted proxy forwards the client address')
})

t.test('last_used_at is written on success, also when the scope check then refuses', async (t) => {
  const ctx = await buildTestApp(t)
  const getOnly = await apiCredential(ctx, ['get'])
  t.equal(await lastUsed(ctx, getOnly.id), null)
  const hostId = await seedHost(ctx, { friendlyName: 'h1' })
  const res = await ctx.app.inject({ method: 'DELETE', url: `${HOSTS}/${hostId}`, headers: basic(getOnly.key, getOnly.secret) })
  t.equal(res.statusCode, 403)
  t.type(await lastUsed(ctx, getOnly.id), 'string', 'scope-refused request still recorded as use')
  const other = await apiCredential(ctx, ['get'])
  await get(ctx, basic(other.key, 'wrong'))
  t.equal(await lastUsed(ctx, other.id), null, 'failed authentication is not use')
})

t.test('a verified secret never outlives a change: disable, new IP list, delete take effect at once', async (t) => {
  const ctx = await buildTestApp(t)
  const cred = await apiCredential(ctx)
  t.equal((await get(ctx, basic(cred.key, cred.secret))).statusCode, 200)
  await patchToken(ctx, cred.id, { is_active: false })
  t.same((await get(ctx, basic(cred.key, cred.secret))).json(), { error: 'API key is disabled' })
  await patchToken(ctx, cred.id, { is_active: true, allowed_ip_ranges: ['10.9.9.9'] })
  t.same((await get(ctx, basic(cred.key, cred.secret))).json(), { error: 'IP address not allowed' })
  await patchToken(ctx, cred.id, { allowed_ip_ranges: [], expires_at: '2001-01-01T00:00:00Z' })
  t.same((await get(ctx, basic(cred.key, cred.secret))).json(), { error: 'API key has expired' })
  await patchToken(ctx, cred.id, { expires_at: null })
  t.equal((await get(ctx, basic(cred.key, cred.secret))).statusCode, 200)
  await ctx.app.inject({ method: 'DELETE', url: `/api/v1/auto-enrollment/tokens/${cred.id}`, headers: bearer(ctx.adminToken) })
  t.same((await get(ctx, basic(cred.key, cred.secret))).json(), { error: 'Invalid API key' }, 'a deleted key is 401')
})

t.test('an unexpected failure during authentication is 500 Authentication failed without details', async (t) => {
  const ctx = await buildTestApp(t)
  const cred = await apiCredential(ctx)
  // Make the credentials table unreadable so the lookup throws.
  ctx.store.sqlite.exec('ALTER TABLE auto_enrollment_tokens RENAME TO auto_enrollment_tokens_moved')
  t.teardown(() => ctx.store.sqlite.exec('ALTER TABLE auto_enrollment_tokens_moved RENAME TO auto_enrollment_tokens'))
  const res = await get(ctx, basic(cred.key, cred.secret))
  t.equal(res.statusCode, 500)
  t.same(res.json(), { error: 'Authentication failed' })
})
