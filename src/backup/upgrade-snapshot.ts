// Safe upgrades: before the server (or `patchmon migrate`) applies migrations to an existing
// database, a consistent copy goes to <data>/backups/pre-upgrade-<old version>-<time>.db, made
// and verified exactly like `patchmon backup` (online backup API, integrity check, keys inside,
// mode 0600). Only the last N are kept. A first start (no database) or a database already at the
// latest schema takes no snapshot. The whole state is this one file, so going back after a bad
// upgrade is `patchmon rollback` (rollback.ts) with the previous package.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, statfsSync } from 'node:fs'
import { join } from 'node:path'
import { databaseFile } from '../store/open-database.js'
import { schemaState } from '../store/schema-state.js'
import { APP_VERSION } from '../version.js'
import { backupDatabase } from './backup-database.js'
import { BackupFileError } from './backup-file.js'

export const SNAPSHOT_PREFIX = 'pre-upgrade-'
export const SNAPSHOT_SUFFIX = '.db'

export class UpgradeSnapshotError extends Error {
  override name = 'UpgradeSnapshotError'
}

export interface UpgradeSnapshot {
  file: string
  bytes: number
  fromVersion: string
  pending: string[]
  removed: string[]
}

export function snapshotDir(dataDir: string): string {
  return join(dataDir, 'backups')
}

/**
 * The version that last served this database, kept in SQLite's header (PRAGMA user_version, an
 * integer SQLite itself never reads) as major*1_000_000 + minor*1_000 + patch: it travels with
 * the file into every backup and snapshot, and needs no table of its own.
 */
export function encodeVersion(version: string): number {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version)
  return m ? Number(m[1]) * 1_000_000 + Number(m[2]) * 1_000 + Number(m[3]) : 0
}

/** Marks the database as served by this version (called once the schema is current). */
export function recordServingVersion(db: { pragma(source: string): unknown }): void {
  db.pragma(`user_version = ${encodeVersion(APP_VERSION)}`)
}

function stamp(now: Date): string {
  return now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-')
}

/** The pre-upgrade snapshots in a data folder, oldest first (names sort by time within a version, so mtime decides). */
export function listSnapshots(dataDir: string): { file: string; mtimeMs: number }[] {
  const dir = snapshotDir(dataDir)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((n) => n.startsWith(SNAPSHOT_PREFIX) && n.endsWith(SNAPSHOT_SUFFIX))
    .map((n) => ({ file: join(dir, n), mtimeMs: statSync(join(dir, n)).mtimeMs }))
    .sort((a, b) => a.mtimeMs - b.mtimeMs || a.file.localeCompare(b.file))
}

/** Bytes the copy needs: the database and its WAL (the copy holds both), plus a margin for the journal. */
function neededBytes(file: string): number {
  const wal = `${file}-wal`
  const size = statSync(file).size + (existsSync(wal) ? statSync(wal).size : 0)
  return Math.ceil(size * 1.1) + 1024 * 1024
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`

/**
 * Takes the pre-upgrade snapshot when migrations are pending on an existing database; refuses
 * (UpgradeSnapshotError, nothing migrated) when the disk cannot hold it. `keep` = 0 turns it off.
 * Also refuses a database a newer version has migrated (after a package downgrade): running old
 * code on a newer schema can corrupt it; `patchmon rollback` is the way back.
 */
export async function snapshotBeforeUpgrade(
  dataDir: string,
  keep: number,
  progress: (line: string) => void,
  now = new Date()
): Promise<UpgradeSnapshot | undefined> {
  const file = databaseFile(dataDir)
  const state = schemaState(file)
  if (state && state.unknown.length > 0) {
    throw new UpgradeSnapshotError(
      `${file} was migrated by a newer PatchMon (${state.unknown.join(', ')}) than this ${APP_VERSION}. ` +
        `To go back to the data before that upgrade run \`patchmon rollback\` (it explains what would be lost; --force restores), ` +
        `or install the newer version again.`
    )
  }
  if (keep === 0 || !state || state.pending.length === 0) return undefined
  const dir = snapshotDir(dataDir)
  mkdirSync(dir, { recursive: true, mode: 0o750 })
  const need = neededBytes(file)
  const fs = statfsSync(dir)
  const free = fs.bavail * fs.bsize
  if (free < need) {
    throw new UpgradeSnapshotError(
      `not enough free disk for the pre-upgrade snapshot: it needs ${mib(need)}, ${dir} has ${mib(free)} free. ` +
        `Nothing was migrated. Free some space (old snapshots in ${dir} can go) and start again, ` +
        `or set PATCHMON_UPGRADE_SNAPSHOTS=0 to upgrade without a snapshot.`
    )
  }
  const fromVersion = state.version ?? `schema-${state.applied.at(-1) ?? 'empty'}`
  const target = join(dir, `${SNAPSHOT_PREFIX}${fromVersion}-${stamp(now)}${SNAPSHOT_SUFFIX}`)
  progress(`migrations pending (${state.pending.join(', ')}): taking a pre-upgrade snapshot`)
  let bytes: number
  try {
    bytes = (await backupDatabase(dataDir, target, progress)).bytes
  } catch (err) {
    if (err instanceof BackupFileError) throw new UpgradeSnapshotError(`pre-upgrade snapshot failed: ${err.message}. Nothing was migrated.`)
    throw err
  }
  const removed: string[] = []
  for (const old of listSnapshots(dataDir).slice(0, -keep)) {
    rmSync(old.file, { force: true })
    removed.push(old.file)
  }
  return { file: target, bytes, fromVersion, pending: state.pending, removed }
}
