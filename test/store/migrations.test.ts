import t from 'tap'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { migrations } from '../../migrations/index.js'
import { openStore } from '../../src/store/open-database.js'
import { migrateToLatest } from '../../src/store/migrate.js'
import { tempDataDir } from '../helpers/test-app.js'

t.test('every migration file is listed in the static index (the single executable cannot scan folders)', async (t) => {
  const files = readdirSync(join(__dirname, '../../migrations'))
    .filter((f) => /^\d{4}_.*\.ts$/.test(f))
    .map((f) => f.replace(/\.ts$/, ''))
  t.ok(files.length > 0)
  t.same(Object.keys(migrations).sort(), files.sort())
})

t.test('migrating twice is a no-op and the pragmas are set', async (t) => {
  const dir = tempDataDir()
  const store = openStore(join(dir, 'x.db'))
  t.teardown(() => store.close())
  const first = await migrateToLatest(store)
  t.ok((first.results ?? []).length > 0)
  const second = await migrateToLatest(store)
  t.equal((second.results ?? []).length, 0)
  t.equal(store.sqlite.pragma('journal_mode', { simple: true }), 'wal')
  t.equal(store.sqlite.pragma('foreign_keys', { simple: true }), 1)
  t.equal(store.sqlite.pragma('synchronous', { simple: true }), 1, 'NORMAL')
  t.equal(store.sqlite.pragma('busy_timeout', { simple: true }), 5000)
})
