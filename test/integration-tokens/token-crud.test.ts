import t, { type Test } from 'tap'
import { parse } from 'yaml'
import { bearer, buildTestApp, userWithRole, type TestApp } from '../helpers/test-app.js'
import { apiCredential, createCredential, ensureGroups, homepageCredential } from '../integration-api/fleet-fixture.js'

const URL = '/api/v1/auto-enrollment/tokens'

async function post(ctx: TestApp, payload: unknown, token = ctx.adminToken) {
  return ctx.app.inject({ method: 'POST', url: URL, headers: bearer(token), payload: payload as Record<string, unknown> })
}

function onlyError(t: Test, res: { statusCode: number; json(): unknown }, param: string, msg: string) {
  t.equal(res.statusCode, 400, `${param} rejected with 400`)
  t.same(res.json(), { errors: [{ msg, param, location: 'body' }] }, `${param}: ${msg}`)
}

t.test('create returns 201 with the documented shape, the secret once and the warning', async (t) => {
  const ctx = await buildTestApp(t)
  const groups = await ensureGroups(ctx, ['Proxmox LXC'])
  const res = await post(ctx, {
    token_name: 'Proxmox Production',
    max_hosts_per_day: 100,
    default_host_group_id: groups.get('Proxmox LXC'),
    allowed_ip_ranges: ['192.168.1.10', '10.0.0.0/24'],
    expires_at: '2026-12-31T23:59:59Z',
    metadata: { integration_type: 'proxmox-lxc', environment: 'production' }
  })
  t.equal(res.statusCode, 201)
  const body = res.json()
  t.equal(body.message, 'Auto-enrollment token created successfully')
  t.equal(body.warning, 'Save the token_secret now - it cannot be retrieved later!')
  t.match(body.token.token_key, /^patchmon_ae_[0-9a-f]{32}$/)
  t.match(body.token.token_secret, /^[0-9a-f]{64}$/)
  t.equal(body.token.token_name, 'Proxmox Production')
  t.equal(body.token.max_hosts_per_day, 100)
  t.same(body.token.default_host_group, { id: groups.get('Proxmox LXC'), name: 'Proxmox LXC', color: '#3B82F6' })
  t.equal(body.token.created_by.username, 'admin')
  t.same(Object.keys(body.token.created_by).sort(), ['first_name', 'id', 'last_name', 'username'])
  t.equal(body.token.expires_at, '2026-12-31T23:59:59.000Z')
  t.equal(body.token.scopes, null)
  t.notOk('gethomepage_config' in body, 'widget config only for gethomepage credentials')

  const row = await ctx.store.db.selectFrom('auto_enrollment_tokens').selectAll().where('id', '=', body.token.id).executeTakeFirstOrThrow()
  t.match(row.token_secret_hash, /^\$2[aby]\$10\$/, 'secret stored as bcrypt cost 10')
  t.notOk(JSON.stringify(row).includes(body.token.token_secret), 'plaintext secret not stored')
  t.equal(row.integration_type, 'proxmox-lxc')
  t.same(JSON.parse(row.metadata), { integration_type: 'proxmox-lxc', environment: 'production' })
})

t.test('integration type defaults to proxmox-lxc; direct-host, api and gethomepage are accepted; others are 400', async (t) => {
  const ctx = await buildTestApp(t)
  const plain = await createCredential(ctx, { token_name: 'no type' })
  const direct = await createCredential(ctx, { token_name: 'direct', metadata: { integration_type: 'direct-host' } })
  const api = await apiCredential(ctx)
  const home = await homepageCredential(ctx)
  const list = (await ctx.app.inject({ method: 'GET', url: URL, headers: bearer(ctx.adminToken) })).json() as {
    id: string
    metadata: { integration_type: string }
  }[]
  const typeOf = (id: string) => list.find((x) => x.id === id)?.metadata.integration_type
  t.equal(typeOf(plain.id), 'proxmox-lxc')
  t.equal(typeOf(direct.id), 'direct-host')
  t.equal(typeOf(api.id), 'api')
  t.equal(typeOf(home.id), 'gethomepage')
  onlyError(
    t,
    await post(ctx, { token_name: 'x', metadata: { integration_type: 'ssh' } }),
    'metadata',
    'Integration type must be one of: proxmox-lxc, direct-host, api, gethomepage'
  )
})

