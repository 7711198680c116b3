// Builds dist/patchmon once (into a temp folder) and drives it like a user on a machine without
// Node: from an empty folder, nothing on PATH.
import t from 'tap'
import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { buildAll, type BuildResult } from '../../packaging/build.js'
import { cleanEnv, login, runSync, startServer } from './run-binary.js'
import { agentReport, debianPackages } from '../helpers/agent-fixtures.js'
import { authorizeAtProvider, CLIENT_ID, CLIENT_SECRET, startProvider } from '../oidc/oidc-test-provider.js'

const PASSWORD = 'first-admin-password'
// Inside the project (build/ is ignored by git): the plain bundle reads its assets from the tree.
mkdirSync(join(__dirname, '../../build'), { recursive: true })
const work = mkdtempSync(join(__dirname, '../../build/sea-test-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))
let built: BuildResult

function emptyDir(name: string): string {
  return mkdtempSync(join(work, `${name}-`))
}

/** Row count and a hash of the rows of every table: equal means the same content. */
function fingerprint(file: string): Record<string, string> {
  const db = new Database(file, { readonly: true })
  try {
    const tables = (
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as {
        name: string
      }[]
    ).map((r) => r.name)
    return Object.fromEntries(
      tables.map((name) => {
        // Rows sorted by their own text: WITHOUT ROWID tables (trends) have no rowid to order by.
        const rows = db
          .prepare(`SELECT * FROM "${name}"`)
          .all()
          .map((row) => JSON.stringify(row))
          .sort()
        return [name, `${rows.length} rows ${createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 16)}`]
      })
    )
  } finally {
    db.close()
  }
}

const ROOT = join(__dirname, '../..')
const hasDashboard = Boolean(
  (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['build:ui']
)

t.before(async () => {
  // As `npm run build` does: the dashboard first, so the executable embeds its build output.
  if (hasDashboard) execFileSync('npm', ['run', 'build:ui'], { cwd: ROOT, stdio: 'ignore' })
  built = await buildAll(join(work, 'dist'))
})

t.test('the executable prints its version and help from an empty folder without node on PATH', async (t) => {
  const cwd = emptyDir('cli')
  const version = runSync(built.executable, ['--version'], cwd, cleanEnv())
  t.equal(version.status, 0)
  t.match(version.stdout, /^patchmon \d+\.\d+\.\d+/)
  const help = runSync(built.executable, ['--help'], cwd, cleanEnv())
  t.equal(help.status, 0)
  t.match(help.stdout, /backup <file>/)
  t.match(help.stdout, /restore <file>/)
  t.match(help.stdout, /PATCHMON_DATA_DIR/)
  t.same(readdirSync(cwd), [], '--version and --help write nothing')

  // The warm code cache (src/sea-main.ts) only helps if V8 takes it: a rejected cache is silent
  // otherwise (the bundle compiles from source, every start pays for it).
  const cache = runSync(built.executable, ['--version'], cwd, cleanEnv({ PATCHMON_DEBUG_CODE_CACHE: '1' }))
  t.match(cache.stderr, /^code cache: accepted$/m, 'V8 accepts the embedded warm code cache')

  const migrate = runSync(built.executable, ['migrate'], cwd, cleanEnv())
  t.equal(migrate.status, 0, migrate.stderr)
  t.match(migrate.stdout, /is at the latest schema/)
  const create = runSync(built.executable, ['admin', 'create', 'auditor', 'readonly'], cwd, cleanEnv())
  t.equal(create.status, 0, create.stderr)
  t.match(create.stdout, /Created readonly auditor\npassword: \S{12,}/)
  const reset = runSync(
    built.executable,
    ['admin', 'reset-password', 'auditor'],
    cwd,
    cleanEnv({ PATCHMON_ADMIN_PASSWORD: 'chosen-password' })
  )
  t.equal(reset.status, 0, reset.stderr)
  const unknown = runSync(built.executable, ['frobnicate'], cwd, cleanEnv())
  t.equal(unknown.status, 1)
  t.match(unknown.stderr, /unknown command frobnicate/)
})

t.test('the executable serves, backs up online, stops cleanly on SIGTERM, and its backup restores elsewhere', async (t) => {
  const cwd = emptyDir('serve')
  const env = cleanEnv({ PATCHMON_ADMIN_PASSWORD: PASSWORD })
  const server = await startServer(built.executable, [], cwd, env)
  t.teardown(() => server.child.kill('SIGKILL'))
  const base = `http://127.0.0.1:${server.port}`
  const token = await login(server.port, 'admin', PASSWORD)
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }

  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${base}/api/v1/users`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ username: `operator${i}`, password: 'operator-password', role: 'user' })
    })
    t.equal(res.status, 201, `user ${i} created`)
  }

  // An agent report through the real route: a host, its credentials, a report with packages.
  const created = await fetch(`${base}/api/v1/hosts`, { method: 'POST', headers: auth, body: JSON.stringify({ friendly_name: 'web-01' }) })
  t.equal(created.status, 201)
  const host = (await created.json()) as { id: string; api_id: string; api_key: string }
  const report = await fetch(`${base}/api/v1/hosts/update`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-id': host.api_id, 'x-api-key': host.api_key },
    body: JSON.stringify(agentReport(debianPackages(300, { updates: 20 })))
  })
  t.equal(report.status, 200)
  t.match(await report.json(), { packagesProcessed: 300, updatesAvailable: 20 })

  // A served script comes out of the executable's assets.
  const removeScript = await fetch(`${base}/api/v1/hosts/remove`)
  t.equal(removeScript.status, 200)
  t.match(await removeScript.text(), /^#!\/bin\/(ba)?sh/)

  if (hasDashboard) {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'build/dashboard/manifest.json'), 'utf8')) as { entry: { js: string } }
    const index = await fetch(`${base}/`, { headers: { accept: 'text/html' } })
    t.equal(index.status, 200, 'the dashboard page comes out of the executable')
    t.match(await index.text(), manifest.entry.js)
    const script = await fetch(`${base}/assets/${manifest.entry.js}`)
    t.equal(script.status, 200, 'the dashboard script comes out of the executable')
  }

  // Swagger UI's static files come out of the executable (the plugin's own folder is absent).
  for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css', 'logo.svg']) {
    const res = await fetch(`${base}/api/v1/api-docs/static/${file}`, { headers: auth })
    t.equal(res.status, 200, `Swagger UI ${file}`)
    t.ok((await res.arrayBuffer()).byteLength > 100)
  }
  const docs = await fetch(`${base}/api/v1/openapi.json`, { headers: auth })
  t.equal(docs.status, 200)

  const dataDir = join(cwd, 'data')
  const addons = readdirSync(join(dataDir, 'native')).sort()
  t.match(
    addons,
    [/^bcrypt-[0-9a-f]{16}\.node$/, /^better_sqlite3-[0-9a-f]{16}\.node$/],
    'addons extracted, content-addressed, into the data folder'
  )
  for (const addon of addons) {
    // The name comes from the build's hash list; it must still be the hash of what was written.
    const hash = createHash('sha256')
      .update(readFileSync(join(dataDir, 'native', addon)))
      .digest('hex')
      .slice(0, 16)
    t.match(addon, new RegExp(`-${hash}\\.node$`), `${addon} is named by its content`)
  }

  // Online backup while the server runs.
  const backupFile = join(work, 'online-backup.db')
  const backup = runSync(built.executable, ['backup', backupFile], cwd, env)
  t.equal(backup.status, 0, backup.stderr)
  t.match(backup.stdout, /backup written to/)

  // Restore refuses to replace the database under the live server.
  const refused = runSync(built.executable, ['restore', backupFile], cwd, env)
  t.equal(refused.status, 1)
  t.match(refused.stderr, /in use by the PatchMon server \(pid \d+/)

  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0, 'SIGTERM exits 0')
  t.notOk(existsSync(join(dataDir, 'patchmon.db-wal')) && statSync(join(dataDir, 'patchmon.db-wal')).size > 0, 'the WAL was checkpointed')
  t.notOk(existsSync(join(dataDir, 'patchmon.lock')), 'the lock is released')
  t.notMatch(server.output(), /"level":50/, 'no error was logged')

  const elsewhere = emptyDir('restored')
  const restore = runSync(built.executable, ['restore', backupFile, '--data-dir', join(elsewhere, 'data')], elsewhere, cleanEnv())
  t.equal(restore.status, 0, restore.stderr)
  t.match(restore.stdout, /integrity ok[^]*restore complete/)
  t.same(fingerprint(join(elsewhere, 'data/patchmon.db')), fingerprint(join(dataDir, 'patchmon.db')), 'same rows in every table')

  // The restored folder serves the same accounts with the same keys.
  const again = await startServer(built.executable, [], elsewhere, cleanEnv())
  t.teardown(() => again.child.kill('SIGKILL'))
  const token2 = await login(again.port, 'operator1', 'operator-password')
  const hosts = await fetch(`http://127.0.0.1:${again.port}/api/v1/hosts/${host.id}`, { headers: { authorization: `Bearer ${token2}` } })
  t.match(await hosts.json(), { total_packages: 300, outdated_packages: 20 }, 'the restored host has its packages')
  again.child.kill('SIGTERM')
  t.equal(await again.exited, 0)
})

t.test('the plain bundle runs with node and loads its addons from dist/native', async (t) => {
  const cwd = emptyDir('bundle')
  const node = join(__dirname, '../../node_modules/node/bin/node')
  const server = await startServer(node, [built.bundle], cwd, cleanEnv({ PATCHMON_ADMIN_PASSWORD: PASSWORD }))
  t.teardown(() => server.child.kill('SIGKILL'))
  t.ok(await login(server.port, 'admin', PASSWORD))
  t.notOk(existsSync(join(cwd, 'data/native')), 'nothing extracted: the addons sit beside the bundle')
  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0)
})

t.test('the executable signs in with OpenID Connect (openid-client, ESM-only, is bundled), configured by OIDC_* variables', async (t) => {
  const serverUrl = 'http://patchmon.test'
  const provider = await startProvider(t, { redirectUris: [`${serverUrl}/api/v1/auth/oidc/callback`] })
  await provider.setAccounts({ 'sea-sub': { email: 'sea@example.com', email_verified: true, preferred_username: 'sea' } })
  const env = cleanEnv({
    PATCHMON_ADMIN_PASSWORD: PASSWORD,
    PATCHMON_SERVER_URL: serverUrl,
    OIDC_ENABLED: 'true',
    OIDC_ISSUER_URL: provider.issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_AUTO_CREATE_USERS: 'true'
  })
  const server = await startServer(built.executable, [], emptyDir('oidc'), env)
  t.teardown(() => server.child.kill('SIGKILL'))
  const base = `http://127.0.0.1:${server.port}`
  const start = await fetch(`${base}/api/v1/auth/oidc/login`, { redirect: 'manual' })
  t.equal(start.status, 302)
  const state = /oidc_state=([^;]+)/.exec(start.headers.getSetCookie().join('\n'))?.[1] ?? ''
  const back = await authorizeAtProvider(start.headers.get('location') ?? '', 'sea-sub')
  const done = await fetch(`${base}${back.pathname}${back.search}`, { redirect: 'manual', headers: { cookie: `oidc_state=${state}` } })
  t.equal(done.headers.get('location'), '/', server.output())
  const token = /(?:^|\n)token=([^;]+)/.exec(done.headers.getSetCookie().join('\n'))?.[1]
  const me = await fetch(`${base}/api/v1/auth/me`, { headers: { cookie: `token=${token ?? ''}` } })
  t.match(await me.json(), { user: { username: 'sea' } })
})

t.test('once idle, the executable and the bundle hand memory back to the system through malloc_trim', async (t) => {
  const node = join(__dirname, '../../node_modules/node/bin/node')
  const runtimes = [
    { name: 'executable', command: built.executable, args: [] as string[] },
    { name: 'bundle', command: node, args: [built.bundle] }
  ]
  await Promise.all(
    runtimes.map(async ({ name, command, args }) => {
      const cwd = emptyDir(`idle-${name}`)
      const server = await startServer(command, args, cwd, cleanEnv({ PATCHMON_ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'debug' }))
      t.teardown(() => server.child.kill('SIGKILL'))
      // The release runs after 5 s without requests (src/jobs/idle-memory-release.ts).
      let line: string | undefined
      for (let i = 0; i < 300 && !line; i++) {
        line = server
          .output()
          .split('\n')
          .find((l) => l.includes('released memory after an idle period'))
        if (!line) await new Promise((r) => setTimeout(r, 100))
      }
      t.ok(line, `${name}: the idle release ran`)
      t.match(
        JSON.parse(line ?? '{}'),
        { mallocTrimmed: true, heapBeforeMb: Number, heapAfterMb: Number },
        `${name}: glibc handed memory back`
      )
      const dropped = (JSON.parse(line ?? '{}') as { executablePagesDroppedMb?: number }).executablePagesDroppedMb
      t.ok(dropped !== undefined && dropped > 0, `${name}: its executable's file pages left the resident set (${dropped} MB)`)
      // Code and data dropped from the resident set come back on use: the server still answers.
      t.equal((await fetch(`http://127.0.0.1:${server.port}/health`)).status, 200, `${name}: answers after the release`)
      t.ok(await login(server.port, 'admin', PASSWORD), `${name}: signs in after the release`)
      server.child.kill('SIGTERM')
      t.equal(await server.exited, 0)
    })
  )
})
