// Opens the one SQLite file of the appliance and wraps it in Kysely.
import Database from 'better-sqlite3'
import { chmodSync, existsSync } from 'node:fs'
import { Kysely, SqliteDialect } from 'kysely'
import { join } from 'node:path'
import type { DB } from './database-types.js'

export interface Store {
  /** Kysely over the same connection; all application queries go through it. */
  db: Kysely<DB>
  /** The raw connection, for pragmas, transactions, backup and the hot ingest path. */
  sqlite: Database.Database
  file: string
  close(): Promise<void>
}

export function databaseFile(dataDir: string): string {
  return join(dataDir, 'patchmon.db')
}

export function openStore(file: string): Store {
  const isNew = file !== ':memory:' && !existsSync(file)
  const sqlite = new Database(file)
  // The database holds hashes and sealed secrets: readable by the service user only.
  if (isNew) chmodSync(file, 0o600)
  // busy_timeout first, so that opening the WAL waits for another process instead of failing.
  sqlite.pragma('busy_timeout = 5000')
  // WAL: readers never block the writer, and a crash never leaves a half-written page behind.
  sqlite.pragma('journal_mode = WAL')
  // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
  sqlite.pragma('synchronous = NORMAL')
  // SQLite ships with foreign keys off; our cascades (host -> packages, history, groups) need them.
  sqlite.pragma('foreign_keys = ON')
  // Keep temp b-trees in memory: the data folder may be on slow storage.
  sqlite.pragma('temp_store = MEMORY')
  // Checkpoint after 8,000 WAL pages (32 MB) instead of 1,000: a host's first report dirties about
  // 1,000 pages (one per package in the package index), so the default checkpointed after nearly
  // every such report — two fsyncs and a copy of every page, on the one JavaScript thread. Reports
  // in a row mostly dirty the same index pages, so a checkpoint every few reports copies each page
  // once; measured on the 5,000-host soak data, ~30% less time per first report.
  sqlite.pragma('wal_autocheckpoint = 8000')
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) })
  let closed = false
  return {
    db,
    sqlite,
    file,
    async close() {
      if (closed) return
      closed = true
      try {
        // Fold the WAL back into the main file so a copied data folder is complete on its own.
        sqlite.pragma('wal_checkpoint(TRUNCATE)')
      } finally {
        await db.destroy() // closes the better-sqlite3 connection
      }
    }
  }
}
