import t, { type Test } from 'tap'
import Database from 'better-sqlite3'
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildTestApp, tempDataDir } from '../helpers/test-app.js'
import { backupDatabase } from '../../src/backup/backup-database.js'
import { restoreDatabase } from '../../src/backup/restore-database.js'
import { acquireDataDirLock, LOCK_FILE } from '../../src/backup/data-dir-lock.js'
import { databaseFile } from '../../src/store/open-database.js'
import { migrations } from '../../migrations/index.js'

function cleanup(t: Test, ...dirs: string[]) {
  t.teardown(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))
}

async function addUsers(app: Awaited<ReturnType<typeof buildTestApp>>, n: number) {
  for (let i = 0; i < n; i++) {
    const res = await app.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { authorization: `Bearer ${app.adminToken}` },
      payload: { username: `user${i}`, email: `user${i}@example.test`, password: 'Passw0rd-long-enough', role: 'user' }
    })
    if (res.statusCode !== 201) throw new Error(`create user: ${res.statusCode} ${res.body}`)
  }
}

function rowCounts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true })
  try {
    const tables = (
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as {
        name: string
      }[]
    ).map((r) => r.name)
    return Object.fromEntries(tables.map((name) => [name, (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]))
  } finally {
    db.close()
  }
}

t.test('backup copies a live database and restore brings it into another data folder with its keys', async (t) => {
  const ctx = await buildTestApp(t)
  await addUsers(ctx, 3)
  const out = tempDataDir('patchmon-backup-out-')
  const target = tempDataDir('patchmon-restore-')
  cleanup(t, out, target)
  const lines: string[] = []
  const file = join(out, 'patchmon.backup.db')
  // The app still holds its connection open: the copy is online.
  const result = await backupDatabase(ctx.dataDir, file, (l) => lines.push(l))
  t.equal(result.users, 4)
  t.equal(statSync(file).mode & 0o777, 0o600, 'the backup is private to its owner')
  t.notOk(existsSync(`${file}-wal`), 'the backup is one standalone file')
  t.match(lines.join('\n'), `verified: integrity ok, ${Object.keys(migrations).length} migrations, 4 users`)

  const restoreLines: string[] = []
  const restored = await restoreDatabase(target, file, (l) => restoreLines.push(l))
  t.equal(restored.previous, undefined)
  t.same(rowCounts(databaseFile(target)), rowCounts(ctx.store.file), 'every table has the same number of rows')
  t.equal(readFileSync(join(target, 'secret-encryption-key'), 'utf8'), readFileSync(join(ctx.dataDir, 'secret-encryption-key'), 'utf8'))
  t.equal(readFileSync(join(target, 'jwt-secret'), 'utf8'), readFileSync(join(ctx.dataDir, 'jwt-secret'), 'utf8'))
  t.match(restoreLines.join('\n'), /checking .*\n.*integrity ok[^]*restore complete/)
  t.notOk(existsSync(join(target, LOCK_FILE)), 'restore releases its lock')

  // The restored folder serves the same accounts.
  const again = await buildTestApp(t, { dataDir: target })
  const login = await again.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'user2', password: 'Passw0rd-long-enough' }
  })
  t.equal(login.statusCode, 200)
})

t.test('restore keeps the previous database as a timestamped copy', async (t) => {
  const source = await buildTestApp(t)
  await addUsers(source, 2)
  const out = tempDataDir('patchmon-backup-out-')
  cleanup(t, out)
  const file = join(out, 'b.db')
  await backupDatabase(source.dataDir, file, () => {})

  const target = await buildTestApp(t)
  const before = rowCounts(target.store.file)
  await target.app.close()
  await target.store.close()
  const result = await restoreDatabase(target.dataDir, file, () => {}, new Date('2026-11-25T10:20:30.456Z'))
  t.equal(result.previous, `${target.store.file}.before-restore-2026-11-25T10-20-30Z`)
  t.same(rowCounts(result.previous as string), before, 'the kept copy is the old database, complete')
  t.equal(rowCounts(target.store.file).users, 3)
  t.ok(
    readdirSync(target.dataDir).some((f) => f.startsWith('secret-encryption-key.before-restore-')),
    'the old key is kept too'
  )
})

