import t from 'tap'
import { buildTestApp } from '../helpers/test-app.js'
import { enrollHeaders, insertGroup, insertToken, type TestToken } from './enrollment-fixtures.js'
import type { TestApp } from '../helpers/test-app.js'

const bulk = (ctx: TestApp, token: TestToken, payload: unknown) =>
  ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auto-enrollment/enroll/bulk',
    headers: enrollHeaders(token),
    payload: payload as Record<string, unknown>
  })

t.test('bulk enroll creates every host with per-host credentials and counts them', async (t) => {
  const ctx = await buildTestApp(t)
  const groupId = await insertGroup(ctx)
  const token = await insertToken(ctx, { default_host_group_id: groupId })
  const res = await bulk(ctx, token, { hosts: [{ friendly_name: 'a', machine_id: 'm-a' }, { friendly_name: 'b' }] })
  t.equal(res.statusCode, 201)
  const body = res.json()
  t.equal(body.message, 'Bulk enrollment completed: 2 succeeded, 0 failed, 0 skipped')
  t.same(body.results.failed, [])
  t.same(body.results.skipped, [])
  t.equal(body.results.success.length, 2)
  for (const item of body.results.success) {
    t.same(Object.keys(item).sort(), ['api_id', 'api_key', 'friendly_name', 'id'])
    t.match(item.api_id, /^patchmon_[0-9a-f]{16}$/)
  }
  const hosts = await ctx.store.db.selectFrom('hosts').selectAll().orderBy('friendly_name').execute()
  t.same(
    hosts.map((h) => [h.friendly_name, h.machine_id, h.status]),
    [
      ['a', 'm-a', 'pending'],
      ['b', null, 'pending']
    ]
  )
  t.ok(hosts.every((h) => h.notes?.startsWith('Auto-enrolled via Proxmox Production on ')))
  const members = await ctx.store.db.selectFrom('host_group_memberships').selectAll().execute()
  t.equal(members.length, 2)
  const row = await ctx.store.db.selectFrom('auto_enrollment_tokens').selectAll().where('id', '=', token.id).executeTakeFirstOrThrow()
  t.equal(row.hosts_created_today, 2)
})

t.test('bulk enroll is all or nothing against the remaining daily quota', async (t) => {
  const ctx = await buildTestApp(t)
  const token = await insertToken(ctx, { max_hosts_per_day: 3 })
  t.equal((await bulk(ctx, token, { hosts: [{ friendly_name: 'one' }] })).statusCode, 201)
  const res = await bulk(ctx, token, { hosts: [{ friendly_name: 'x' }, { friendly_name: 'y' }, { friendly_name: 'z' }] })
  t.equal(res.statusCode, 429)
  t.same(res.json(), { error: 'Rate limit exceeded', message: 'Only 2 hosts remaining in daily quota' })
  t.equal((await ctx.store.db.selectFrom('hosts').select('id').execute()).length, 1, 'nothing was created')
  t.equal((await bulk(ctx, token, { hosts: [{ friendly_name: 'x' }, { friendly_name: 'y' }] })).statusCode, 201)
})

t.test('bulk enroll validation and token errors', async (t) => {
  const ctx = await buildTestApp(t)
  const token = await insertToken(ctx)
  const inactive = await insertToken(ctx, { is_active: 0 })
  const ipBound = await insertToken(ctx, { allowed_ip_ranges: ['10.0.0.1'] })
  const tooMany = { hosts: Array.from({ length: 51 }, (_, i) => ({ friendly_name: `h${i}` })) }
  const cases: Array<[string, () => ReturnType<typeof bulk>, number, unknown]> = [
    [
      'no credentials',
      () => ctx.app.inject({ method: 'POST', url: '/api/v1/auto-enrollment/enroll/bulk', payload: { hosts: [] } }),
      401,
      { error: 'Auto-enrollment credentials required' }
    ],
    ['inactive', () => bulk(ctx, inactive, { hosts: [{ friendly_name: 'a' }] }), 401, { error: 'Invalid or inactive token' }],
    ['ip', () => bulk(ctx, ipBound, { hosts: [{ friendly_name: 'a' }] }), 403, { error: 'IP address not authorized for this token' }],
    [
      'missing hosts',
      () => bulk(ctx, token, {}),
      400,
      { errors: [{ msg: 'Hosts array required (max 50)', param: 'hosts', location: 'body' }] }
    ],
    [
      'empty hosts',
      () => bulk(ctx, token, { hosts: [] }),
      400,
      { errors: [{ msg: 'Hosts array required (max 50)', param: 'hosts', location: 'body' }] }
    ],
    [
      '51 hosts',
      () => bulk(ctx, token, tooMany),
      400,
      { errors: [{ msg: 'Hosts array required (max 50)', param: 'hosts', location: 'body' }] }
    ],
    [
      'a host without a name',
      () => bulk(ctx, token, { hosts: [{ friendly_name: 'ok' }, { machine_id: 'x' }] }),
      400,
      { errors: [{ msg: 'Each host needs a friendly_name', param: 'hosts[1].friendly_name', location: 'body' }] }
    ]
  ]
  for (const [name, call, status, expected] of cases) {
    const res = await call()
    t.equal(res.statusCode, status, `${name}: status`)
    t.same(res.json(), expected, `${name}: body`)
  }
  t.equal((await ctx.store.db.selectFrom('hosts').select('id').execute()).length, 0)
})
