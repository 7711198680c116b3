// The server side of the dashboard: index.html for client-side routes with a strict CSP, hashed
// files cached for good, fixed-name icons, and the API/health/metrics paths never shadowed.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { buildTestApp, bearer } from '../helpers/test-app.js'
import { ensureDashboardBuilt } from '../helpers/dashboard-build.js'
import type { DashboardManifest } from '../../src/dashboard/dashboard-manifest.js'

ensureDashboardBuilt()
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'build', 'dashboard', 'manifest.json'), 'utf8')) as DashboardManifest
const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }

t.test('client-side routes get index.html with a strict CSP and no-cache', async (t) => {
  const { app } = await buildTestApp(t)
  for (const url of [
    '/',
    '/login',
    '/hosts/3f1c9a8e-0000-4000-8000-000000000000',
    '/settings/profile?discord_linked=true',
    '/alerts/notification-logs'
  ]) {
    const res = await app.inject({ method: 'GET', url, headers: html })
    t.equal(res.statusCode, 200, url)
    t.match(res.headers['content-type'], /^text\/html/, url)
    t.equal(res.headers['cache-control'], 'no-cache', url)
    const csp = String(res.headers['content-security-policy'])
    t.match(csp, /script-src 'self'/)
    t.notMatch(csp, /unsafe-inline|unsafe-eval/, 'no inline script or eval allowed')
    t.match(csp, /frame-ancestors 'none'/)
    t.ok(
      res.body.includes(`/assets/${manifest.entry.js}`) && res.body.includes(`/assets/${manifest.entry.css}`),
      'index points at the hashed bundle'
    )
    t.notMatch(res.body, /<script>(?!<)/, 'no inline script')
  }
})

t.test('API, health and metrics paths are never answered with the dashboard', async (t) => {
  const { app, adminToken } = await buildTestApp(t)
  const missing = await app.inject({ method: 'GET', url: '/api/v1/no-such-thing', headers: html })
  t.equal(missing.statusCode, 404)
  t.same(missing.json(), { error: 'Not found', message: 'Route GET /api/v1/no-such-thing not found' })
  const health = await app.inject({ method: 'GET', url: '/health', headers: html })
  t.equal(health.json().status, 'ok')
  const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { ...html, ...bearer(adminToken) } })
  t.equal(me.json().user.username, 'admin')
  const metrics = await app.inject({ method: 'GET', url: '/metrics', headers: html })
  t.notMatch(metrics.headers['content-type'], /text\/html/, '/metrics is not the dashboard')
})

t.test('requests that do not accept HTML get the JSON 404, not the page', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/hosts', headers: { accept: 'application/json' } })
  t.equal(res.statusCode, 404)
  t.equal(res.json().error, 'Not found')
})

t.test('the root URL answers 200 with the page for any Accept (uptime monitors, plain curl)', async (t) => {
  const { app } = await buildTestApp(t)
  const accepts: Array<Record<string, string>> = [{}, { accept: '*/*' }, { accept: 'application/json' }, { accept: 'text/plain' }]
  for (const headers of accepts) {
    for (const method of ['GET', 'HEAD'] as const) {
      const res = await app.inject({ method, url: '/', headers })
      const label = `${method} / with Accept ${headers['accept'] ?? '(none)'}`
      t.equal(res.statusCode, 200, label)
      t.match(res.headers['content-type'], /^text\/html/, label)
      t.match(String(res.headers['content-security-policy']), /script-src 'self'/, label)
    }
  }
  const probed = await app.inject({ method: 'GET', url: '/?uptime-probe=1' })
  t.equal(probed.statusCode, 200, 'a query string on the root is still the page')
  t.match(probed.body, /<div id="app">|<script type="module"/, 'the dashboard page itself')
  const other = await app.inject({ method: 'GET', url: '/hosts', headers: { accept: 'application/json' } })
  t.equal(other.statusCode, 404, 'other client-side routes still need Accept: text/html')
  const api = await app.inject({ method: 'GET', url: '/api/v1/nope' })
  t.same(api.json(), { error: 'Not found', message: 'Route GET /api/v1/nope not found' }, 'API 404s stay JSON')
})

t.test('hashed files are immutable; icons have fixed names; only manifest files are served', async (t) => {
  const { app } = await buildTestApp(t)
  const js = await app.inject({ method: 'GET', url: `/assets/${manifest.entry.js}` })
  t.equal(js.statusCode, 200)
  t.match(js.headers['content-type'], /^text\/javascript/)
  t.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable')
  const css = await app.inject({ method: 'GET', url: `/assets/${manifest.entry.css}` })
  t.match(css.headers['content-type'], /^text\/css/)
  const types: Record<string, RegExp> = {
    'favicon.svg': /^image\/svg\+xml/,
    'logo_dark.png': /^image\/png/,
    'logo_light.png': /^image\/png/
  }
  for (const [file, type] of Object.entries(types)) {
    const res = await app.inject({ method: 'GET', url: `/assets/${file}` })
    t.equal(res.statusCode, 200, file)
    t.match(res.headers['content-type'], type, file)
    t.equal(res.headers['cache-control'], 'public, max-age=86400', file)
  }
  const png = await app.inject({ method: 'GET', url: '/assets/logo_dark.png' })
  t.same(png.rawPayload.subarray(0, 8), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'a real PNG')
  for (const url of ['/assets/manifest.json', '/assets/index.html', '/assets/..%2Fpackage.json', '/assets/nope.js', '/assets/a/b']) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 404, url)
  }
})

t.test('text files are sent gzipped to browsers that accept it', async (t) => {
  const { app } = await buildTestApp(t)
  const plain = await app.inject({ method: 'GET', url: `/assets/${manifest.entry.js}` })
  const zipped = await app.inject({
    method: 'GET',
    url: `/assets/${manifest.entry.js}`,
    headers: { 'accept-encoding': 'gzip, deflate, br' }
  })
  t.equal(zipped.headers['content-encoding'], 'gzip')
  t.equal(zipped.headers.vary, 'accept-encoding')
  t.ok(zipped.rawPayload.length < plain.rawPayload.length / 2, 'at least halves the bundle')
  t.equal(gunzipSync(zipped.rawPayload).toString('utf8'), plain.body)
  const png = await app.inject({ method: 'GET', url: '/assets/logo_dark.png', headers: { 'accept-encoding': 'gzip' } })
  t.equal(png.headers['content-encoding'], undefined, 'PNGs are already compressed')
})

t.test('first-start hint is on until somebody signs in', async (t) => {
  const ctx = await buildTestApp(t)
  // buildTestApp signs the admin in, so the hint is already off; a fresh database shows it.
  const after = await ctx.app.inject({ method: 'GET', url: '/api/v1/dashboard/first-start' })
  t.same(after.json(), { first_start: false })
  await ctx.store.db.updateTable('users').set({ last_login_at: null }).execute()
  const before = await ctx.app.inject({ method: 'GET', url: '/api/v1/dashboard/first-start' })
  t.same(before.json(), { first_start: true })
})