t.test('restore refuses to run while the server holds the data folder', async (t) => {
  const ctx = await buildTestApp(t)
  const out = tempDataDir('patchmon-backup-out-')
  cleanup(t, out)
  const file = join(out, 'b.db')
  await backupDatabase(ctx.dataDir, file, () => {})
  const lock = acquireDataDirLock(ctx.dataDir, 'serve')
  t.teardown(() => lock.release())
  await t.rejects(
    restoreDatabase(ctx.dataDir, file, () => {}),
    { name: 'DataDirBusyError', message: /in use by the PatchMon server \(pid \d+/ }
  )
  t.same(
    readdirSync(ctx.dataDir).filter((f) => f.includes('before-restore')),
    [],
    'nothing was touched'
  )
})

t.test('a lock left by a process that is gone does not block restore', async (t) => {
  const ctx = await buildTestApp(t)
  const out = tempDataDir('patchmon-backup-out-')
  cleanup(t, out)
  const file = join(out, 'b.db')
  await backupDatabase(ctx.dataDir, file, () => {})
  await ctx.app.close()
  await ctx.store.close()
  writeFileSync(join(ctx.dataDir, LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 12345, command: 'serve', startedAt: '2026-01-01T00:00:00Z' }))
  await restoreDatabase(ctx.dataDir, file, () => {})
  t.notOk(existsSync(join(ctx.dataDir, LOCK_FILE)))
})

t.test('restore refuses a damaged file and a file from a newer version, touching nothing', async (t) => {
  const ctx = await buildTestApp(t)
  const out = tempDataDir('patchmon-backup-out-')
  cleanup(t, out)
  await ctx.app.close()
  await ctx.store.close()

  const garbage = join(out, 'garbage.db')
  writeFileSync(garbage, 'this is not a database at all, just text'.repeat(200))
  await t.rejects(
    restoreDatabase(ctx.dataDir, garbage, () => {}),
    { name: 'BackupFileError', message: /not a readable SQLite database/ }
  )

  const newer = join(out, 'newer.db')
  await backupDatabase(ctx.dataDir, newer, () => {})
  const db = new Database(newer)
  db.prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)').run('9999_from_the_future', new Date().toISOString())
  db.close()
  await t.rejects(
    restoreDatabase(ctx.dataDir, newer, () => {}),
    /newer PatchMon \(unknown migrations: 9999_from_the_future\)/
  )

  const damaged = join(out, 'damaged.db')
  await backupDatabase(ctx.dataDir, damaged, () => {})
  const bytes = readFileSync(damaged)
  // Break the b-tree header of every page after the first (the schema page stays readable).
  for (let page = 4096; page < bytes.length; page += 4096) bytes.fill(0xff, page, page + 12)
  writeFileSync(damaged, bytes)
  await t.rejects(
    restoreDatabase(ctx.dataDir, damaged, () => {}),
    { name: 'BackupFileError', message: /integrity check failed|not a readable SQLite database/ }
  )

  t.same(
    readdirSync(ctx.dataDir).filter((f) => f.includes('before-restore')),
    [],
    'the live database was never moved'
  )
  t.equal(rowCounts(databaseFile(ctx.dataDir)).users, 1)
})

t.test('backup refuses to overwrite an existing file', async (t) => {
  const ctx = await buildTestApp(t)
  const out = tempDataDir('patchmon-backup-out-')
  cleanup(t, out)
  const file = join(out, 'exists.db')
  writeFileSync(file, 'keep me')
  await t.rejects(
    backupDatabase(ctx.dataDir, file, () => {}),
    /already exists/
  )
  t.equal(readFileSync(file, 'utf8'), 'keep me')
})