t.test('every documented validation error has its status, message and {errors:[{msg,param,location}]} shape', async (t) => {
  const ctx = await buildTestApp(t)
  onlyError(t, await post(ctx, {}), 'token_name', 'Token name is required (max 255 characters)')
  onlyError(t, await post(ctx, { token_name: '' }), 'token_name', 'Token name is required (max 255 characters)')
  onlyError(t, await post(ctx, { token_name: '   ' }), 'token_name', 'Token name is required (max 255 characters)')
  onlyError(t, await post(ctx, { token_name: 'x'.repeat(256) }), 'token_name', 'Token name is required (max 255 characters)')
  for (const bad of [0, 1001, 2.5, '100']) {
    onlyError(
      t,
      await post(ctx, { token_name: 'x', max_hosts_per_day: bad }),
      'max_hosts_per_day',
      'Max hosts per day must be between 1 and 1000'
    )
  }
  t.equal((await post(ctx, { token_name: 'edge1', max_hosts_per_day: 1 })).statusCode, 201, '1 accepted')
  t.equal((await post(ctx, { token_name: 'edge2', max_hosts_per_day: 1000 })).statusCode, 201, '1000 accepted')
  onlyError(
    t,
    await post(ctx, { token_name: 'x', allowed_ip_ranges: '10.0.0.1' }),
    'allowed_ip_ranges',
    'Allowed IP ranges must be an array'
  )
  onlyError(t, await post(ctx, { token_name: 'x', expires_at: 'next tuesday' }), 'expires_at', 'Invalid date format')
  onlyError(t, await post(ctx, { token_name: 'x', expires_at: '2026-13-45T99:00:00Z' }), 'expires_at', 'Invalid date format')
  const unknownGroup = await post(ctx, { token_name: 'x', default_host_group_id: '550e8400-e29b-41d4-a716-446655440000' })
  t.equal(unknownGroup.statusCode, 400)
  t.same(unknownGroup.json(), { error: 'Host group not found' })
  t.equal((await ctx.store.db.selectFrom('auto_enrollment_tokens').select('id').execute()).length, 2, 'nothing stored by rejected requests')
})

t.test('malformed IP ranges are rejected at creation; IPv4, IPv6, CIDR and v4-mapped entries are accepted', async (t) => {
  const ctx = await buildTestApp(t)
  for (const bad of ['10.0.0.0/33', '300.1.1.1', 'example.com', '2001:db8::/129', '', '10.0.0.1/']) {
    onlyError(
      t,
      await post(ctx, { token_name: 'x', allowed_ip_ranges: [bad] }),
      'allowed_ip_ranges',
      `Invalid IP address or CIDR range: ${bad.trim()}`
    )
  }
  const ok = await post(ctx, {
    token_name: 'ok',
    allowed_ip_ranges: ['192.168.1.10', '10.0.0.0/24', '2001:db8::/32', '::1', '::ffff:203.0.113.7']
  })
  t.equal(ok.statusCode, 201)
})

t.test('api credentials need explicit scopes: shape errors, unknown actions, read alias, duplicates', async (t) => {
  const ctx = await buildTestApp(t)
  const api = (scopes: unknown) =>
    post(ctx, { token_name: 'api', metadata: { integration_type: 'api' }, ...(scopes === undefined ? {} : { scopes }) })
  onlyError(t, await api(undefined), 'scopes', 'At least one scope is required for API integration tokens')
  onlyError(t, await api(null), 'scopes', 'At least one scope is required for API integration tokens')
  onlyError(t, await api({}), 'scopes', 'At least one scope is required for API integration tokens')
  onlyError(t, await api({ host: [] }), 'scopes', 'At least one scope is required for API integration tokens')
  onlyError(t, await api(['host:get']), 'scopes', 'Scopes must be an object')
  onlyError(t, await api('host:get'), 'scopes', 'Scopes must be an object')
  onlyError(t, await api({ host: 'get' }), 'scopes', 'Scopes for resource "host" must be an array of actions')
  onlyError(t, await api({ host: ['get', 5] }), 'scopes', 'All actions in scopes must be strings')
  onlyError(
    t,
    await api({ host: ['write'] }),
    'scopes',
    'Unknown action "write" for resource "host" (known: get, put, patch, update, delete)'
  )
  onlyError(t, await api({ users: ['get'] }), 'scopes', 'Unknown scope resource "users" (known: host, patching, audit, vulnerability)')
  const aliased = await api({ host: ['read', ' get ', 'DELETE', 'put', 'patch', 'update'] })
  t.equal(aliased.statusCode, 201)
  t.same(aliased.json().token.scopes, { host: ['get', 'delete', 'put', 'patch', 'update'] }, 'read stored as get, trimmed, de-duplicated')
  const proxmox = await post(ctx, { token_name: 'px', scopes: { host: ['get'] } })
  t.equal(proxmox.json().token.scopes, null, 'scopes are only stored for api credentials')
})

