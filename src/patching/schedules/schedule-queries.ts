// The only code that names patch_schedules.
import type { Kysely, Selectable, Updateable } from 'kysely'
import type { DB, PatchSchedulesTable } from '../../store/database-types.js'
import { targetInScope } from '../../hosts/host-scope.js'

export type ScheduleRow = Selectable<PatchSchedulesTable>
export type ScheduleChanges = Updateable<PatchSchedulesTable>

export async function listSchedules(db: Kysely<DB>): Promise<ScheduleRow[]> {
  return db
    .selectFrom('patch_schedules')
    .selectAll()
    .where(targetInScope('patch_schedules.target_type', 'patch_schedules.target_id'))
    .orderBy('name')
    .orderBy('id')
    .execute()
}

export async function enabledSchedules(db: Kysely<DB>): Promise<ScheduleRow[]> {
  return db.selectFrom('patch_schedules').selectAll().where('enabled', '=', 1).orderBy('next_run_at').execute()
}

export async function findSchedule(db: Kysely<DB>, id: string): Promise<ScheduleRow | undefined> {
  return db
    .selectFrom('patch_schedules')
    .selectAll()
    .where('id', '=', id)
    .where(targetInScope('patch_schedules.target_type', 'patch_schedules.target_id'))
    .executeTakeFirst()
}

export async function insertSchedule(db: Kysely<DB>, row: ScheduleRow): Promise<void> {
  await db.insertInto('patch_schedules').values(row).execute()
}

export async function updateSchedule(db: Kysely<DB>, id: string, changes: ScheduleChanges): Promise<void> {
  await db
    .updateTable('patch_schedules')
    .set(changes)
    .where('id', '=', id)
    .where(targetInScope('patch_schedules.target_type', 'patch_schedules.target_id'))
    .execute()
}

/** Moves a schedule to its next slot only if no other tick did it first (so a slot fires once). */
export async function claimSlot(db: Kysely<DB>, id: string, slot: string, changes: ScheduleChanges): Promise<boolean> {
  const result = await db
    .updateTable('patch_schedules')
    .set(changes)
    .where('id', '=', id)
    .where('next_run_at', '=', slot)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

export async function deleteSchedule(db: Kysely<DB>, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('patch_schedules')
    .where('id', '=', id)
    .where(targetInScope('patch_schedules.target_type', 'patch_schedules.target_id'))
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
