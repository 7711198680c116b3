// Safe upgrades across a real migration: a database built at 0013 with data in it, the current
// server started on it (a real process) -> a verified pre-upgrade snapshot; then `patchmon
// rollback` without and with --force, refused while the server runs.
import t, { type Test } from 'tap'
import Database from 'better-sqlite3'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import type { Kysely, Migration } from 'kysely'
import { tempDataDir } from '../helpers/test-app.js'
import { databaseFile, openStore } from '../../src/store/open-database.js'
import { migrations } from '../../migrations/index.js'
import { inspectBackup } from '../../src/backup/backup-file.js'
import { encodeVersion } from '../../src/backup/upgrade-snapshot.js'
import { APP_VERSION } from '../../src/version.js'

const TSX = join(__dirname, '../../node_modules/.bin/tsx')
const MAIN = join(__dirname, '../../src/main.ts')
const BEFORE = '0013_patching_runs'

function cli(args: string[], env: Record<string, string>) {
  return spawnSync(TSX, [MAIN, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, encoding: 'utf8', timeout: 90_000 })
}

/** A data folder whose database an earlier version made: migrated up to 0013 only, two hosts, one report. */
async function databaseAt0013(t: Test, oldVersion = '0.0.9'): Promise<string> {
  const dir = tempDataDir('patchmon-upgrade-')
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const store = openStore(databaseFile(dir))
  store.sqlite.exec(`CREATE TABLE kysely_migration (name varchar(255) NOT NULL PRIMARY KEY, timestamp varchar(255) NOT NULL);
    CREATE TABLE kysely_migration_lock (id varchar(255) NOT NULL PRIMARY KEY, is_locked integer NOT NULL DEFAULT 0);`)
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations are untyped, as in src/store/migrate.ts
  const untyped = store.db as Kysely<any>
  for (const name of Object.keys(migrations).sort()) {
    if (name > BEFORE) break
    await (migrations[name] as Migration).up(untyped)
    store.sqlite.prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)').run(name, new Date().toISOString())
  }
  for (const name of ['web-1', 'db-1']) addHost(store.sqlite, name)
  store.sqlite.pragma(`user_version = ${encodeVersion(oldVersion)}`)
  await store.close()
  return dir
}

function addHost(db: Database.Database, name: string): string {
  const id = randomUUID()
  const now = new Date().toISOString()
  db.prepare('INSERT INTO hosts (id, friendly_name, api_id, api_key_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    id,
    name,
    `patchmon_${id.slice(0, 16)}`,
    'x',
    now,
    now
  )
  db.prepare('INSERT INTO report_history (id, host_id, status, created_at) VALUES (?, ?, ?, ?)').run(randomUUID(), id, 'success', now)
  return id
}

function query<T>(file: string, sql: string): T[] {
  const db = new Database(file, { readonly: true })
  try {
    return db.prepare(sql).all() as T[]
  } finally {
    db.close()
  }
}

const snapshots = (dir: string) =>
  existsSync(join(dir, 'backups')) ? readdirSync(join(dir, 'backups')).filter((n) => n.startsWith('pre-upgrade-')) : []

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

/** The current server as a process; resolves once it listens. */
async function startServer(t: Test, dir: string): Promise<ChildProcess> {
  const child = spawn(TSX, [MAIN, 'serve'], {
    env: {
      ...process.env,
      PATCHMON_DATA_DIR: dir,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      PATCHMON_LOG_FORMAT: 'json'
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  t.teardown(() => void child.kill('SIGKILL'))
  let out = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000)
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString()
      if (out.includes('listening on')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()))
    child.on('exit', (code) => reject(new Error(`server exited ${code}:\n${out}`)))
  })
  ;(child as ChildProcess & { output: () => string }).output = () => out
  return child
}

