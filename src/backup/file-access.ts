// SQLite reports every failure to open a file as "unable to open database file", naming neither the
// file nor the cause. Before handing a path to SQLite, backup and restore open it once with the
// file system, so a refusal names the path and the errno (EACCES, ENOTDIR, EROFS, ...).
import { closeSync, openSync } from 'node:fs'
import { BackupFileError } from './backup-file.js'

function cause(err: unknown): string {
  const e = err as NodeJS.ErrnoException
  // Node's message reads "EACCES: permission denied, open '/x'": keep the human part.
  const human = /^[A-Z]+: ([^,]+)/.exec(e.message ?? '')?.[1] ?? String(err)
  return e.code ? `${human} (${e.code})` : human
}

/** Throws a BackupFileError naming `file` and the errno unless it can be opened with `flags`. */
function tryOpen(file: string, flags: string, what: string, hint: string): void {
  try {
    closeSync(openSync(file, flags, 0o600))
  } catch (err) {
    throw new BackupFileError(`cannot ${what} ${file}: ${cause(err)}${hint}`)
  }
}

const RUN_AS = '; run as the user that owns the data folder (for the package: sudo -u patchmon)'

/** The live database: SQLite needs read and write access (WAL mode writes its -shm beside it). */
export function assertDatabaseOpenable(file: string): void {
  tryOpen(file, 'r+', 'open the database', RUN_AS)
}

/** A file SQLite will write; created (or truncated) empty here: an empty file is a valid empty database. */
export function assertCanCreate(file: string): void {
  tryOpen(file, 'w', 'write', '; choose a folder this user can write (for the package: /var/lib/patchmon/backups)')
}

export function assertReadable(file: string): void {
  tryOpen(file, 'r', 'read', '')
}
