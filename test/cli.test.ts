// The CLI as users run it: a real process on a temp data folder.
import t from 'tap'
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bearer, buildTestApp, login, tempDataDir, userWithRole } from './helpers/test-app.js'
import { databaseFile, openStore } from '../src/store/open-database.js'

const TSX = join(__dirname, '../node_modules/.bin/tsx')
const MAIN = join(__dirname, '../src/main.ts')

function cli(args: string[], env: Record<string, string>) {
  return spawnSync(TSX, [MAIN, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, encoding: 'utf8', timeout: 60_000 })
}

t.test('version and help', async (t) => {
  t.match(cli(['--version'], {}).stdout, /^patchmon \d+\.\d+\.\d+/)
  t.match(cli(['version'], {}).stdout, /^patchmon \d+\.\d+\.\d+/)
  const help = cli(['--help'], {}).stdout
  t.match(help, /admin reset-password/)
  t.match(help, /PATCHMON_DATA_DIR/)
})

t.test('migrate, admin create and admin reset-password work on a data folder', async (t) => {
  const dir = tempDataDir()
  const migrate = cli(['migrate'], { PATCHMON_DATA_DIR: dir })
  t.equal(migrate.status, 0, migrate.stderr)
  t.match(migrate.stdout, /latest schema/)
  const create = cli(['admin', 'create', 'ops'], { PATCHMON_DATA_DIR: dir })
  t.equal(create.status, 0, create.stderr)
  t.match(create.stdout, /Created superadmin ops\npassword: [A-Za-z0-9]{20}/)
  const again = cli(['admin', 'create', 'ops'], { PATCHMON_DATA_DIR: dir })
  t.equal(again.status, 1)
  t.match(again.stderr, /^patchmon: user ops already exists/)
  const reset = cli(['admin', 'reset-password', 'ops'], { PATCHMON_DATA_DIR: dir, PATCHMON_ADMIN_PASSWORD: 'chosen-password' })
  t.equal(reset.status, 0, reset.stderr)
  t.notMatch(reset.stdout, /chosen-password/, 'a chosen password is not echoed')
  const unknown = cli(['admin', 'reset-password', 'ghost'], { PATCHMON_DATA_DIR: dir })
  t.equal(unknown.status, 1)
  const generatedReset = cli(['admin', 'create', 'ops2'], { PATCHMON_DATA_DIR: dir })
  t.equal(generatedReset.status, 0, generatedReset.stderr)
  const store = openStore(databaseFile(dir))
  const marks = await store.db.selectFrom('users').select(['username', 'must_change_password']).orderBy('username').execute()
  await store.close()
  t.same(
    marks,
    [
      { username: 'ops', must_change_password: 0 },
      { username: 'ops2', must_change_password: 1 }
    ],
    'a generated password must be changed; a chosen one (reset with PATCHMON_ADMIN_PASSWORD) not'
  )
})

t.test('admin commands go through the users service: its rules hold, a reset re-opens the account and signs it out', async (t) => {
  const ctx = await buildTestApp(t)
  const run = (args: string[], env: Record<string, string> = {}) => cli(args, { PATCHMON_DATA_DIR: ctx.dataDir, ...env })

  const unknownRole = run(['admin', 'create', 'auditor', 'no-such-role'])
  t.equal(unknownRole.status, 1)
  t.match(unknownRole.stderr, /^patchmon: unknown role no-such-role/)
  const viewer = run(['admin', 'create', 'viewer1', 'readonly'], { PATCHMON_ADMIN_PASSWORD: 'viewer-password-1' })
  t.equal(viewer.status, 0, viewer.stderr)
  t.match(viewer.stdout, /^Created readonly viewer1 with PATCHMON_ADMIN_PASSWORD/)
  const me = await ctx.app.inject({
    method: 'GET',
    url: '/api/v1/auth/me',
    headers: bearer(await login(ctx.app, 'viewer1', 'viewer-password-1'))
  })
  t.equal(me.json().user.role, 'readonly', 'the CLI-created user signs in with its role')

  const opsToken = await userWithRole(ctx, 'user', 'ops')
  const opsId: string = (await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(opsToken) })).json().user.id
  const disabled = await ctx.app.inject({
    method: 'PUT',
    url: `/api/v1/users/${opsId}`,
    headers: bearer(ctx.adminToken),
    payload: { is_active: false }
  })
  t.equal(disabled.statusCode, 200)
  const reset = run(['admin', 'reset-password', 'ops'], { PATCHMON_ADMIN_PASSWORD: 'ops-new-password' })
  t.equal(reset.status, 0, reset.stderr)
  const newToken = await login(ctx.app, 'ops', 'ops-new-password')
  t.equal((await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(newToken) })).statusCode, 200, 're-opened')

  t.equal(run(['admin', 'reset-password', 'ops'], { PATCHMON_ADMIN_PASSWORD: 'ops-third-password' }).status, 0)
  const after = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(newToken) })
  t.equal(after.statusCode, 401, 'a reset ends the sessions signed in with the old password')
})

