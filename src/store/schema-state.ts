// What a database file's schema is, read without opening it as the store: the migrations it has,
// the ones this version would apply, the ones it does not know (a newer version migrated it), and
// the version that last served it (PRAGMA user_version, see src/backup/upgrade-snapshot.ts).
import Database from 'better-sqlite3'
import { existsSync, statSync } from 'node:fs'
import { migrations } from '../../migrations/index.js'
import { hasTable } from './backup-keys-table.js'

export interface SchemaState {
  applied: string[]
  pending: string[]
  /** Applied migrations this version does not know: the file was written by a newer version. */
  unknown: string[]
  version: string | undefined
}

/** major*1_000_000 + minor*1_000 + patch back to "major.minor.patch". */
function decodeVersion(n: number): string | undefined {
  if (!Number.isInteger(n) || n <= 0) return undefined
  return `${Math.floor(n / 1_000_000)}.${Math.floor(n / 1_000) % 1_000}.${n % 1_000}`
}

/** undefined when there is no database yet (missing, empty, or never migrated). */
export function schemaState(file: string): SchemaState | undefined {
  if (!existsSync(file) || statSync(file).size === 0) return undefined
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    if (!hasTable(db, 'kysely_migration')) return undefined
    const applied = (db.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as { name: string }[]).map((r) => r.name)
    const ours = Object.keys(migrations).sort()
    const pending = ours.filter((name) => !applied.includes(name))
    const unknown = applied.filter((name) => !ours.includes(name))
    return { applied, pending, unknown, version: decodeVersion(db.pragma('user_version', { simple: true }) as number) }
  } finally {
    db.close()
  }
}
