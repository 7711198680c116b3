// The audit log through the HTTP surface: sign-in outcomes, user, host, credential and settings
// changes with their targets, filters, the CSV export, the retention timer, who may read it and the
// Integration API's audit:get scope.
import t from 'tap'
import { ADMIN_PASSWORD, bearer, buildTestApp, userWithRole } from '../helpers/test-app.js'
import { auditEntries, lastEntry } from './audit-helpers.js'
import { AUDIT_RETENTION_TIMER } from '../../src/audit/audit-plugin.js'
import { basic } from '../integration-api/fleet-fixture.js'

const loginAs = (ctx: Awaited<ReturnType<typeof buildTestApp>>, username: string, password: string, ua = 'audit-test/1.0') =>
  ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'user-agent': ua }, payload: { username, password } })

t.test('sign-ins are recorded with outcome, reason, address and user agent; unknown names are not kept', async (t) => {
  const ctx = await buildTestApp(t)
  t.equal((await loginAs(ctx, 'admin', 'not-the-password')).statusCode, 401)
  t.equal((await loginAs(ctx, 'ghost-name', 'whatever-typed')).statusCode, 401)
  t.equal((await loginAs(ctx, 'admin', ADMIN_PASSWORD, 'Firefox/128')).statusCode, 200)

  const failures = await auditEntries(ctx, { action: 'signin.failure' })
  t.equal(failures.length, 2)
  const wrong = failures.find((e) => e.reason === 'wrong_password')
  t.equal(wrong?.actor_label, 'admin', 'a known account is the actor')
  t.equal(wrong?.outcome, 'failure')
  t.equal(wrong?.ip, '127.0.0.1')
  t.equal(wrong?.user_agent, 'audit-test/1.0')
  const unknown = failures.find((e) => e.reason === 'unknown_user')
  t.equal(unknown?.actor_type, 'anonymous')
  t.equal(unknown?.actor_label, null, 'the typed name is not kept')
  const text = JSON.stringify(await auditEntries(ctx))
  t.notOk(text.includes('ghost-name'), 'no trace of the unknown name')

  const success = await lastEntry(ctx, 'signin.success')
  t.equal(success?.actor_label, 'admin')
  t.equal(success?.user_agent, 'Firefox/128')
  t.same(success?.details, { method: 'password' })
  t.equal(success?.target_type, 'session')
})

t.test('the client address honours the trusted-proxy setting', async (t) => {
  const trusting = await buildTestApp(t, { env: { TRUST_PROXY: '1' } })
  await trusting.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'x-forwarded-for': '203.0.113.7' },
    payload: { username: 'admin', password: 'x-wrong' }
  })
  t.equal((await lastEntry(trusting, 'signin.failure'))?.ip, '203.0.113.7', 'behind a trusted proxy: the forwarded address')
  const direct = await buildTestApp(t)
  await direct.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'x-forwarded-for': '203.0.113.7' },
    payload: { username: 'admin', password: 'x-wrong' }
  })
  t.equal((await lastEntry(direct, 'signin.failure'))?.ip, '127.0.0.1', 'without one: the peer, not the header')
})