async function stopServer(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve) => {
    child.removeAllListeners('exit')
    child.on('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

t.test('the server snapshots a database before migrating it, and rollback puts it back only with --force', async (t) => {
  const dir = await databaseAt0013(t)
  const db = databaseFile(dir)
  const server = await startServer(t, dir)
  const log = (server as ChildProcess & { output: () => string }).output()

  const [name, ...others] = snapshots(dir)
  t.same(others, [], 'one snapshot')
  t.match(name, /^pre-upgrade-0\.0\.9-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.db$/, 'named by the old version and the time')
  const snapshot = join(dir, 'backups', name as string)
  t.match(log, /pre-upgrade snapshot written/)
  t.match(log, snapshot, 'the log says where it is')
  t.equal(statSync(snapshot).mode & 0o777, 0o600, 'it holds password hashes and keys')
  const check = new Database(snapshot, { readonly: true })
  const facts = inspectBackup(check) // integrity check + migrations known
  check.close()
  t.equal(facts.migrations.at(-1), BEFORE, 'the snapshot is the database before the upgrade')
  t.equal(facts.hosts, 2)
  t.ok(facts.keyFiles.length > 0, 'with the data folder keys')

  const live = query<{ name: string }>(db, 'SELECT name FROM kysely_migration ORDER BY name').map((r) => r.name)
  t.equal(live.at(-1), Object.keys(migrations).sort().at(-1), 'then the server migrated to the latest schema')
  t.equal(query<{ user_version: number }>(db, 'PRAGMA user_version')[0]?.user_version, encodeVersion(APP_VERSION))

  const busy = cli(['rollback', '--force'], { PATCHMON_DATA_DIR: dir })
  t.equal(busy.status, 1, 'refused while the server runs')
  t.match(busy.stderr, /in use by the PatchMon server/)

  await stopServer(server)
  // Written by the new version after the upgrade: a host enrolled and reporting.
  const writer = new Database(db)
  addHost(writer, 'new-since-upgrade')
  writer.close()

  const ask = cli(['rollback'], { PATCHMON_DATA_DIR: dir })
  t.equal(ask.status, 1, 'without --force nothing happens and the exit status says so')
  t.match(ask.stdout, `newest pre-upgrade snapshot: ${snapshot}`)
  t.match(ask.stdout, /schema changes undone: 0014_patching_schedules/)
  t.match(ask.stdout, / {2}hosts: 1 row\n/)
  t.match(ask.stdout, / {2}report_history: 1 row\n/)
  t.match(ask.stderr, /rollback --force/)
  t.equal(query<{ n: number }>(db, 'SELECT count(*) AS n FROM hosts')[0]?.n, 3, 'the database is untouched')

  const forced = cli(['rollback', '--force'], { PATCHMON_DATA_DIR: dir })
  t.equal(forced.status, 0, forced.stderr)
  t.match(forced.stdout, /kept the previous database as .*patchmon\.db\.before-restore-/)
  t.same(
    query<{ friendly_name: string }>(db, 'SELECT friendly_name FROM hosts ORDER BY friendly_name').map((r) => r.friendly_name),
    ['db-1', 'web-1'],
    'the hosts of the snapshot, not the one added since'
  )
  t.equal(
    query<{ name: string }>(db, 'SELECT name FROM kysely_migration ORDER BY name').at(-1)?.name,
    BEFORE,
    'not migrated again: the previous version runs on it'
  )
  t.same(query(db, `SELECT name FROM sqlite_master WHERE name = 'patch_holds'`), [], 'the upgrade’s tables are gone')
})

t.test('migrate takes the snapshot too, keeps only the last N, and no snapshot when nothing is pending', async (t) => {
  const dir = await databaseAt0013(t)
  const first = cli(['migrate'], { PATCHMON_DATA_DIR: dir })
  t.equal(first.status, 0, first.stderr)
  t.match(first.stdout, /migrations pending \(0014_patching_schedules[,)][^\n]*: taking a pre-upgrade snapshot/)
  t.match(first.stdout, /backup written to .*backups\/pre-upgrade-0\.0\.9-/)
  t.equal(snapshots(dir).length, 1)

  const again = cli(['migrate'], { PATCHMON_DATA_DIR: dir })
  t.equal(again.status, 0, again.stderr)
  t.notMatch(again.stdout, /snapshot/, 'nothing pending: no snapshot')
  t.equal(snapshots(dir).length, 1)

  // Back to 0013 twice more (each rollback then migrate = one more snapshot); only 2 are kept.
  for (let i = 0; i < 2; i++) {
    t.equal(cli(['rollback', '--force'], { PATCHMON_DATA_DIR: dir }).status, 0)
    const m = cli(['migrate'], { PATCHMON_DATA_DIR: dir, PATCHMON_UPGRADE_SNAPSHOTS: '2' })
    t.equal(m.status, 0, m.stderr)
  }
  t.equal(snapshots(dir).length, 2, 'the oldest was removed')
})

t.test('a first start takes no snapshot; a database from a newer version is refused with the way back', async (t) => {
  const dir = tempDataDir('patchmon-upgrade-fresh-')
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const fresh = cli(['migrate'], { PATCHMON_DATA_DIR: dir })
  t.equal(fresh.status, 0, fresh.stderr)
  t.same(snapshots(dir), [])
  const nothing = cli(['rollback', '--force'], { PATCHMON_DATA_DIR: dir })
  t.equal(nothing.status, 1)
  t.match(nothing.stderr, /no pre-upgrade snapshot in .*backups: nothing to roll back to/)

  const w = new Database(databaseFile(dir))
  w.prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)').run('9999_from_the_future', new Date().toISOString())
  w.close()
  const refused = cli(['migrate'], { PATCHMON_DATA_DIR: dir })
  t.equal(refused.status, 1)
  t.match(refused.stderr, /was migrated by a newer PatchMon \(9999_from_the_future\).*patchmon rollback/)
})

const NOT_ROOT = process.getuid?.() !== 0 ? 'needs root to mount a small tmpfs' : false

t.test('not enough free disk for the snapshot: the upgrade is refused before anything is migrated', { skip: NOT_ROOT }, async (t) => {
  const dir = await databaseAt0013(t)
  const backups = join(dir, 'backups')
  // A database of ~3 MiB and a 2 MiB file system for the snapshots.
  const w = new Database(databaseFile(dir))
  w.exec('CREATE TABLE ballast (b BLOB)')
  w.prepare('INSERT INTO ballast VALUES (randomblob(3000000))').run()
  w.close()
  mkdirSync(backups)
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', backups], { encoding: 'utf8' })
  if (mount.status !== 0) {
    t.comment(`skipped: cannot mount a tmpfs here: ${mount.stderr.trim()}`)
    return
  }
  t.teardown(() => void spawnSync('umount', [backups]))
  const run = cli(['migrate'], { PATCHMON_DATA_DIR: dir })
  t.equal(run.status, 1)
  t.match(
    run.stderr,
    /not enough free disk for the pre-upgrade snapshot: it needs \d+\.\d MiB, .* has \d+\.\d MiB free.*Nothing was migrated/
  )
  t.equal(
    query<{ name: string }>(databaseFile(dir), 'SELECT name FROM kysely_migration ORDER BY name').at(-1)?.name,
    BEFORE,
    'still at the old schema'
  )
})