t.test('expires_at accepts RFC 3339, the dashboard datetime-local form and null', async (t) => {
  const ctx = await buildTestApp(t)
  t.equal((await post(ctx, { token_name: 'a', expires_at: '2026-12-31T23:59' })).json().token.expires_at, '2026-12-31T23:59:00.000Z')
  t.equal(
    (await post(ctx, { token_name: 'b', expires_at: '2027-01-01T02:00:00+02:00' })).json().token.expires_at,
    '2027-01-01T00:00:00.000Z'
  )
  t.equal((await post(ctx, { token_name: 'c', expires_at: null })).json().token.expires_at, null)
})

t.test('each listed credential gets its own default host group (looked up for the whole list at once)', async (t) => {
  const ctx = await buildTestApp(t)
  const groups = await ensureGroups(ctx, ['Alpha', 'Beta'])
  await createCredential(ctx, { token_name: 'a', default_host_group_id: groups.get('Alpha') })
  await createCredential(ctx, { token_name: 'b', default_host_group_id: groups.get('Beta') })
  await createCredential(ctx, { token_name: 'a2', default_host_group_id: groups.get('Alpha') })
  const res = await ctx.app.inject({ method: 'GET', url: URL, headers: bearer(ctx.adminToken) })
  t.equal(res.statusCode, 200)
  const byName = new Map(
    (res.json() as { token_name: string; host_groups: { name: string } | null; users: { username: string } | null }[]).map((x) => [
      x.token_name,
      x
    ])
  )
  t.equal(byName.get('a')?.host_groups?.name, 'Alpha')
  t.equal(byName.get('b')?.host_groups?.name, 'Beta')
  t.equal(byName.get('a2')?.host_groups?.name, 'Alpha')
  t.same(
    [...byName.values()].map((x) => x.users?.username),
    ['admin', 'admin', 'admin']
  )
})

t.test('list is newest first with host_groups and users keys and never a secret or hash', async (t) => {
  const ctx = await buildTestApp(t)
  const groups = await ensureGroups(ctx, ['Prod'])
  const first = await createCredential(ctx, { token_name: 'first' })
  await new Promise((r) => setTimeout(r, 5))
  const second = await createCredential(ctx, { token_name: 'second', default_host_group_id: groups.get('Prod') })
  const res = await ctx.app.inject({ method: 'GET', url: URL, headers: bearer(ctx.adminToken) })
  t.equal(res.statusCode, 200)
  const list = res.json() as Record<string, unknown>[]
  t.same(
    list.map((x) => x['token_name']),
    ['second', 'first']
  )
  t.same(Object.keys(list[0] ?? {}).sort(), [
    'allowed_ip_ranges',
    'created_at',
    'default_host_group_id',
    'expires_at',
    'host_groups',
    'hosts_created_today',
    'id',
    'is_active',
    'last_used_at',
    'max_hosts_per_day',
    'metadata',
    'scopes',
    'token_key',
    'token_name',
    'updated_at',
    'users'
  ])
  t.same(list[0]?.['host_groups'], { id: groups.get('Prod'), name: 'Prod', color: '#3B82F6' })
  t.equal(list[1]?.['host_groups'], null)
  t.match(list[0]?.['users'], { username: 'admin' })
  t.equal(list[0]?.['hosts_created_today'], 0)
  t.notOk(res.body.includes(first.secret) || res.body.includes(second.secret), 'no secret in the list')
  t.notOk(res.body.includes('$2b$'), 'no hash in the list')
  const one = await ctx.app.inject({ method: 'GET', url: `${URL}/${first.id}`, headers: bearer(ctx.adminToken) })
  t.equal(one.statusCode, 200)
  t.equal(one.json().token_name, 'first')
  t.notOk(one.body.includes(first.secret))
  const missing = await ctx.app.inject({ method: 'GET', url: `${URL}/nope`, headers: bearer(ctx.adminToken) })
  t.equal(missing.statusCode, 404)
  t.same(missing.json(), { error: 'Token not found' })
})