t.test('user, role and host changes name their target; a deleted host keeps its name', async (t) => {
  const ctx = await buildTestApp(t)
  const created = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: bearer(ctx.adminToken),
    payload: { username: 'carol', password: 'carol-password-1', role: 'readonly' }
  })
  const carolId = (created.json() as { user: { id: string } }).user.id
  await ctx.app.inject({
    method: 'PUT',
    url: `/api/v1/users/${carolId}`,
    headers: bearer(ctx.adminToken),
    payload: { role: 'host_manager' }
  })

  const create = await lastEntry(ctx, 'user.create')
  t.match(create, { actor_label: 'admin', target_type: 'user', target_id: carolId, target_label: 'carol', outcome: 'success' })
  t.same(create?.details, { fields: ['username', 'password', 'role'], role: 'readonly' }, 'field names and the role, never values')
  const update = await lastEntry(ctx, 'user.update')
  t.match(update, { target_id: carolId, target_label: 'carol', details: { fields: ['role'], role: 'host_manager' } })

  const host = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/hosts',
    headers: bearer(ctx.adminToken),
    payload: { friendly_name: 'web-01' }
  })
  const hostId = (host.json() as { id: string }).id
  await ctx.app.inject({ method: 'POST', url: `/api/v1/hosts/${hostId}/regenerate-credentials`, headers: bearer(ctx.adminToken) })
  await ctx.app.inject({ method: 'DELETE', url: `/api/v1/hosts/${hostId}`, headers: bearer(ctx.adminToken) })
  t.match(await lastEntry(ctx, 'host.create'), { target_id: hostId, target_label: 'web-01' })
  t.match(await lastEntry(ctx, 'host.credentials_rotate'), { target_id: hostId, target_label: 'web-01' })
  t.match(await lastEntry(ctx, 'host.delete'), { target_id: hostId, target_label: 'web-01', outcome: 'success' })

  const token = await userWithRole(ctx, 'readonly', 'reader')
  const denied = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/users/${carolId}`, headers: bearer(token) })
  t.equal(denied.statusCode, 403)
  t.match(await lastEntry(ctx, 'user.delete'), { actor_label: 'reader', outcome: 'denied', reason: 'http_403', target_label: 'carol' })
})

t.test('credentials and settings: created, revoked and changed keys are recorded', async (t) => {
  const ctx = await buildTestApp(t)
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auto-enrollment/tokens',
    headers: bearer(ctx.adminToken),
    payload: { token_name: 'proxmox-a', metadata: { integration_type: 'proxmox-lxc' } }
  })
  const tokenId = (res.json() as { token: { id: string } }).token.id
  await ctx.app.inject({ method: 'DELETE', url: `/api/v1/auto-enrollment/tokens/${tokenId}`, headers: bearer(ctx.adminToken) })
  t.match(await lastEntry(ctx, 'token.create'), { target_type: 'token', target_id: tokenId, target_label: 'proxmox-a' })
  t.match(await lastEntry(ctx, 'token.delete'), { target_id: tokenId, target_label: 'proxmox-a' })

  await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings',
    headers: bearer(ctx.adminToken),
    payload: { update_interval: 30, audit_log_retention_days: 90 }
  })
  const settings = await lastEntry(ctx, 'settings.update')
  t.same(settings?.details, {
    fields: ['update_interval', 'audit_log_retention_days'],
    changed: ['update_interval', 'audit_log_retention_days']
  })
  const bad = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings',
    headers: bearer(ctx.adminToken),
    payload: { audit_log_retention_days: 0 }
  })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), {
    errors: [{ msg: 'Audit log retention must be an integer between 1 and 3650 days', param: 'audit_log_retention_days' }]
  })
})

t.test('filters: actor, action family, outcome and date range; a bad date is 400', async (t) => {
  const ctx = await buildTestApp(t)
  await userWithRole(ctx, 'readonly', 'dora')
  await loginAs(ctx, 'dora', 'wrong-password')
  t.ok((await auditEntries(ctx, { actor: 'dora' })).every((e) => e.actor_label === 'dora'))
  t.equal((await auditEntries(ctx, { actor: 'dora', outcome: 'failure' })).length, 1)
  const family = await auditEntries(ctx, { action: 'signin.' })
  t.ok(family.length >= 3 && family.every((e) => e.action.startsWith('signin.')), 'a family ending in "." matches every member')
  const today = new Date().toISOString().slice(0, 10)
  t.ok((await auditEntries(ctx, { from: today, to: today })).length >= 3, 'a bare `to` date includes that day')
  t.equal((await auditEntries(ctx, { to: '2000-01-01' })).length, 0)
  const bad = await ctx.app.inject({ method: 'GET', url: '/api/v1/audit?from=yesterday', headers: bearer(ctx.adminToken) })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { errors: [{ param: 'from', msg: 'from and to must be ISO-8601 dates (YYYY-MM-DD or a date-time)' }] })
  const actions = await ctx.app.inject({ method: 'GET', url: '/api/v1/audit/actions', headers: bearer(ctx.adminToken) })
  t.ok((actions.json() as { actions: string[] }).actions.includes('user.create'))
})

t.test('CSV export: the filtered entries, formulas neutralised', async (t) => {
  const ctx = await buildTestApp(t)
  await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/hosts',
    headers: bearer(ctx.adminToken),
    payload: { friendly_name: '=HYPERLINK("x")' }
  })
  const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/audit/export?action=host.create', headers: bearer(ctx.adminToken) })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/csv/)
  t.match(res.headers['content-disposition'], /attachment; filename="patchmon-audit-\d{4}-\d{2}-\d{2}\.csv"/)
  const lines = res.body.trim().split('\n')
  t.equal(
    lines[0],
    'created_at,actor_type,actor_id,actor_label,action,target_type,target_id,target_label,outcome,reason,ip,user_agent,details'
  )
  t.equal(lines.length, 2, 'header and the one host.create entry')
  t.match(lines[1], /"'=HYPERLINK\(""x""\)"/, 'the formula reads as text')
})

t.test('the retention timer removes entries older than the setting', async (t) => {
  const ctx = await buildTestApp(t)
  await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/settings',
    headers: bearer(ctx.adminToken),
    payload: { audit_log_retention_days: 30 }
  })
  const before = await auditEntries(ctx)
  const old = before[before.length - 1]
  if (!old) throw new Error('no entries')
  ctx.store.sqlite
    .prepare('UPDATE audit_log SET created_at = ? WHERE id = ?')
    .run(new Date(Date.now() - 31 * 86_400_000).toISOString(), old.id)
  await ctx.app.timers.runNow(AUDIT_RETENTION_TIMER)
  const after = await auditEntries(ctx)
  t.equal(after.length, before.length - 1)
  t.notOk(
    after.some((e) => e.id === old.id),
    'the 31-day-old entry is gone'
  )
})

t.test('reading needs can_view_audit_log; the Integration API needs audit:get', async (t) => {
  const ctx = await buildTestApp(t)
  const reader = await userWithRole(ctx, 'host_manager', 'hank')
  t.equal((await ctx.app.inject({ method: 'GET', url: '/api/v1/audit', headers: bearer(reader) })).statusCode, 403)
  t.equal((await ctx.app.inject({ method: 'GET', url: '/api/v1/audit/export', headers: bearer(reader) })).statusCode, 403)

  const make = async (scopes: Record<string, string[]>) => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auto-enrollment/tokens',
      headers: bearer(ctx.adminToken),
      payload: { token_name: `api ${Object.keys(scopes).join()}`, metadata: { integration_type: 'api' }, scopes }
    })
    const body = res.json() as { token: { token_key: string; token_secret: string } }
    return basic(body.token.token_key, body.token.token_secret)
  }
  const auditReader = await make({ audit: ['get'] })
  const hostReader = await make({ host: ['get'] })
  const ok = await ctx.app.inject({ method: 'GET', url: '/api/v1/api/audit?action=token.create', headers: auditReader })
  t.equal(ok.statusCode, 200)
  t.equal((ok.json() as { total: number }).total, 2)
  const refused = await ctx.app.inject({ method: 'GET', url: '/api/v1/api/audit', headers: hostReader })
  t.equal(refused.statusCode, 403)
  t.match(refused.json(), { error: 'Access denied' })
})
