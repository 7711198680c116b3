// Our own migration runner. Kysely's Migrator runs SQLite migrations without a transaction (its
// SQLite adapter reports no transactional DDL), so a process killed between two statements of one
// migration left half a schema that failed every later start ("table roles already exists").
// SQLite's DDL is transactional, so here each migration runs in its own BEGIN IMMEDIATE ...
// COMMIT together with its row in kysely_migration: after a crash a migration is either fully
// applied and recorded, or not there at all and simply run again.
// The bookkeeping tables keep Kysely's names and columns, so databases and backups made by
// earlier versions are read as they are (src/backup/backup-file.ts reads kysely_migration).
import type { Kysely, Migration } from 'kysely'
import { migrations } from '../../migrations/index.js'
import type { Store } from './open-database.js'

export interface MigrationResult {
  migrationName: string
  direction: 'Up'
  status: 'Success'
}

export interface MigrationRun {
  results: MigrationResult[]
}

function ensureBookkeeping(store: Store): void {
  store.sqlite.exec(`
    CREATE TABLE IF NOT EXISTS kysely_migration (name varchar(255) NOT NULL PRIMARY KEY, timestamp varchar(255) NOT NULL);
    CREATE TABLE IF NOT EXISTS kysely_migration_lock (id varchar(255) NOT NULL PRIMARY KEY, is_locked integer NOT NULL DEFAULT 0);
    INSERT OR IGNORE INTO kysely_migration_lock (id, is_locked) VALUES ('migration_lock', 0);
  `)
}

function appliedNames(store: Store): Set<string> {
  const rows = store.sqlite.prepare('SELECT name FROM kysely_migration').all() as { name: string }[]
  return new Set(rows.map((r) => r.name))
}

async function applyOne(store: Store, name: string, migration: Migration): Promise<boolean> {
  // IMMEDIATE: take the write lock first, then re-read what is applied, so two processes that
  // migrate at once (a lock-file race) apply each migration once instead of failing halfway.
  store.sqlite.exec('BEGIN IMMEDIATE')
  try {
    if (appliedNames(store).has(name)) {
      store.sqlite.exec('ROLLBACK')
      return false
    }
    // The migration's statements go through Kysely on the same connection, so they are inside
    // this transaction. Migrations are frozen and untyped on purpose (see migrations/0001), and
    // kysely_migration is bookkeeping outside the application's table types.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
    const untyped = store.db as Kysely<any>
    await migration.up(untyped)
    await untyped.insertInto('kysely_migration').values({ name, timestamp: new Date().toISOString() }).execute()
    store.sqlite.exec('COMMIT')
    return true
  } catch (err) {
    if (store.sqlite.inTransaction) store.sqlite.exec('ROLLBACK')
    throw new Error(`migration ${name} failed and was rolled back: ${(err as Error).message}`, { cause: err })
  }
}

/** Runs every pending forward-only migration, each atomically. The index is static so it works inside the single executable. */
export async function migrateToLatest(store: Store): Promise<MigrationRun> {
  ensureBookkeeping(store)
  const results: MigrationResult[] = []
  const applied = appliedNames(store)
  // Feature branches add numbered migrations independently, so one may arrive below the newest
  // applied: everything not yet applied runs, in name order.
  for (const name of Object.keys(migrations).sort()) {
    if (applied.has(name)) continue
    if (await applyOne(store, name, migrations[name] as Migration))
      results.push({ migrationName: name, direction: 'Up', status: 'Success' })
  }
  return { results }
}

export function latestMigrationName(): string {
  return Object.keys(migrations).sort().at(-1) ?? ''
}
