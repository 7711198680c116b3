// Start-up refuses a lost, emptied or damaged database instead of starting a new installation
// over it (issue 15, items 17 and 22): real `patchmon serve` processes on prepared data folders.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { closeSync, existsSync, openSync, readdirSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { tempDataDir } from '../helpers/test-app.js'
import { databaseFile, openStore } from '../../src/store/open-database.js'
import { migrateToLatest } from '../../src/store/migrate.js'
import { checkDatabaseIntegrity } from '../../src/store/start-checks.js'

const ROOT = join(__dirname, '../..')

function serve(dataDir: string) {
  return spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'src/main.ts'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, PATCHMON_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '1', LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 60_000
  })
}

/** A data folder as a previous start left it: keys and a migrated database with some rows. */
async function installedDataDir(): Promise<string> {
  const dir = tempDataDir('patchmon-start-checks-')
  writeFileSync(join(dir, 'jwt-secret'), 'a'.repeat(64) + '\n', { mode: 0o600 })
  writeFileSync(join(dir, 'secret-encryption-key'), 'b'.repeat(64) + '\n', { mode: 0o600 })
  const store = openStore(databaseFile(dir))
  await migrateToLatest(store)
  const insert = store.sqlite.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)')
  for (let i = 0; i < 2000; i++) insert.run(`filler-${i}`, 'x'.repeat(200), new Date().toISOString())
  await store.close()
  return dir
}

t.test('a zero-byte patchmon.db beside the keys is refused, naming the file and the way back', async (t) => {
  const dir = await installedDataDir()
  writeFileSync(databaseFile(dir), '')
  const res = serve(dir)
  t.equal(res.status, 1)
  t.match(res.stderr, `patchmon: the database is empty (0 bytes): ${databaseFile(dir)}`)
  t.match(res.stderr, /the database was lost[^]*patchmon restore FILE/)
  t.equal(statSync(databaseFile(dir)).size, 0, 'nothing was written into it')
})

t.test('a missing patchmon.db beside the keys is refused instead of creating a new admin', async (t) => {
  const dir = await installedDataDir()
  renameSync(databaseFile(dir), join(dir, 'elsewhere.db'))
  const res = serve(dir)
  t.equal(res.status, 1)
  t.match(res.stderr, `patchmon: no database at ${databaseFile(dir)}`)
  t.match(res.stderr, /jwt-secret, secret-encryption-key/)
  t.notOk(existsSync(databaseFile(dir)), 'no new database was created')
  t.notMatch(res.stdout, /password/, 'no first admin was created')
})

t.test('a folder left by an interrupted restore (a kept copy, no database) is refused with how to finish', async (t) => {
  const dir = await installedDataDir()
  const kept = `${databaseFile(dir)}.before-restore-2026-11-25T10-20-30Z`
  renameSync(databaseFile(dir), kept)
  const res = serve(dir)
  t.equal(res.status, 1)
  t.match(res.stderr, 'a restore was interrupted')
  t.match(res.stderr, `mv ${kept} ${databaseFile(dir)}`)
  t.notOk(existsSync(databaseFile(dir)))
})

t.test('16 KiB of random bytes in the middle of the database: start-up refuses it as damaged', async (t) => {
  const dir = await installedDataDir()
  const file = databaseFile(dir)
  const size = statSync(file).size
  t.ok(size > 64 * 1024, `the database spans many pages (${size} bytes)`)
  const fd = openSync(file, 'r+')
  writeSync(fd, randomBytes(16 * 1024), 0, 16 * 1024, Math.floor(size / 2 / 4096) * 4096)
  closeSync(fd)
  const res = serve(dir)
  t.equal(res.status, 1)
  t.match(res.stderr, `patchmon: the database ${file} is damaged`)
  t.match(res.stderr, /restore your latest backup with `patchmon restore FILE`/)
  t.notOk(readdirSync(dir).includes('patchmon.lock'), 'the refusal releases the data-folder lock')
})

t.test('the start-up check times itself and is skipped above its size limit', async (t) => {
  const dir = await installedDataDir()
  const checked = checkDatabaseIntegrity(databaseFile(dir))
  t.equal(checked.skipped, false)
  t.type(checked.ms, 'number')
  const skipped = checkDatabaseIntegrity(databaseFile(dir), 1024)
  t.equal(skipped.skipped, true)
  t.equal(skipped.ms, undefined)
})