t.test('PATCH updates fields, validates with the update messages, and 404 comes first', async (t) => {
  const ctx = await buildTestApp(t)
  const groups = await ensureGroups(ctx, ['G1'])
  const cred = await createCredential(ctx, {
    token_name: 'orig',
    default_host_group_id: groups.get('G1'),
    expires_at: '2030-01-01T00:00:00Z'
  })
  const patch = (payload: unknown, id = cred.id) =>
    ctx.app.inject({ method: 'PATCH', url: `${URL}/${id}`, headers: bearer(ctx.adminToken), payload: payload as Record<string, unknown> })

  const res = await patch({
    is_active: false,
    max_hosts_per_day: 200,
    allowed_ip_ranges: ['192.168.1.0/24'],
    expires_at: '2027-01-01T00:00:00Z',
    token_name: 'renamed'
  })
  t.equal(res.statusCode, 200)
  t.equal(res.json().message, 'Token updated successfully')
  t.notOk(res.body.includes(cred.secret) || res.body.includes('token_secret'), 'no secret in the update reply')
  t.match(res.json().token, {
    is_active: false,
    max_hosts_per_day: 200,
    allowed_ip_ranges: ['192.168.1.0/24'],
    expires_at: '2027-01-01T00:00:00.000Z',
    token_name: 'renamed'
  })
  t.same(res.json().token.host_groups, { id: groups.get('G1'), name: 'G1', color: '#3B82F6' })

  const cleared = await patch({ default_host_group_id: '', expires_at: '' })
  t.equal(cleared.json().token.default_host_group_id, null)
  t.equal(cleared.json().token.host_groups, null)
  t.equal(cleared.json().token.expires_at, null)

  onlyError(t, await patch({ token_name: '' }), 'token_name', 'Token name must be between 1 and 255 characters')
  onlyError(t, await patch({ max_hosts_per_day: 5000 }), 'max_hosts_per_day', 'Max hosts per day must be between 1 and 1000')
  onlyError(t, await patch({ allowed_ip_ranges: ['10.1.2.3/40'] }), 'allowed_ip_ranges', 'Invalid IP address or CIDR range: 10.1.2.3/40')
  onlyError(t, await patch({ expires_at: 'soon' }), 'expires_at', 'Invalid date format')
  const scopes = await patch({ scopes: { host: ['get'] } })
  t.equal(scopes.statusCode, 400)
  t.same(scopes.json(), { error: 'Scopes can only be updated for API integration tokens' })
  const group = await patch({ default_host_group_id: '550e8400-e29b-41d4-a716-446655440000' })
  t.same(group.json(), { error: 'Host group not found' })

  const notFound = await patch({ max_hosts_per_day: 99999 }, '550e8400-e29b-41d4-a716-446655440000')
  t.equal(notFound.statusCode, 404, 'unknown token is 404 even with an invalid body')
  t.same(notFound.json(), { error: 'Token not found' })

  const api = await apiCredential(ctx)
  const newScopes = await patch({ scopes: { host: ['get', 'delete'] } }, api.id)
  t.same(newScopes.json().token.scopes, { host: ['get', 'delete'] })
  onlyError(t, await patch({ scopes: {} }, api.id), 'scopes', 'At least one scope is required for API integration tokens')
})

t.test('DELETE answers the documented body and 404 for unknown tokens', async (t) => {
  const ctx = await buildTestApp(t)
  const cred = await createCredential(ctx, { token_name: 'gone soon' })
  const res = await ctx.app.inject({ method: 'DELETE', url: `${URL}/${cred.id}`, headers: bearer(ctx.adminToken) })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { message: 'Auto-enrollment token deleted successfully', deleted_token: { id: cred.id, token_name: 'gone soon' } })
  const again = await ctx.app.inject({ method: 'DELETE', url: `${URL}/${cred.id}`, headers: bearer(ctx.adminToken) })
  t.equal(again.statusCode, 404)
  t.same(again.json(), { error: 'Token not found' })
})

t.test('token administration needs a session with can_manage_settings', async (t) => {
  const ctx = await buildTestApp(t)
  const anon = await ctx.app.inject({ method: 'GET', url: URL })
  t.equal(anon.statusCode, 401)
  const readonly = await userWithRole(ctx, 'readonly')
  t.equal((await ctx.app.inject({ method: 'GET', url: URL, headers: bearer(readonly) })).statusCode, 403)
  t.equal((await post(ctx, { token_name: 'x' }, readonly)).statusCode, 403)
  const cred = await createCredential(ctx, { token_name: 'x' })
  const patch = await ctx.app.inject({
    method: 'PATCH',
    url: `${URL}/${cred.id}`,
    headers: bearer(readonly),
    payload: { is_active: false }
  })
  t.equal(patch.statusCode, 403, 'PATCH checks permission before anything else')
})

