import t from 'tap'
import { execFileSync } from 'node:child_process'
import { buildTestApp, type TestApp } from '../helpers/test-app.js'
import { createHost } from '../../src/hosts/host-service.js'
import { useFixtureScripts } from './enrollment-fixtures.js'

async function newHost(ctx: TestApp, osType: string | null = null) {
  const { host, apiKey } = await createHost(ctx.store.db, { friendlyName: 'web-1', osType })
  return { apiId: host.api_id, apiKey, headers: { 'x-api-id': host.api_id, 'x-api-key': apiKey } }
}

function scriptValues(script: string, env: Record<string, string> = {}): Record<string, string> {
  const out = execFileSync('dash', ['-s'], { input: script, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, encoding: 'utf8' })
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])
  )
}

const exchange = (ctx: TestApp, payload: unknown, contentType = 'application/json') =>
  ctx.app.inject({
    method: 'POST',
    url: '/api/v1/hosts/bootstrap/exchange',
    headers: { 'content-type': contentType },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload)
  })

t.test('the install script carries a bootstrap token that trades once for the credentials', async (t) => {
  const ctx = await buildTestApp(t)
  useFixtureScripts(ctx)
  await ctx.app.settings.set('server_url', 'https://pm.example.com')
  const host = await newHost(ctx)
  const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts/install?force=true&arch=arm64', headers: host.headers })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'text/plain; charset=utf-8')
  t.equal(res.headers['content-disposition'], 'inline; filename="patchmon_install.sh"')
  t.equal(res.headers['cache-control'], 'no-store, no-cache, must-revalidate')
  t.notOk(res.body.includes(host.apiKey), 'the key itself is not in the script')
  const values = scriptValues(res.body, { BOOTSTRAP_TOKEN: 'stale-from-env' })
  t.match(values, {
    PATCHMON_URL: 'https://pm.example.com',
    PATCHMON_OS: 'linux',
    CURL_FLAGS: '-s',
    SKIP_SSL_VERIFY: 'false',
    FORCE_INSTALL: 'true',
    ARCHITECTURE: 'arm64'
  })
  t.match(values.BOOTSTRAP_TOKEN, /^[0-9a-f]{64}$/, 'the fresh token always wins over the environment')

  const first = await exchange(ctx, { token: values.BOOTSTRAP_TOKEN })
  t.equal(first.statusCode, 200)
  t.equal(first.body, `{"apiId":"${host.apiId}","apiKey":"${host.apiKey}"}`, 'compact, as the script greps it')
  const replay = await exchange(ctx, { token: values.BOOTSTRAP_TOKEN })
  t.equal(replay.statusCode, 401)
  t.same(replay.json(), { error: 'Invalid or expired bootstrap token' })
  t.notOk(
    ctx.logs.some((l) => l.includes(host.apiKey) || l.includes(values.BOOTSTRAP_TOKEN as string)),
    'neither key nor token is logged'
  )
})

t.test('bootstrap tokens expire after five minutes', async (t) => {
  const ctx = await buildTestApp(t)
  useFixtureScripts(ctx)
  const host = await newHost(ctx)
  let now = Date.UTC(2030, 0, 1, 12, 0, 0)
  ctx.app.enrollmentClock.now = () => new Date(now)
  const tokenOf = async () =>
    scriptValues((await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts/install', headers: host.headers })).body).BOOTSTRAP_TOKEN
  const early = await tokenOf()
  const late = await tokenOf()
  now += 5 * 60_000 - 1
  t.equal((await exchange(ctx, { token: early })).statusCode, 200, 'valid just before five minutes')
  now += 1
  const expired = await exchange(ctx, { token: late })
  t.equal(expired.statusCode, 401)
  t.same(expired.json(), { error: 'Invalid or expired bootstrap token' })
})

t.test('install and exchange errors', async (t) => {
  const ctx = await buildTestApp(t)
  useFixtureScripts(ctx)
  const host = await newHost(ctx, 'FreeBSD')
  const noCreds = await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts/install' })
  t.equal(noCreds.statusCode, 401)
  t.same(noCreds.json(), { error: 'API credentials required' })
  const badKey = await ctx.app.inject({
    method: 'GET',
    url: '/api/v1/hosts/install',
    headers: { ...host.headers, 'x-api-key': 'f'.repeat(64) }
  })
  t.equal(badKey.statusCode, 401)
  t.same(badKey.json(), { error: 'Invalid API credentials' })

  const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts/install?arch=amd64;rm%20-rf%20/&os=plan9', headers: host.headers })
  const values = scriptValues(res.body)
  t.equal(values.ARCHITECTURE, '<unset>', 'an unknown arch is ignored')
  t.equal(values.PATCHMON_OS, 'freebsd', 'os inferred from the host when not given')
  t.equal(values.FORCE_INSTALL, 'false')

  for (const [name, payload, type] of [
    ['empty object', {}, 'application/json'],
    ['empty token', { token: '' }, 'application/json'],
    ['no body', '', 'application/json'],
    ['malformed JSON', '{"token":', 'application/json'],
    ['number', { token: 5 }, 'application/json']
  ] as const) {
    const r = await exchange(ctx, payload, type)
    t.equal(r.statusCode, 400, `${name}: status`)
    t.same(r.json(), { error: 'Bootstrap token required' }, `${name}: body`)
  }
  const unknown = await exchange(ctx, { token: 'a'.repeat(64) })
  t.equal(unknown.statusCode, 401)
  t.same(unknown.json(), { error: 'Invalid or expired bootstrap token' })
})

t.test('the removal script is served with CURL_FLAGS when present, 404 otherwise', async (t) => {
  const ctx = await buildTestApp(t)
  useFixtureScripts(ctx)
  await ctx.app.settings.set('ignore_ssl_self_signed', true)
  const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts/remove' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-disposition'], 'inline; filename="patchmon_remove.sh"')
  t.equal(scriptValues(res.body).CURL_FLAGS, '-sk')
  useFixtureScripts(ctx, ['remove-agent.sh'])
  const missing = await ctx.app.inject({ method: 'GET', url: '/api/v1/hosts/remove' })
  t.equal(missing.statusCode, 404)
  t.same(missing.json(), { error: 'Removal script not found' })
})
