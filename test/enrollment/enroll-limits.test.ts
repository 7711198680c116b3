import t from 'tap'
import { buildTestApp } from '../helpers/test-app.js'
import { enroll, insertToken } from './enrollment-fixtures.js'

t.test('IP allow-list matches IPv4, IPv6, CIDR and IPv4-mapped IPv6 clients', async (t) => {
  const ctx = await buildTestApp(t)
  const token = await insertToken(ctx, { allowed_ip_ranges: ['192.168.1.10', '10.0.0.0/8', '2001:db8::/32'] })
  const cases: Array<[string, number]> = [
    ['192.168.1.10', 201],
    ['::ffff:192.168.1.10', 201],
    ['10.20.30.40', 201],
    ['::ffff:10.1.2.3', 201],
    ['2001:db8::5', 201],
    ['192.168.1.11', 403],
    ['2001:db9::1', 403],
    ['::1', 403]
  ]
  for (const [ip, status] of cases) {
    const res = await enroll(ctx, token, { friendly_name: `from-${ip}` }, ip)
    t.equal(res.statusCode, status, ip)
  }
})

t.test('enroll returns 429 when the daily limit is reached, and parallel enrollments never overshoot', async (t) => {
  const ctx = await buildTestApp(t)
  const token = await insertToken(ctx, { max_hosts_per_day: 5 })
  const results = await Promise.all(Array.from({ length: 12 }, (_, i) => enroll(ctx, token, { friendly_name: `p${i}` })))
  const codes = results.map((r) => r.statusCode).sort()
  t.equal(codes.filter((c) => c === 201).length, 5)
  t.equal(codes.filter((c) => c === 429).length, 7)
  for (const r of results.filter((r) => r.statusCode === 429)) {
    t.same(r.json(), { error: 'Rate limit exceeded', message: 'Maximum 5 hosts per day allowed for this token' })
  }
  const hosts = await ctx.store.db.selectFrom('hosts').select('id').execute()
  t.equal(hosts.length, 5)
  const row = await ctx.store.db.selectFrom('auto_enrollment_tokens').selectAll().where('id', '=', token.id).executeTakeFirstOrThrow()
  t.equal(row.hosts_created_today, 5)
})

t.test('the daily cap resets at local midnight', async (t) => {
  const ctx = await buildTestApp(t)
  const token = await insertToken(ctx, { max_hosts_per_day: 2 })
  ctx.app.enrollmentClock.now = () => new Date(2030, 5, 10, 23, 58)
  t.equal((await enroll(ctx, token, { friendly_name: 'a' })).statusCode, 201)
  t.equal((await enroll(ctx, token, { friendly_name: 'b' })).statusCode, 201)
  t.equal((await enroll(ctx, token, { friendly_name: 'c' })).statusCode, 429)
  ctx.app.enrollmentClock.now = () => new Date(2030, 5, 10, 23, 59, 59, 999)
  t.equal((await enroll(ctx, token, { friendly_name: 'd' })).statusCode, 429, 'still the same day')
  ctx.app.enrollmentClock.now = () => new Date(2030, 5, 11, 0, 0, 0, 1)
  t.equal((await enroll(ctx, token, { friendly_name: 'e' })).statusCode, 201, 'a new day starts from zero')
  const row = await ctx.store.db.selectFrom('auto_enrollment_tokens').selectAll().where('id', '=', token.id).executeTakeFirstOrThrow()
  t.equal(row.hosts_created_today, 1)
  t.equal(row.last_reset_date, '2030-06-11')
  const host = await ctx.store.db.selectFrom('hosts').select('notes').where('friendly_name', '=', 'e').executeTakeFirstOrThrow()
  t.equal(host.notes, `Auto-enrolled via Proxmox Production on ${new Date(2030, 5, 11, 0, 0, 0, 1).toISOString()}`)
})
