// Swagger UI at /api/v1/api-docs: served with a Content-Security-Policy under which it still
// renders in a real browser (Debian's chromium), and the plain bundle starts without the
// `"root" path ".../static" must exist` warning @fastify/swagger-ui's static folder caused.
import t from 'tap'
import { spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bundleApp } from '../../packaging/bundle.js'
import { buildTestApp, bearer } from '../helpers/test-app.js'
import { chromiumMissing, startBrowserSession } from '../helpers/browser-session.js'

const ROOT = join(__dirname, '..', '..')

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
}

t.test('the docs page carries a CSP without inline script; its files are served', async (t) => {
  const ctx = await buildTestApp(t)
  for (const url of ['/api/v1/api-docs', '/api/v1/api-docs/']) {
    const anon = await ctx.app.inject({ method: 'GET', url })
    t.equal(anon.statusCode, 401, `${url} needs a signed-in user`)
    const page = await ctx.app.inject({ method: 'GET', url, headers: bearer(ctx.adminToken) })
    t.equal(page.statusCode, 200, url)
    const csp = String(page.headers['content-security-policy'])
    t.match(csp, /default-src 'none'/)
    t.match(csp, /script-src 'self'(;|$)/, 'scripts only from this server')
    t.notMatch(csp, /unsafe-eval/)
    t.match(csp, /frame-ancestors 'none'/)
    t.notMatch(page.body, /<script>|<script[^>]*>[^<\s]/, 'no inline script')
  }
  for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css', 'index.css', 'swagger-initializer.js', 'logo.svg']) {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/api-docs/static/${file}` })
    t.equal(res.statusCode, 200, file)
  }
  const init = await ctx.app.inject({ method: 'GET', url: '/api/v1/api-docs/static/swagger-initializer.js' })
  t.match(init.body, '"/api/v1/openapi.json"', 'the initializer loads our document')
  t.match(init.body, 'validatorUrl: null', 'no call to the public validator')
})

t.test('the docs page renders in chromium under its CSP, with no console errors', { skip: chromiumMissing, timeout: 60_000 }, async (t) => {
  const s = await startBrowserSession(t)
  await s.context.addCookies([{ name: 'token', value: s.ctx.adminToken, url: s.base, httpOnly: true, sameSite: 'Strict' }])
  const violations: string[] = []
  s.page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text())
  })
  const res = await s.page.goto(`${s.base}/api/v1/api-docs`)
  t.match(String(res?.headers()['content-security-policy']), /script-src 'self'/)
  await s.page.locator('.swagger-ui .info .title').filter({ hasText: 'PatchMon appliance API' }).waitFor()
  const block = s.page
    .locator('.opblock-summary-path')
    .filter({ hasText: /^\/api\/v1\/auth\/login$/ })
    .first()
  await block.waitFor()
  await block.click()
  await s.page.locator('.opblock-body').first().waitFor()
  t.ok((await s.page.locator('.opblock').count()) > 20, 'the operations are listed')
  // Swagger UI 5.33+ would render only the rows in view past 150 tags + operations; every tag
  // section stays in the page (find-in-page works), the last ones included.
  t.equal(await s.page.locator('.operations-virtual').count(), 0, 'the operations list is not virtualized')
  t.ok(await s.page.locator('.opblock-tag[data-tag="notifications"]').count(), 'a late tag section is in the page')
  await s.shot('api-docs')
  t.same(violations, [], 'no CSP violations')
  t.same(s.consoleErrors, [], 'no script errors')
})

t.test('the plain bundle starts without the "root path must exist" warning', { timeout: 120_000 }, async (t) => {
  // Inside the project tree, as dist/ is, so the bundle finds its assets; removed afterwards.
  // build/ is not in a fresh clone.
  mkdirSync(join(ROOT, 'build'), { recursive: true })
  const dir = mkdtempSync(join(ROOT, 'build', 'swagger-ui-test-'))
  const dataDir = mkdtempSync(join(tmpdir(), 'patchmon-bundle-'))
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true })
    rmSync(dataDir, { recursive: true, force: true })
  })
  await bundleApp(join(dir, 'app.cjs'))
  const sea = JSON.parse(readFileSync(join(ROOT, 'sea-config.json'), 'utf8')) as { assets: Record<string, string> }
  mkdirSync(join(dir, 'native'))
  for (const [key, file] of Object.entries(sea.assets)) copyFileSync(join(ROOT, file), join(dir, key))
  const port = await freePort()
  const child = spawn(process.execPath, [join(dir, 'app.cjs'), 'serve'], {
    cwd: dir,
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      PATCHMON_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      PATCHMON_ADMIN_PASSWORD: 'bundle-test-password'
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr.on('data', (c: Buffer) => (output += c.toString()))
  let running = true
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running = false
      resolve()
    })
  )
  t.teardown(async () => {
    child.kill('SIGTERM')
    await exited
  })
  // Bounded wait for the server to answer (at most ~30 s).
  let status = 0
  for (let i = 0; i < 150 && status !== 200 && running; i++) {
    await new Promise((r) => setTimeout(r, 200))
    status = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.status,
      () => 0
    )
  }
  t.equal(status, 200, `the bundle serves /health (output: ${output.slice(0, 500)})`)
  const docs = await fetch(`http://127.0.0.1:${port}/api/v1/api-docs/static/swagger-ui-bundle.js`)
  t.equal(docs.status, 200, 'Swagger UI files come from the tree through readAsset')
  t.notMatch(output, /must exist/, 'no "root" path warning')
  t.match(output, /listening/, 'the start-up log was captured')
})
