// The scheduled_reports table: the only file that names it.
import type { Insertable, Kysely, Updateable } from 'kysely'
import type { DB, ScheduledReportRow } from '../store/database-types.js'

type ReportInsert = Insertable<DB['scheduled_reports']>
type ReportChanges = Updateable<DB['scheduled_reports']>

export async function listReportRows(db: Kysely<DB>): Promise<ScheduledReportRow[]> {
  return db.selectFrom('scheduled_reports').selectAll().orderBy('name').execute()
}

export async function findReportRow(db: Kysely<DB>, id: string): Promise<ScheduledReportRow | undefined> {
  return db.selectFrom('scheduled_reports').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function insertReportRow(db: Kysely<DB>, row: ReportInsert): Promise<void> {
  await db.insertInto('scheduled_reports').values(row).execute()
}

export async function updateReportRow(db: Kysely<DB>, id: string, changes: ReportChanges): Promise<void> {
  await db.updateTable('scheduled_reports').set(changes).where('id', '=', id).execute()
}

/** False when there was no such report. */
export async function deleteReportRow(db: Kysely<DB>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('scheduled_reports').where('id', '=', id).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

/** Enabled reports whose next run is at or before `nowIso`. */
export async function dueReportRows(db: Kysely<DB>, nowIso: string): Promise<ScheduledReportRow[]> {
  return db.selectFrom('scheduled_reports').selectAll().where('enabled', '=', 1).where('next_run_at', '<=', nowIso).execute()
}
