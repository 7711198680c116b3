import t from 'tap'
import { execFile } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
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

  const token = readFileSync(join(ctx.dataDir, 'metrics-token'), 'utf8').trim()
  const res = await ctx.app.inject({ method: 'GET', url: '/metrics', headers: bearer(token) })
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

t.test('/metrics is closed by default: a token is generated into the data folder', async (t) => {
  const ctx = await buildTestApp(t)
  const file = join(ctx.dataDir, 'metrics-token')
  t.equal(statSync(file).mode & 0o777, 0o600, 'token file readable by the service user only')
  const token = readFileSync(file, 'utf8').trim()
  t.match(token, /^[0-9a-f]{64}$/)
  const open = await ctx.app.inject({ method: 'GET', url: '/metrics' })
  t.equal(open.statusCode, 401)
  t.notMatch(open.body, /patchmon_/, 'no series without the token')
  t.equal((await ctx.app.inject({ method: 'GET', url: '/metrics', headers: bearer('wrong') })).statusCode, 401)
  t.equal((await ctx.app.inject({ method: 'GET', url: '/metrics', headers: bearer(token) })).statusCode, 200)
  const again = await ctx.restart()
  t.equal(
    (await again.app.inject({ method: 'GET', url: '/metrics', headers: bearer(token) })).statusCode,
    200,
    'the same token after a restart'
  )
})

t.test('a Prometheus-style scrape with the generated token (curl, as Prometheus sends it) reads the series', async (t) => {
  const ctx = await buildTestApp(t)
  const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const tokenFile = join(ctx.dataDir, 'metrics-token')
  // Prometheus' scrape: its Accept header and `authorization: { credentials_file: <file> }`.
  const scrape = (extra: string[]) =>
    promisify(execFile)('curl', [
      '-sS',
      '-w',
      '\n%{http_code}',
      '-H',
      'Accept: application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1',
      ...extra,
      `${address}/metrics`
    ])
  const denied = await scrape([])
  t.match(denied.stdout, /\n401$/)
  const ok = await scrape(['-H', `Authorization: Bearer ${readFileSync(tokenFile, 'utf8').trim()}`])
  t.match(ok.stdout, /\n200$/)
  t.match(ok.stdout, /^# HELP patchmon_/m)
  t.match(ok.stdout, /^patchmon_hosts\{status="pending",service="patchmon"\} 0$/m)
})