t.test('a bad setting stops start-up with one line naming it', async (t) => {
  const res = cli(['serve'], { PATCHMON_DATA_DIR: tempDataDir(), PORT: 'eighty' })
  t.equal(res.status, 1)
  t.equal(res.stderr.trim(), 'patchmon: Invalid PORT: must be an integer between 1 and 65535 (got "eighty")')
})

t.test('serve prints the first admin password once, serves, and exits 0 on SIGTERM', async (t) => {
  const dir = tempDataDir()
  const port = String(20000 + Math.floor(Math.random() * 20000))
  const child = spawn(TSX, [MAIN, 'serve'], {
    env: { ...process.env, PATCHMON_DATA_DIR: dir, PORT: port, HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  const deadline = Date.now() + 60_000
  while (!out.includes('listening on') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
  t.match(out, /username: admin\n\s+password: ([A-Za-z0-9]{20})/)
  const password = /password: ([A-Za-z0-9]{20})/.exec(out)?.[1] ?? ''
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password })
  })
  t.equal(res.status, 200, 'the printed password signs in')
  t.equal(
    ((await res.json()) as { user: { must_change_password?: boolean } }).user.must_change_password,
    true,
    'and the user is asked to change it'
  )
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  child.kill('SIGTERM')
  t.equal(await exit, 0, 'graceful exit')
  const wal = join(dir, 'patchmon.db-wal')
  t.ok(!existsSync(wal) || statSync(wal).size === 0, 'the WAL was checkpointed on shutdown')
  t.equal(out.split('password: ').length - 1, 1, 'the password is printed exactly once')
  const secondStart = cli(['migrate'], { PATCHMON_DATA_DIR: dir })
  t.notMatch(secondStart.stdout, /password/, 'no new admin on later starts')
})

t.test(
  'a data folder that cannot be written is refused naming the setting and the real cause',
  { skip: process.getuid?.() === 0 ? false : 'needs root to mount a read-only file system and to run as another user' },
  async (t) => {
    const readOnly = mkdtempSync(join(tmpdir(), 'patchmon-ro-'))
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', readOnly])
    t.teardown(() => {
      execFileSync('umount', ['-l', readOnly])
      rmSync(readOnly, { recursive: true, force: true })
    })
    const existing = cli(['serve'], { PATCHMON_DATA_DIR: readOnly })
    t.equal(existing.status, 1)
    t.equal(
      existing.stderr.trim(),
      `patchmon: Invalid PATCHMON_DATA_DIR: cannot write in ${readOnly}: ${readOnly} is on a read-only file system (EROFS)`
    )

    const missingParent = join(readOnly, 'var', 'lib', 'patchmon')
    const created = cli(['serve', '--data-dir', missingParent], {})
    t.equal(created.status, 1)
    t.equal(
      created.stderr.trim(),
      `patchmon: Invalid --data-dir: cannot create ${missingParent}: ${readOnly} is on a read-only file system (EROFS)`,
      'EROFS, not ENOENT'
    )

    // A folder the service user may not write in: run the CLI as nobody.
    const notMine = mkdtempSync(join(tmpdir(), 'patchmon-not-mine-'))
    chmodSync(notMine, 0o755)
    t.teardown(() => rmSync(notMine, { recursive: true, force: true }))
    // `env -i`: a clean environment, because tap adds hooks to every child's environment that would
    // try to write into the worktree as nobody.
    const asNobody = spawnSync(
      'setpriv',
      [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        'env',
        '-i',
        `PATH=${join(__dirname, '../node_modules/.bin')}:/usr/bin:/bin`,
        'LOG_LEVEL=warn',
        `STATE_DIRECTORY=${notMine}`,
        `HOME=${notMine}`,
        TSX,
        MAIN,
        'serve'
      ],
      { encoding: 'utf8', timeout: 60_000 }
    )
    t.equal(asNobody.status, 1, asNobody.stderr)
    t.match(
      asNobody.stderr.trim(),
      new RegExp(
        `^patchmon: Invalid STATE_DIRECTORY \\(set by systemd from StateDirectory=\\): cannot write in ${notMine}: user \\S+ \\(uid 65534\\) may not write in ${notMine} \\(EACCES\\)`
      )
    )
    t.notMatch(asNobody.stderr, /\.tmp/, 'no temp file name')
    t.same(readdirSync(notMine), [], 'nothing was written')
  }
)