t.test('gethomepage credentials get a ready services.yml entry at creation; later only with the secret', async (t) => {
  const ctx = await buildTestApp(t, { env: { PATCHMON_SERVER_URL: 'https://patchmon.example.com' } })
  const home = await homepageCredential(ctx)
  const yamlText = home.body['gethomepage_config'] as string
  const parsed = parse(yamlText) as { PatchMon: Record<string, unknown> }[]
  const service = parsed[0]?.PatchMon as { href: string; description: string; icon: string; widget: Record<string, unknown> }
  t.equal(service.href, 'https://patchmon.example.com')
  t.equal(service.description, 'PatchMon Statistics')
  t.equal(service.icon, 'https://patchmon.example.com/assets/favicon.svg')
  const expectedAuth = `Basic ${Buffer.from(`${home.key}:${home.secret}`).toString('base64')}`
  t.match(service.widget, {
    type: 'customapi',
    url: 'https://patchmon.example.com/api/v1/gethomepage/stats',
    refreshInterval: 60000,
    headers: { Authorization: expectedAuth }
  })
  t.same(
    (service.widget['mappings'] as { field: string }[]).map((m) => m.field),
    ['total_hosts', 'hosts_needing_updates', 'security_updates']
  )
  t.notOk('display' in service.widget, 'three mappings fit the block view')

  const cfgUrl = `${URL}/${home.id}/gethomepage-config`
  const placeholder = await ctx.app.inject({ method: 'POST', url: cfgUrl, headers: bearer(ctx.adminToken), payload: {} })
  t.equal(placeholder.statusCode, 200)
  t.equal(placeholder.json().credentials_included, false)
  t.match(placeholder.json().config, /Authorization: Basic <base64_encoded_credentials>/)
  t.notOk(placeholder.body.includes(home.secret))

  const eight = [
    'total_hosts',
    'hosts_needing_updates',
    'up_to_date_hosts',
    'security_updates',
    'hosts_with_security_updates',
    'total_outdated_packages',
    'total_repos',
    'recent_updates_24h'
  ]
  const filled = await ctx.app.inject({
    method: 'POST',
    url: cfgUrl,
    headers: bearer(ctx.adminToken),
    payload: { token_secret: home.secret, fields: eight }
  })
  t.equal(filled.json().credentials_included, true)
  const widget = (parse(filled.json().config as string) as { PatchMon: { widget: Record<string, unknown> } }[])[0]?.PatchMon.widget
  t.equal(widget?.['display'], 'list', 'more than four mappings switch to the list view')
  t.equal((widget?.['mappings'] as unknown[]).length, 8)

  const wrong = await ctx.app.inject({
    method: 'POST',
    url: cfgUrl,
    headers: bearer(ctx.adminToken),
    payload: { token_secret: 'f'.repeat(64) }
  })
  t.equal(wrong.statusCode, 400)
  t.same(wrong.json(), { error: 'Token secret does not match this token' })
  const api = await apiCredential(ctx)
  const notHome = await ctx.app.inject({
    method: 'POST',
    url: `${URL}/${api.id}/gethomepage-config`,
    headers: bearer(ctx.adminToken),
    payload: {}
  })
  t.equal(notHome.statusCode, 400)
  const badField = await ctx.app.inject({ method: 'POST', url: cfgUrl, headers: bearer(ctx.adminToken), payload: { fields: ['nope'] } })
  t.same(badField.json(), { errors: [{ msg: 'Unknown gethomepage field: nope', param: 'fields', location: 'body' }] })
})

t.test('secrets never appear in logs', async (t) => {
  const ctx = await buildTestApp(t)
  const api = await apiCredential(ctx)
  const home = await homepageCredential(ctx)
  await ctx.app.inject({
    method: 'GET',
    url: '/api/v1/api/hosts',
    headers: { authorization: `Basic ${Buffer.from(`${api.key}:${api.secret}`).toString('base64')}` }
  })
  await ctx.app.inject({
    method: 'POST',
    url: `${URL}/${home.id}/gethomepage-config`,
    headers: bearer(ctx.adminToken),
    payload: { token_secret: home.secret }
  })
  const logs = ctx.logs.join('\n')
  t.ok(ctx.logs.length > 0, 'something was logged')
  t.notOk(logs.includes(api.secret), 'api secret not logged')
  t.notOk(logs.includes(home.secret), 'gethomepage secret not logged')
  t.notOk(logs.includes(Buffer.from(`${api.key}:${api.secret}`).toString('base64')), 'basic header not logged')
})
