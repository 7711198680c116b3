// `patchmon.lock` in the data folder says which process works on the database as a whole: the
// server while it runs, and `restore`/`migrate` while they replace or reshape it. A second such
// process refuses to start instead of swapping the database under a live server.
// A lock left by a crash is detected as stale: its process is gone, or the pid now belongs to a
// different process (other boot, other start time), so a reboot or a reused pid never blocks start.
// The file alone can be deleted by hand, so the database is also asked (refuseDatabaseInUse): a
// running server keeps an OS lock (SQLite's fcntl SHARED lock, held by every connection in WAL
// mode) on patchmon.db for its whole life, and a momentary exclusive lock fails while it does.
// An flock through a native addon would be the other way; this one needs no addon, and unlike
// running the server with locking_mode=EXCLUSIVE it does not block `patchmon backup`.
import Database from 'better-sqlite3'
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { databaseFile } from '../store/open-database.js'

export const LOCK_FILE = 'patchmon.lock'

export interface LockHolder {
  pid: number
  command: string
  startedAt: string
  bootId?: string
  processStart?: string
}

export class DataDirBusyError extends Error {
  override name = 'DataDirBusyError'
}

function readProc(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim()
  } catch {
    return undefined
  }
}

/** Start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat). */
function processStart(pid: number): string | undefined {
  const stat = readProc(`/proc/${pid}/stat`)
  // The command name (field 2) is in parentheses and may contain spaces: count from after it.
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
}

/** A killed process whose parent has not reaped it yet (common in containers) is not running. */
function isZombie(pid: number): boolean {
  const stat = readProc(`/proc/${pid}/stat`)
  return stat !== undefined && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z'
}

function bootId(): string | undefined {
  return readProc('/proc/sys/kernel/random/boot_id')
}

function isRunning(holder: LockHolder): boolean {
  const boot = bootId()
  if (holder.bootId && boot && holder.bootId !== boot) return false
  const start = processStart(holder.pid)
  if (holder.processStart && start && holder.processStart !== start) return false
  if (isZombie(holder.pid)) return false
  try {
    process.kill(holder.pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' // alive, owned by another user
  }
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as LockHolder
    return Number.isInteger(holder.pid) ? holder : undefined
  } catch {
    return undefined
  }
}

/** The process holding the data folder, if one is running. */
export function liveLockHolder(dataDir: string): LockHolder | undefined {
  const holder = readHolder(join(dataDir, LOCK_FILE))
  return holder && isRunning(holder) ? holder : undefined
}

export function describeHolder(dataDir: string, holder: LockHolder): string {
  const what = holder.command === 'serve' ? 'the PatchMon server' : `"patchmon ${holder.command}"`
  return `${dataDir} is in use by ${what} (pid ${holder.pid}, since ${holder.startedAt})`
}

export interface DataDirLock {
  release(): void
}

export function acquireDataDirLock(dataDir: string, command: string): DataDirLock {
  const file = join(dataDir, LOCK_FILE)
  const me: LockHolder = { pid: process.pid, command, startedAt: new Date().toISOString() }
  const boot = bootId()
  const start = processStart(process.pid)
  if (boot) me.bootId = boot
  if (start) me.processStart = start
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // 'wx': create only if absent, so two processes can never both believe they hold it.
      writeFileSync(file, JSON.stringify(me) + '\n', { flag: 'wx', mode: 0o644 })
      let released = false
      return {
        release() {
          if (released) return
          released = true
          if (readHolder(file)?.pid === process.pid) unlinkSync(file)
        }
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const holder = readHolder(file)
      if (holder && isRunning(holder)) throw new DataDirBusyError(describeHolder(dataDir, holder))
      unlinkSync(file) // stale: left by a process that is gone
    }
  }
  throw new DataDirBusyError(`${dataDir}: another process took ${LOCK_FILE} at the same time; try again`)
}

/** How long the probe waits for a short-lived reader (a `patchmon backup` step) to let go. */
const PROBE_WAIT_MS = 2000

/**
 * Refuses when another process has the database open (a server whose lock file was deleted, or a
 * backup being taken): takes and drops an exclusive lock on patchmon.db, which fails while any
 * other connection holds its SHARED lock. Call it after acquireDataDirLock().
 */
export function refuseDatabaseInUse(dataDir: string, command: string): void {
  const file = databaseFile(dataDir)
  if (!existsSync(file)) return
  const db = new Database(file, { fileMustExist: true })
  try {
    db.pragma(`busy_timeout = ${PROBE_WAIT_MS}`)
    db.pragma('locking_mode = EXCLUSIVE')
    db.exec('BEGIN EXCLUSIVE')
    db.exec('COMMIT')
  } catch (err) {
    if (!String((err as { code?: unknown }).code).startsWith('SQLITE_BUSY')) throw err
    throw new DataDirBusyError(
      `${file} is open in another process (a PatchMon server still running although ${join(dataDir, LOCK_FILE)} was removed, or a backup being taken); ` +
        `"patchmon ${command}" does not run beside it. Stop the other process first (systemctl stop patchmon; check with fuser -v ${file}).`
    )
  } finally {
    db.close()
  }
}
