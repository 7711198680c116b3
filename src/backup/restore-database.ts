// `patchmon restore FILE`: replaces the data folder's database with a backup. Refuses while the
// server (or another restore) holds the data folder; checks the file before touching anything;
// keeps the previous database and keys as timestamped copies; brings the schema up to date.
// Killed at any point, it leaves a folder that serves either the old or the new database, never
// none: the previous files are kept by a hard link (both names exist at once) and the new ones
// are renamed over the old names. The restored database keeps the backup's keys table until
// the key files are written, so a restore cut short there is recognised at the next start
// (src/store/start-checks.ts) instead of serving secrets that can no longer be read.
import Database from 'better-sqlite3'
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { join, resolve } from 'node:path'
import { databaseFile, openStore } from '../store/open-database.js'
import { migrateToLatest } from '../store/migrate.js'
import { acquireDataDirLock, refuseDatabaseInUse } from './data-dir-lock.js'
import { BackupFileError, KEYS_TABLE, inspectBackup, loadKeys, type BackupFacts } from './backup-file.js'
import { assertReadable } from './file-access.js'

export interface RestoreResult extends BackupFacts {
  /** Where the database that was replaced now lives (undefined when there was none). */
  previous: string | undefined
}

function timestamp(now: Date): string {
  return now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-')
}

/** When root restores for the service user, the new files must stay the service user's. */
function ownLikeDataDir(dataDir: string, file: string): void {
  if (process.getuid?.() !== 0) return
  const { uid, gid } = statSync(dataDir)
  chownSync(file, uid, gid)
}

/** Keeps `file` under a second name while it stays in place (a hard link; a copy where links are not supported). */
function keepAside(file: string, stamp: string, command = 'restore'): string {
  const kept = `${file}.before-${command}-${stamp}`
  rmSync(kept, { force: true }) // left by an earlier restore that was cut short in the same second
  try {
    linkSync(file, kept)
  } catch {
    copyFileSync(file, kept)
  }
  return kept
}

/** Folds a database's WAL into its file and leaves WAL mode, so the file is complete on its own. */
function foldWal(file: string): void {
  const db = new Database(file)
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.pragma('journal_mode = DELETE')
  db.close()
}

/**
 * Puts the complete database `incoming` (written by this process, closed) in place of the data
 * folder's database in one rename; the one it replaces is kept beside it as
 * patchmon.db.before-<command>-<time>. Used by restore and import-upstream; the caller holds the
 * data-folder lock. Returns where the previous database was kept, if there was one.
 */
export function swapInDatabase(dataDir: string, incoming: string, command: string, now = new Date()): string | undefined {
  const target = databaseFile(dataDir)
  foldWal(incoming)
  chmodSync(incoming, 0o600)
  ownLikeDataDir(dataDir, incoming)
  let previous: string | undefined
  if (existsSync(target)) {
    // No -wal or -shm of the old database may be left beside the new one.
    foldWal(target)
    previous = keepAside(target, timestamp(now), command)
  }
  rmSync(`${target}-wal`, { force: true })
  rmSync(`${target}-shm`, { force: true })
  renameSync(incoming, target) // atomic: the old database until here, the new one after
  return previous
}

/** Replaces `file` with `value` in one rename, so a kill leaves the old or the new content. */
function writeAtomically(file: string, value: string): void {
  const tmp = `${file}.restoring`
  writeFileSync(tmp, value, { mode: 0o600 })
  renameSync(tmp, file)
}

export interface RestoreOptions {
  /** false: leave the schema as the file has it (`patchmon rollback`, for the previous version to run). */
  migrate?: boolean
}

export async function restoreDatabase(
  dataDir: string,
  source: string,
  progress: (line: string) => void,
  now = new Date(),
  options: RestoreOptions = {}
): Promise<RestoreResult> {
  const migrate = options.migrate ?? true
  const file = resolve(source)
  if (!existsSync(file)) throw new BackupFileError(`${file} does not exist`)
  assertReadable(file)
  mkdirSync(dataDir, { recursive: true, mode: 0o750 })
  const lock = acquireDataDirLock(dataDir, 'restore')
  try {
    refuseDatabaseInUse(dataDir, 'restore')
    progress(`checking ${file}`)
    const backup = new Database(file, { readonly: true, fileMustExist: true })
    const target = databaseFile(dataDir)
    const incoming = `${target}.restoring`
    let facts: BackupFacts
    let keys: Record<string, string>
    try {
      facts = inspectBackup(backup)
      keys = loadKeys(backup)
      progress(
        `  integrity ok; ${facts.migrations.length} migrations (${migrate ? facts.pending.length : 0} to apply after restore), ${facts.users} users, ${facts.hosts} hosts`
      )
      // Copy through the backup API too: it also picks up a -wal beside a copied live database.
      rmSync(incoming, { force: true })
      await backup.backup(incoming)
    } finally {
      backup.close()
    }

    const stamp = timestamp(now)
    const previous = swapInDatabase(dataDir, incoming, 'restore', now)
    if (previous) progress(`kept the previous database as ${previous}`)
    progress(`restored the database into ${target}`)

    for (const [name, value] of Object.entries(keys)) {
      const keyFile = join(dataDir, name)
      if (existsSync(keyFile) && readFileSync(keyFile, 'utf8') === value) continue
      if (existsSync(keyFile)) progress(`kept the previous ${name} as ${keepAside(keyFile, stamp)}`)
      writeAtomically(keyFile, value)
      ownLikeDataDir(dataDir, keyFile)
      progress(`restored ${name}`)
    }
    // Only now that the keys are in place: the database no longer needs to carry them.
    const restored = new Database(target)
    restored.exec(`DROP TABLE IF EXISTS ${KEYS_TABLE}`)
    restored.close()

    if (!migrate) {
      progress(`schema left at ${facts.migrations.at(-1) ?? 'no migrations'}: start the version that made this file`)
      return { ...facts, previous }
    }
    const store = openStore(target)
    try {
      const result = await migrateToLatest(store)
      const applied = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
      progress(applied.length > 0 ? `applied migrations: ${applied.join(', ')}` : 'schema is up to date')
    } finally {
      await store.close()
    }
    progress('restore complete: start the server again')
    return { ...facts, previous }
  } finally {
    lock.release()
  }
}
