import t from 'tap'
import { createHost } from '../../src/hosts/host-service.js'
import { bearer, buildTestApp } from '../helpers/test-app.js'

t.test('/metrics serves Prometheus text with request, host and database series', async (t) => {
  const ctx = await buildTestApp(t)
  await createHost(ctx.store.db, { friendlyName: 'never-reported' })
  const fresh = await createHost(ctx.store.db, { friendlyName: 'fresh' })
  const stale = await createHost(ctx.store.db, { friendlyName: 'stale' })
  const now = new Date().toISOString()
  const old = new Date(Date.now() - 5 * 3_600_000).toISOString()
  await ctx.store.db.updateTable('hosts').set({ status: 'active', last_update: now }).where('id', '=', fresh.host.id).execute()
  await ctx.store.db.updateTable('hosts').set({ status: 'active', last_update: old }).where('id', '=', stale.host.id).execute()
  await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(ctx.adminToken) })

  const res = await ctx.app.inject({ method: 'GET', url: '/metrics' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /text\/plain/)
  t.match(res.body, /patchmon_http_requests_total\{method="GET",route="\/api\/v1\/auth\/me",status_code="200",service="patchmon"\} 1/)
  t.match(res.body, /patchmon_hosts\{status="pending",service="patchmon"\} 1/)
  t.match(res.body, /patchmon_hosts\{status="active",service="patchmon"\} 1/)
  t.match(res.body, /patchmon_hosts\{status="inactive",service="patchmon"\} 1/)
  t.match(res.body, /patchmon_sqlite_size_bytes\{service="patchmon"\} [1-9]\d*/)
  t.match(res.body, /patchmon_process_resident_memory_bytes\{/)
  t.notMatch(res.body, new RegExp(ctx.adminToken.slice(0, 20)), 'no token material in labels')
})

t.test('/metrics requires the bearer token when PATCHMON_METRICS_TOKEN is set', async (t) => {
  const ctx = await buildTestApp(t, { env: { PATCHMON_METRICS_TOKEN: 'scrape-secret' } })
  t.equal((await ctx.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401)
  t.equal((await ctx.app.inject({ method: 'GET', url: '/metrics', headers: bearer('wrong') })).statusCode, 401)
  t.equal((await ctx.app.inject({ method: 'GET', url: '/metrics', headers: bearer('scrape-secret') })).statusCode, 200)
})
