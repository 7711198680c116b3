// Checks made before the server (or `migrate`, `admin`) opens the database, so that a lost or
// damaged database is reported instead of being replaced by a new, empty installation with a new
// admin: SQLite happily creates a missing file and treats a zero-byte one as an empty database.
import Database from 'better-sqlite3'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { KEYS_TABLE, KEY_FILES, hasTable } from './backup-keys-table.js'
import { databaseFile } from './open-database.js'

export class StartRefusedError extends Error {
  override name = 'StartRefusedError'
}

/** Above this size the start-up quick_check is skipped (with a log line): it reads every page. */
export const QUICK_CHECK_MAX_BYTES = 512 * 1024 * 1024

const RESTORE_HINT = 'restore your latest backup with `patchmon restore FILE` (the server must be stopped)'

function leftovers(dataDir: string): { keys: string[]; beforeRestore: string[] } {
  let names: string[]
  try {
    names = readdirSync(dataDir)
  } catch {
    return { keys: [], beforeRestore: [] } // no folder yet: a first start
  }
  const db = basename(databaseFile(dataDir))
  return {
    keys: KEY_FILES.filter((k) => names.includes(k)),
    beforeRestore: names.filter((n) => n.startsWith(`${db}.before-restore-`)).sort()
  }
}

/**
 * Refuses to start fresh where an installation existed: no database (or a zero-byte one) beside
 * the generated keys or a copy kept by an interrupted restore. Call it before loadConfig(), which
 * generates the keys on a real first start.
 */
export function refuseLostDatabase(dataDir: string): void {
  const file = databaseFile(dataDir)
  const size = existsSync(file) ? statSync(file).size : undefined
  if (size !== undefined && size > 0) return
  const { keys, beforeRestore } = leftovers(dataDir)
  const latest = beforeRestore.at(-1)
  if (latest) {
    throw new StartRefusedError(
      `${size === undefined ? 'no database at' : 'the database is empty (0 bytes):'} ${file}, but ${join(dataDir, latest)} is there: ` +
        `a restore was interrupted. Run \`patchmon restore FILE\` again to finish it, or put the previous database back with ` +
        `\`mv ${join(dataDir, latest)} ${file}\`. The server does not start an empty installation over it.`
    )
  }
  if (keys.length > 0) {
    throw new StartRefusedError(
      `${size === undefined ? 'no database at' : 'the database is empty (0 bytes):'} ${file}, but the data folder holds the keys of an ` +
        `existing installation (${keys.join(', ')}): the database was lost. To recover, ${RESTORE_HINT}. ` +
        `To start a new, empty installation on purpose, move the key files away first.`
    )
  }
}

export interface IntegrityCheck {
  file: string
  bytes: number
  /** Milliseconds the check took; undefined when skipped. */
  ms: number | undefined
  skipped: boolean
}

/**
 * `PRAGMA quick_check` on the database before it is served (a damaged page otherwise surfaces
 * later as 500s on whatever reads it), and a check that no restore was cut short between putting
 * the database in place and writing its keys. Throws StartRefusedError naming the file.
 */
export function checkDatabaseIntegrity(file: string, maxBytes = QUICK_CHECK_MAX_BYTES): IntegrityCheck {
  if (!existsSync(file)) return { file, bytes: 0, ms: undefined, skipped: true }
  const bytes = statSync(file).size
  const started = performance.now()
  let problems: string[]
  let restoreCutShort = false
  try {
    const db = new Database(file, { fileMustExist: true })
    try {
      db.pragma('busy_timeout = 5000')
      restoreCutShort = hasTable(db, KEYS_TABLE)
      problems = bytes > maxBytes ? ['ok'] : (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check)
    } finally {
      db.close()
    }
  } catch (err) {
    problems = [(err as Error).message]
  }
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw new StartRefusedError(
      `the database ${file} is damaged (${problems.slice(0, 3).join('; ')}): the server does not serve it. ` +
        `Keep a copy of the damaged file for inspection, then ${RESTORE_HINT}.`
    )
  }
  if (restoreCutShort) {
    throw new StartRefusedError(
      `a restore into ${dirname(file)} was interrupted after the database was put in place but before its keys were written: ` +
        `run \`patchmon restore FILE\` again with the same backup to finish it.`
    )
  }
  if (bytes > maxBytes) return { file, bytes, ms: undefined, skipped: true }
  return { file, bytes, ms: Math.round(performance.now() - started), skipped: false }
}
