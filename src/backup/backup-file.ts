// What a backup file is: a standalone SQLite database (rollback journal, no -wal beside it) with
// one extra table holding the data folder's generated keys, because sealed secrets (webhook URLs,
// TOTP seeds) cannot be read back without the key that sealed them.
import Database from 'better-sqlite3'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { migrations } from '../../migrations/index.js'

import { KEYS_TABLE, KEY_FILES, hasTable } from '../store/backup-keys-table.js'

export { KEYS_TABLE, KEY_FILES, hasTable }

export class BackupFileError extends Error {
  override name = 'BackupFileError'
}

export interface BackupFacts {
  migrations: string[]
  /** Our migrations the file does not have yet (applied after a restore). */
  pending: string[]
  users: number
  hosts: number
  keyFiles: string[]
}

export function readKeyFiles(dataDir: string): Record<string, string> {
  const keys: Record<string, string> = {}
  for (const name of KEY_FILES) {
    const file = join(dataDir, name)
    if (existsSync(file)) keys[name] = readFileSync(file, 'utf8')
  }
  return keys
}

export function storeKeys(db: Database.Database, keys: Record<string, string>): void {
  db.exec(`CREATE TABLE ${KEYS_TABLE} (name TEXT PRIMARY KEY, value TEXT NOT NULL)`)
  const insert = db.prepare(`INSERT INTO ${KEYS_TABLE} (name, value) VALUES (?, ?)`)
  db.transaction(() => {
    for (const [name, value] of Object.entries(keys)) insert.run(name, value)
  })()
}

export function loadKeys(db: Database.Database): Record<string, string> {
  if (!hasTable(db, KEYS_TABLE)) return {}
  const rows = db.prepare(`SELECT name, value FROM ${KEYS_TABLE}`).all() as { name: string; value: string }[]
  return Object.fromEntries(rows.filter((r) => KEY_FILES.includes(r.name)).map((r) => [r.name, r.value]))
}

function count(db: Database.Database, table: string): number {
  return hasTable(db, table) ? (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n : 0
}

/**
 * Checks that a file can be restored by this version: SQLite's own integrity check passes, and
 * every migration it has is one we know (a file from a newer version would lose data here).
 * Throws BackupFileError with the reason otherwise.
 */
export function inspectBackup(db: Database.Database): BackupFacts {
  let problems: string[]
  try {
    problems = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check)
  } catch (err) {
    throw new BackupFileError(`not a readable SQLite database (${(err as Error).message})`)
  }
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw new BackupFileError(`integrity check failed: ${problems.slice(0, 3).join('; ')}`)
  }
  if (!hasTable(db, 'kysely_migration')) throw new BackupFileError('not a PatchMon database (no migration table)')
  const applied = (db.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as { name: string }[]).map((r) => r.name)
  const ours = Object.keys(migrations).sort()
  const unknown = applied.filter((name) => !ours.includes(name))
  if (unknown.length > 0) {
    throw new BackupFileError(`made by a newer PatchMon (unknown migrations: ${unknown.join(', ')}); upgrade this installation first`)
  }
  return {
    migrations: applied,
    pending: ours.filter((name) => !applied.includes(name)),
    users: count(db, 'users'),
    hosts: count(db, 'hosts'),
    keyFiles: Object.keys(loadKeys(db))
  }
}
