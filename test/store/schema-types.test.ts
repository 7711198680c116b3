// src/store/database-types.ts is what every query is typed against, and tsc holds it to the column
// list in src/store/database-columns.ts. This test holds that list to the real schema: every table
// a fresh database has after all migrations, each column, and whether it may be NULL or has a default.
import t, { type Test } from 'tap'
import { join } from 'node:path'
import { openStore, type Store } from '../../src/store/open-database.js'
import { migrateToLatest } from '../../src/store/migrate.js'
import { DATABASE_COLUMNS, type ColumnKind } from '../../src/store/database-columns.js'
import { tempDataDir } from '../helpers/test-app.js'

interface ColumnInfo {
  name: string
  notnull: number
  dflt_value: string | null
  pk: number
}

/** Tables of the migration runner itself, outside the application's types (see src/store/migrate.ts). */
const BOOKKEEPING = ['kysely_migration', 'kysely_migration_lock']

function kindOf(c: ColumnInfo): ColumnKind {
  if (c.notnull === 0 && c.pk === 0) return 'nullable'
  return c.dflt_value !== null ? 'defaulted' : 'required'
}

/** Every application table of the database as `{ table: { column: kind } }`. */
function describeSchema(store: Store): Record<string, Record<string, ColumnKind>> {
  const tables = store.sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[]
  const out: Record<string, Record<string, ColumnKind>> = {}
  for (const { name } of tables) {
    if (BOOKKEEPING.includes(name)) continue
    const columns = store.sqlite.prepare(`PRAGMA table_info("${name}")`).all() as ColumnInfo[]
    out[name] = Object.fromEntries(columns.map((c) => [c.name, kindOf(c)]))
  }
  return out
}

/** The typed description, with tables and columns in the same (sorted) order as describeSchema. */
function describeTypes(): Record<string, Record<string, ColumnKind>> {
  const out: Record<string, Record<string, ColumnKind>> = {}
  for (const table of Object.keys(DATABASE_COLUMNS).sort()) out[table] = DATABASE_COLUMNS[table as keyof typeof DATABASE_COLUMNS]
  return out
}

/** A fresh database with every migration applied. */
async function migratedStore(t: Test): Promise<Store> {
  const store = openStore(join(tempDataDir(), 'schema.db'))
  t.teardown(() => store.close())
  await migrateToLatest(store)
  return store
}

t.test('database-types.ts names every table and column of the migrated schema, with its nullability and default', async (t) => {
  const store = await migratedStore(t)
  const schema = describeSchema(store)
  const types = describeTypes()
  t.same(Object.keys(types), Object.keys(schema), 'the same tables')
  // t.same ignores key order: the columns' order in the types is free.
  for (const table of Object.keys(schema)) t.same(types[table], schema[table], table)
})

t.test('the comparison notices a column the types do not have, and one the schema does not have', async (t) => {
  const store = await migratedStore(t)
  store.sqlite.exec('ALTER TABLE hosts ADD COLUMN added_by_a_migration TEXT')
  t.notSame(describeSchema(store).hosts, describeTypes().hosts, 'a column added by a migration only')
  store.sqlite.exec('ALTER TABLE hosts DROP COLUMN added_by_a_migration')
  store.sqlite.exec('ALTER TABLE hosts DROP COLUMN notes')
  t.notSame(describeSchema(store).hosts, describeTypes().hosts, 'a column the types have but the schema lost')
  store.sqlite.exec('CREATE TABLE not_in_the_types (id TEXT)')
  t.notSame(Object.keys(describeSchema(store)), Object.keys(describeTypes()), 'a table the types do not have')
})
