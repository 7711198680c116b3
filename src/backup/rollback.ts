// `patchmon rollback [--force]`: puts the newest pre-upgrade snapshot back after a bad upgrade.
// Without --force it only explains what would be lost: every row the current database has that
// the snapshot does not (hosts enrolled, reports received, users created since the upgrade),
// counted per table, and the migrations the snapshot lacks. With --force it restores the snapshot
// like `patchmon restore` (same checks, the current database kept aside, keys restored) but does
// NOT migrate afterwards: the point is to run the previous version on the schema it knows.
// Refuses while a server or another command holds the data folder (data-dir-lock.ts).
import Database from 'better-sqlite3'
import { databaseFile } from '../store/open-database.js'
import { hasTable, KEYS_TABLE } from '../store/backup-keys-table.js'
import { acquireDataDirLock, refuseDatabaseInUse } from './data-dir-lock.js'
import { BackupFileError, inspectBackup } from './backup-file.js'
import { restoreDatabase } from './restore-database.js'
import { listSnapshots, snapshotDir } from './upgrade-snapshot.js'

export class RollbackError extends Error {
  override name = 'RollbackError'
}

export interface TableLoss {
  table: string
  rows: number
  /** The table does not exist in the snapshot at all (added by the upgrade). */
  newTable: boolean
}

export interface RollbackPlan {
  snapshot: string
  takenAt: Date
  lostMigrations: string[]
  losses: TableLoss[]
}

export interface RollbackResult extends RollbackPlan {
  restored: boolean
  previous: string | undefined
}

const BOOKKEEPING = new Set(['kysely_migration', 'kysely_migration_lock', KEYS_TABLE])

function tableNames(db: Database.Database, schema: string): string[] {
  return (
    db.prepare(`SELECT name FROM ${schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as {
      name: string
    }[]
  )
    .map((r) => r.name)
    .filter((n) => !BOOKKEEPING.has(n))
}

function hasIdColumn(db: Database.Database, schema: string, table: string): boolean {
  return (db.prepare(`SELECT name FROM pragma_table_info(?, ?)`).all(table, schema) as { name: string }[]).some((c) => c.name === 'id')
}

function countRows(db: Database.Database, sql: string): number {
  return (db.prepare(sql).get() as { n: number }).n
}

/** Rows of the current database that the snapshot lacks: by id where tables have one, else by count. */
function losses(current: string, snapshot: string): { losses: TableLoss[]; lostMigrations: string[] } {
  const db = new Database(current, { readonly: true, fileMustExist: true })
  try {
    db.prepare('ATTACH DATABASE ? AS snap').run(snapshot)
    const inSnapshot = new Set(tableNames(db, 'snap'))
    const out: TableLoss[] = []
    for (const table of tableNames(db, 'main')) {
      const q = `"${table.replace(/"/g, '""')}"`
      let rows: number
      if (!inSnapshot.has(table)) rows = countRows(db, `SELECT count(*) AS n FROM main.${q}`)
      else if (hasIdColumn(db, 'main', table) && hasIdColumn(db, 'snap', table))
        rows = countRows(db, `SELECT count(*) AS n FROM main.${q} WHERE id NOT IN (SELECT id FROM snap.${q})`)
      else rows = Math.max(0, countRows(db, `SELECT count(*) AS n FROM main.${q}`) - countRows(db, `SELECT count(*) AS n FROM snap.${q}`))
      if (rows > 0) out.push({ table, rows, newTable: !inSnapshot.has(table) })
    }
    const migrationsOf = (schema: string) =>
      hasTable(db, 'kysely_migration')
        ? (db.prepare(`SELECT name FROM ${schema}.kysely_migration ORDER BY name`).all() as { name: string }[]).map((r) => r.name)
        : []
    const had = new Set(migrationsOf('snap'))
    return { losses: out, lostMigrations: migrationsOf('main').filter((m) => !had.has(m)) }
  } finally {
    db.close()
  }
}

/** What rolling back would do, checked under the data-folder lock (no server may be running). */
export function planRollback(dataDir: string): RollbackPlan {
  const newest = listSnapshots(dataDir).at(-1)
  if (!newest) throw new RollbackError(`no pre-upgrade snapshot in ${snapshotDir(dataDir)}: nothing to roll back to`)
  const lock = acquireDataDirLock(dataDir, 'rollback')
  try {
    refuseDatabaseInUse(dataDir, 'rollback')
    const check = new Database(newest.file, { readonly: true, fileMustExist: true })
    try {
      inspectBackup(check)
    } catch (err) {
      if (err instanceof BackupFileError) throw new RollbackError(`the snapshot ${newest.file} cannot be used: ${err.message}`)
      throw err
    } finally {
      check.close()
    }
    return { snapshot: newest.file, takenAt: new Date(newest.mtimeMs), ...losses(databaseFile(dataDir), newest.file) }
  } finally {
    lock.release()
  }
}

export function describePlan(plan: RollbackPlan): string[] {
  const lines = [`newest pre-upgrade snapshot: ${plan.snapshot} (taken ${plan.takenAt.toISOString()})`]
  if (plan.lostMigrations.length > 0) lines.push(`schema changes undone: ${plan.lostMigrations.join(', ')}`)
  if (plan.losses.length === 0) lines.push('no data written since the snapshot would be lost')
  else {
    lines.push('data written since the snapshot that would be lost:')
    for (const l of plan.losses)
      lines.push(`  ${l.table}: ${l.rows} row${l.rows === 1 ? '' : 's'}${l.newTable ? ' (table added by the upgrade)' : ''}`)
  }
  return lines
}

export async function rollbackToSnapshot(dataDir: string, force: boolean, progress: (line: string) => void): Promise<RollbackResult> {
  const plan = planRollback(dataDir)
  for (const line of describePlan(plan)) progress(line)
  if (!force) return { ...plan, restored: false, previous: undefined }
  const result = await restoreDatabase(dataDir, plan.snapshot, progress, new Date(), { migrate: false })
  return { ...plan, restored: true, previous: result.previous }
}
