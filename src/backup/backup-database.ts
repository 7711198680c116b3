// `patchmon backup FILE`: a consistent copy of the live database, taken with SQLite's online
// backup API while the server keeps running (readers and the writer are not blocked for long:
// pages are copied in steps, and the copy restarts by itself if a write lands in between).
import Database from 'better-sqlite3'
import { chmodSync, existsSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { databaseFile } from '../store/open-database.js'
import { BackupFileError, inspectBackup, readKeyFiles, storeKeys, type BackupFacts } from './backup-file.js'
import { assertCanCreate, assertDatabaseOpenable } from './file-access.js'

export interface BackupResult extends BackupFacts {
  file: string
  bytes: number
}

/** Pages copied per step: small enough that the server's writes are never held up for long. */
const PAGES_PER_STEP = 1000

export async function backupDatabase(dataDir: string, target: string, progress: (line: string) => void): Promise<BackupResult> {
  const source = databaseFile(dataDir)
  const file = resolve(target)
  if (!existsSync(source))
    throw new BackupFileError(`no database at ${source} (is the data folder right? set PATCHMON_DATA_DIR or --data-dir)`)
  if (existsSync(file)) throw new BackupFileError(`${file} already exists; choose a new name or delete it first`)
  if (!existsSync(dirname(file))) throw new BackupFileError(`folder ${dirname(file)} does not exist`)
  const partial = `${file}.partial`
  assertDatabaseOpenable(source)
  assertCanCreate(partial) // also empties a partial file a killed backup left behind

  progress(`backing up ${source} to ${file}`)
  let live: Database.Database
  try {
    live = new Database(source, { fileMustExist: true })
  } catch (err) {
    rmSync(partial, { force: true })
    throw err
  }
  try {
    live.pragma('busy_timeout = 5000')
    let lastShown = -1
    await live.backup(partial, {
      progress({ totalPages, remainingPages }) {
        const done = Math.floor(((totalPages - remainingPages) / Math.max(totalPages, 1)) * 100)
        if (done >= lastShown + 25) {
          lastShown = done
          progress(`  copied ${done} % of ${totalPages} pages`)
        }
        return PAGES_PER_STEP
      }
    })
  } catch (err) {
    rmSync(partial, { force: true })
    throw err
  } finally {
    live.close()
  }

  let facts: BackupFacts
  const copy = new Database(partial)
  try {
    // A standalone file: no -wal beside it, so it can be copied or moved as one file.
    copy.pragma('journal_mode = DELETE')
    storeKeys(copy, readKeyFiles(dataDir))
    facts = inspectBackup(copy)
  } catch (err) {
    copy.close()
    rmSync(partial, { force: true })
    throw err
  }
  copy.close()
  chmodSync(partial, 0o600) // holds password hashes and the data folder's keys
  renameSync(partial, file)
  const bytes = statSync(file).size
  progress(`verified: integrity ok, ${facts.migrations.length} migrations, ${facts.users} users, ${facts.hosts} hosts`)
  progress(
    `backup written to ${file} (${(bytes / 1024 / 1024).toFixed(1)} MiB, mode 0600: it holds password hashes and the data folder's keys)`
  )
  return { file, bytes, ...facts }
}
