import t from 'tap'
import { buildTestApp } from '../helpers/test-app.js'
import { enroll, enrollHeaders, insertGroup, insertToken } from './enrollment-fixtures.js'

const URL = '/api/v1/auto-enrollment/enroll'

t.test('enroll creates a pending host and returns its credentials once, as compact JSON', async (t) => {
  const ctx = await buildTestApp(t)
  const groupId = await insertGroup(ctx)
  const token = await insertToken(ctx, { default_host_group_id: groupId })
  const events: unknown[] = []
  ctx.app.events.on('host_enrolled', (e) => void events.push(e))
  const res = await enroll(ctx, token, {
    friendly_name: 'webserver',
    machine_id: 'proxmox-lxc-100-abc123',
    metadata: { vmid: '100', proxmox_node: 'proxmox01', ip_address: '10.0.0.10', os_info: 'Ubuntu 22.04 LTS' }
  })
  t.equal(res.statusCode, 201)
  t.match(res.body, /"api_id":"patchmon_[0-9a-f]{16}"/, 'the direct-host script greps this substring')
  t.match(res.body, /"api_key":"[0-9a-f]{64}"/)
  const body = res.json()
  t.equal(body.message, 'Host enrolled successfully')
  t.same(body.host.host_group, { id: groupId, name: 'Proxmox LXC', color: '#3B82F6' })
  t.equal(body.host.status, 'pending')
  t.equal(body.host.friendly_name, 'webserver')
  t.same(Object.keys(body.host).sort(), ['api_id', 'api_key', 'friendly_name', 'host_group', 'id', 'status'])

  const host = await ctx.store.db.selectFrom('hosts').selectAll().where('id', '=', body.host.id).executeTakeFirstOrThrow()
  t.equal(host.machine_id, 'proxmox-lxc-100-abc123')
  t.equal(host.status, 'pending')
  t.match(host.notes, /^Auto-enrolled via Proxmox Production on \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  t.not(host.api_key_hash, body.host.api_key, 'the key is stored hashed')
  const membership = await ctx.store.db.selectFrom('host_group_memberships').selectAll().where('host_id', '=', host.id).execute()
  t.same(
    membership.map((m) => m.host_group_id),
    [groupId]
  )
  t.same(events, [{ hostId: host.id, hostName: 'webserver', tokenName: 'Proxmox Production' }])

  const tokenRow = await ctx.store.db.selectFrom('auto_enrollment_tokens').selectAll().where('id', '=', token.id).executeTakeFirstOrThrow()
  t.equal(tokenRow.hosts_created_today, 1)
  t.ok(tokenRow.last_used_at)
  t.notOk(
    ctx.logs.some((l) => l.includes(token.secret) || l.includes(body.host.api_key)),
    'no secret in the logs'
  )

  const agentPing = await ctx.app.inject({
    method: 'GET',
    url: '/api/v1/hosts/integrations',
    headers: { 'x-api-id': body.host.api_id, 'x-api-key': body.host.api_key }
  })
  t.not(agentPing.statusCode, 401, 'the returned credentials authenticate as the agent')
})

t.test('enroll without a default group returns host_group null and never checks duplicates', async (t) => {
  const ctx = await buildTestApp(t)
  const token = await insertToken(ctx)
  const a = await enroll(ctx, token, { friendly_name: 'twin', machine_id: 'same' })
  const b = await enroll(ctx, token, { friendly_name: 'twin', machine_id: 'same' })
  t.equal(a.statusCode, 201)
  t.equal(b.statusCode, 201)
  t.equal(a.json().host.host_group, null)
  t.not(a.json().host.id, b.json().host.id)
})

t.test('enroll errors follow the documented order and bodies', async (t) => {
  const ctx = await buildTestApp(t)
  const good = await insertToken(ctx)
  const inactive = await insertToken(ctx, { is_active: 0 })
  const expired = await insertToken(ctx, { expires_at: '2000-01-01T00:00:00.000Z' })
  const ipBound = await insertToken(ctx, { allowed_ip_ranges: ['10.1.0.0/16'] })
  const full = await insertToken(ctx, { max_hosts_per_day: 3, hosts_created_today: 3, last_reset_date: localToday() })
  const apiToken = await insertToken(ctx, { integration_type: 'api' })
  const body = { friendly_name: 'h1' }
  const cases: Array<[string, () => Promise<{ statusCode: number; json: () => unknown }>, number, unknown]> = [
    [
      'no headers',
      () => ctx.app.inject({ method: 'POST', url: URL, payload: body }),
      401,
      { error: 'Auto-enrollment credentials required' }
    ],
    [
      'secret header missing',
      () => ctx.app.inject({ method: 'POST', url: URL, headers: { 'x-auto-enrollment-key': good.key }, payload: body }),
      401,
      { error: 'Auto-enrollment credentials required' }
    ],
    [
      'unknown key',
      () => enroll(ctx, { ...good, key: 'patchmon_ae_00000000000000000000000000000000' }, body),
      401,
      { error: 'Invalid or inactive token' }
    ],
    ['inactive token', () => enroll(ctx, inactive, body), 401, { error: 'Invalid or inactive token' }],
    ['wrong secret', () => enroll(ctx, { ...good, secret: 'f'.repeat(64) }, body), 401, { error: 'Invalid token secret' }],
    ['expired token', () => enroll(ctx, expired, body), 401, { error: 'Token expired' }],
    ['expired token with a bad body still says expired', () => enroll(ctx, expired, {}), 401, { error: 'Token expired' }],
    ['ip not allowed', () => enroll(ctx, ipBound, body, '10.2.0.1'), 403, { error: 'IP address not authorized for this token' }],
    [
      'daily cap before body validation',
      () => enroll(ctx, full, {}),
      429,
      { error: 'Rate limit exceeded', message: 'Maximum 3 hosts per day allowed for this token' }
    ],
    [
      'api tokens cannot enroll',
      () => enroll(ctx, apiToken, body),
      403,
      { error: 'This token cannot enroll hosts (only proxmox-lxc and direct-host tokens can)' }
    ],
    [
      'missing name',
      () => enroll(ctx, good, {}),
      400,
      { errors: [{ msg: 'Friendly name is required (max 255 characters)', param: 'friendly_name', location: 'body' }] }
    ],
    [
      'no body at all',
      () => ctx.app.inject({ method: 'POST', url: URL, headers: enrollHeaders(good) }),
      400,
      { errors: [{ msg: 'Friendly name is required (max 255 characters)', param: 'friendly_name', location: 'body' }] }
    ],
    [
      'blank name',
      () => enroll(ctx, good, { friendly_name: '   ' }),
      400,
      { errors: [{ msg: 'Friendly name is required (max 255 characters)', param: 'friendly_name', location: 'body' }] }
    ],
    [
      'long name',
      () => enroll(ctx, good, { friendly_name: 'x'.repeat(256) }),
      400,
      { errors: [{ msg: 'Friendly name is required (max 255 characters)', param: 'friendly_name', location: 'body' }] }
    ],
    [
      'empty machine id',
      () => enroll(ctx, good, { friendly_name: 'a', machine_id: '' }),
      400,
      { errors: [{ msg: 'Machine ID must be between 1 and 255 characters if provided', param: 'machine_id', location: 'body' }] }
    ],
    [
      'malformed JSON',
      () =>
        ctx.app.inject({
          method: 'POST',
          url: URL,
          headers: { ...enrollHeaders(good), 'content-type': 'application/json' },
          payload: '{"friendly_name":'
        }),
      400,
      { error: 'Invalid request body' }
    ]
  ]
  for (const [name, call, status, expected] of cases) {
    const res = await call()
    t.equal(res.statusCode, status, `${name}: status`)
    t.same(res.json(), expected, `${name}: body`)
  }
  const hosts = await ctx.store.db.selectFrom('hosts').select('id').execute()
  t.equal(hosts.length, 0, 'no failed call created a host')
})

t.test('a token found inactive is refused at once, although its secret was verified before', async (t) => {
  const ctx = await buildTestApp(t)
  const token = await insertToken(ctx)
  t.equal((await enroll(ctx, token, { friendly_name: 'a' })).statusCode, 201)
  await ctx.store.db.updateTable('auto_enrollment_tokens').set({ is_active: 0 }).where('id', '=', token.id).execute()
  t.equal((await enroll(ctx, token, { friendly_name: 'b' })).statusCode, 401)
})

function localToday(): string {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}
