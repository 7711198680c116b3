// A full disk, told apart from other failures: SQLite reports SQLITE_FULL when its file or WAL
// cannot grow, Node reports ENOSPC for our own files. Requests that hit it answer 507 (see
// src/http/error-handler.ts) and /health reports the database unwritable until a small write to
// the data folder succeeds again, so monitoring sees the outage and its end without a restart.
import { closeSync, fsyncSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Store } from './open-database.js'

/** Below this much free space /health probes even before a write has failed. */
const LOW_SPACE_BYTES = 1024 * 1024
/** Roughly what one report's pages add to the WAL. */
const PROBE_BYTES = 64 * 1024
const PROBE_FILE = '.write-probe'

const diskFullSince = new WeakMap<Store, Date>()

export function isDiskFullError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return code === 'SQLITE_FULL' || code === 'ENOSPC'
}

/** Remembers that a write of this store failed for lack of space (kept until a probe succeeds). */
export function noteDiskFull(store: Store, now = new Date()): void {
  if (!diskFullSince.has(store)) diskFullSince.set(store, now)
}

function freeBytes(dir: string): number | undefined {
  try {
    const s = statfsSync(dir)
    return s.bavail * s.bsize
  } catch {
    return undefined
  }
}

/** Writes and syncs a small file beside the database; false when the disk refuses it. */
function probeWrite(dir: string): boolean {
  const file = join(dir, PROBE_FILE)
  let fd: number | undefined
  try {
    fd = openSync(file, 'w', 0o600)
    writeSync(fd, Buffer.alloc(PROBE_BYTES))
    fsyncSync(fd) // delayed allocation: some file systems report ENOSPC only here
    return true
  } catch (err) {
    if (isDiskFullError(err)) return false
    throw err
  } finally {
    if (fd !== undefined) closeSync(fd)
    rmSync(file, { force: true })
  }
}

export interface WriteHealth {
  writable: boolean
  /** When a write first failed for lack of space (undefined when none did). */
  fullSince: Date | undefined
}

/**
 * Whether the database can take writes. Cheap while all is well (one statfs); probes with a real
 * write after a disk-full error or when free space is nearly gone, and forgets the error once the
 * probe succeeds (the operator freed space: writes work again without a restart).
 */
export function writeHealth(store: Store): WriteHealth {
  if (store.file === ':memory:') return { writable: true, fullSince: undefined }
  const dir = dirname(store.file)
  const since = diskFullSince.get(store)
  const low = (freeBytes(dir) ?? Infinity) < LOW_SPACE_BYTES
  if (since === undefined && !low) return { writable: true, fullSince: undefined }
  if (probeWrite(dir)) {
    diskFullSince.delete(store)
    return { writable: true, fullSince: undefined }
  }
  return { writable: false, fullSince: since }
}
