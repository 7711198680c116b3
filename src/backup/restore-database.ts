// `patchmon restore FILE`: replaces the data folder's database with a backup. Refuses while the
// server (or another restore) holds the data folder; checks the file before touching anything;
// keeps the previous database and keys as timestamped copies; brings the schema up to date.
import Database from 'better-sqlite3'
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { databaseFile, openStore } from '../store/open-database.js'
import { migrateToLatest } from '../store/migrate.js'
import { acquireDataDirLock } from './data-dir-lock.js'
import { BackupFileError, KEYS_TABLE, inspectBackup, loadKeys, type BackupFacts } from './backup-file.js'
import { assertReadable } from './file-access.js'

export interface RestoreResult extends BackupFacts {
  /** Where the database that was replaced now lives (undefined when there was none). */
  previous: string | undefined
}

function timestamp(now: Date): string {
  return now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')
}

/** When root restores for the service user, the new files must stay the service user's. */
function ownLikeDataDir(dataDir: string, file: string): void {
  if (process.getuid?.() !== 0) return
  const { uid, gid } = statSync(dataDir)
  chownSync(file, uid, gid)
}

function moveAside(file: string, stamp: string): string {
  const kept = `${file}.before-restore-${stamp}`
  renameSync(file, kept)
  return kept
}

export async function restoreDatabase(dataDir: string, source: string, progress: (line: string) => void, now = new Date()): Promise<RestoreResult> {
  const file = resolve(source)
  if (!existsSync(file)) throw new BackupFileError(`${file} does not exist`)
  assertReadable(file)
  mkdirSync(dataDir, { recursive: true, mode: 0o750 })
  const lock = acquireDataDirLock(dataDir, 'restore')
  try {
    progress(`checking ${file}`)
    const backup = new Database(file, { readonly: true, fileMustExist: true })
    const target = databaseFile(dataDir)
    const incoming = `${target}.restoring`
    let facts: BackupFacts
    let keys: Record<string, string>
    try {
      facts = inspectBackup(backup)
      keys = loadKeys(backup)
      progress(`  integrity ok; ${facts.migrations.length} migrations (${facts.pending.length} to apply after restore), ${facts.users} users, ${facts.hosts} hosts`)
      // Copy through the backup API too: it also picks up a -wal beside a copied live database.
      rmSync(incoming, { force: true })
      await backup.backup(incoming)
    } finally {
      backup.close()
    }

    const stamp = timestamp(now)
    let previous: string | undefined
    if (existsSync(target)) {
      // Fold the old WAL into the file first, so the copy kept aside is complete on its own.
      const old = new Database(target)
      old.pragma('wal_checkpoint(TRUNCATE)')
      old.close()
      previous = moveAside(target, stamp)
      progress(`kept the previous database as ${previous}`)
    }
    // A -wal left beside the new file would be replayed into it: remove both side files.
    rmSync(`${target}-wal`, { force: true })
    rmSync(`${target}-shm`, { force: true })

    const restored = new Database(incoming)
    restored.exec(`DROP TABLE IF EXISTS ${KEYS_TABLE}`)
    restored.close()
    chmodSync(incoming, 0o600)
    ownLikeDataDir(dataDir, incoming)
    renameSync(incoming, target)
    progress(`restored the database into ${target}`)

    for (const [name, value] of Object.entries(keys)) {
      const keyFile = join(dataDir, name)
      if (existsSync(keyFile) && readFileSync(keyFile, 'utf8') === value) continue
      if (existsSync(keyFile)) progress(`kept the previous ${name} as ${moveAside(keyFile, stamp)}`)
      writeFileSync(keyFile, value, { mode: 0o600 })
      ownLikeDataDir(dataDir, keyFile)
      progress(`restored ${name}`)
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
