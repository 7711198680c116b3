// The only code that names patch_runs. Status changes are guarded UPDATEs (a WHERE on the current
// status), so two writers racing (approve twice, stop vs the agent's completion) cannot both win.
import { sql, type Kysely, type Selectable } from 'kysely'
import type { DB, PatchRunRow, PatchRunsTable } from '../../store/database-types.js'
import { inHostScope } from '../../hosts/host-scope.js'

export type NewPatchRun = Omit<Selectable<PatchRunsTable>, 'shell_output' | 'output_truncated' | 'trigger_source' | 'dry_run'> & {
  trigger_source: string
  dry_run: number
}

/** Statuses that wait for dispatch; `dispatched_at` tells whether the frame already went out. */
export const WAITING_STATUSES = ['queued', 'pending_validation'] as const
/** Statuses an agent's terminal report may no longer overwrite (facts §2.2 guards). */
export const SETTLED_STATUSES = ['cancelled', 'completed', 'failed', 'validated', 'dry_run_completed', 'approved'] as const

export async function insertRun(db: Kysely<DB>, run: NewPatchRun): Promise<void> {
  await db.insertInto('patch_runs').values(run).execute()
}

export async function runById(db: Kysely<DB>, id: string): Promise<PatchRunRow | undefined> {
  return db.selectFrom('patch_runs').selectAll().where('id', '=', id).where(inHostScope('patch_runs.host_id')).executeTakeFirst()
}

/** True while the host has a run the agent is working on or was sent and has not acknowledged. */
export async function hostHasRunInFlight(db: Kysely<DB>, hostId: string): Promise<boolean> {
  const row = await db
    .selectFrom('patch_runs')
    .select('id')
    .where('host_id', '=', hostId)
    .where((eb) =>
      eb.or([eb('status', '=', 'running'), eb.and([eb('status', 'in', WAITING_STATUSES), eb('dispatched_at', 'is not', null)])])
    )
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

/** The host's next due, not yet dispatched run (oldest due first). */
export async function nextDueRun(db: Kysely<DB>, hostId: string, nowIso: string): Promise<PatchRunRow | undefined> {
  return (
    db
      .selectFrom('patch_runs')
      .selectAll()
      .where('host_id', '=', hostId)
      .where('status', 'in', WAITING_STATUSES)
      .where('dispatched_at', 'is', null)
      .where('run_at', '<=', nowIso)
      .orderBy('run_at')
      .orderBy('created_at')
      // Runs created in the same millisecond (a split full upgrade) go in the order they were stored.
      .orderBy(sql`rowid`)
      .limit(1)
      .executeTakeFirst()
  )
}

/** Hosts that have a due run waiting for dispatch. */
export async function hostsWithDueRuns(db: Kysely<DB>, nowIso: string): Promise<string[]> {
  const rows = await db
    .selectFrom('patch_runs')
    .select('host_id')
    .distinct()
    .where('status', 'in', WAITING_STATUSES)
    .where('dispatched_at', 'is', null)
    .where('run_at', '<=', nowIso)
    .execute()
  return rows.map((r) => r.host_id)
}

/** Marks a run as sent, unless someone changed it meanwhile. */
export async function markDispatched(db: Kysely<DB>, id: string, nowIso: string): Promise<boolean> {
  const result = await db
    .updateTable('patch_runs')
    .set({ dispatched_at: nowIso, updated_at: nowIso })
    .where('id', '=', id)
    .where('status', 'in', WAITING_STATUSES)
    .where('dispatched_at', 'is', null)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export async function clearDispatched(db: Kysely<DB>, id: string): Promise<void> {
  await db.updateTable('patch_runs').set({ dispatched_at: null }).where('id', '=', id).where('status', 'in', WAITING_STATUSES).execute()
}

/** Sent runs the agent never acknowledged (no `started`) since `beforeIso`. */
export async function unacknowledgedRuns(db: Kysely<DB>, beforeIso: string): Promise<PatchRunRow[]> {
  return db
    .selectFrom('patch_runs')
    .selectAll()
    .where('status', 'in', WAITING_STATUSES)
    .where('dispatched_at', 'is not', null)
    .where('dispatched_at', '<', beforeIso)
    .execute()
}

/** `running` rows with no sign of life since `beforeIso` (the stall sweep). */
export async function stalledRuns(db: Kysely<DB>, beforeIso: string): Promise<PatchRunRow[]> {
  return db.selectFrom('patch_runs').selectAll().where('status', '=', 'running').where('updated_at', '<', beforeIso).execute()
}

export async function runningRunsOfHost(db: Kysely<DB>, hostId: string): Promise<PatchRunRow[]> {
  return db.selectFrom('patch_runs').selectAll().where('host_id', '=', hostId).where('status', '=', 'running').execute()
}

/** The earliest run_at among runs still waiting (for arming the next wake-up). */
export async function earliestWaitingRunAt(db: Kysely<DB>): Promise<string | undefined> {
  const row = await db
    .selectFrom('patch_runs')
    .select((eb) => eb.fn.min('run_at').as('run_at'))
    .where('status', 'in', WAITING_STATUSES)
    .where('dispatched_at', 'is', null)
    .executeTakeFirst()
  return row?.run_at ?? undefined
}

export interface StatusChange {
  status: string
  error_message?: string | null
  started_at?: string | null
  completed_at?: string | null
  shell_output?: string
  output_truncated?: number
  packages_affected?: string | null
  pre_patch_hook?: string | null
  reboot_required?: number | null
  approved_by_user_id?: string | null
  dispatched_at?: string | null
}

/** Changes a run's status when its current status is one of `from`; returns whether it did. */
export async function changeStatus(
  db: Kysely<DB>,
  id: string,
  from: readonly string[],
  change: StatusChange,
  nowIso: string
): Promise<boolean> {
  const result = await db
    .updateTable('patch_runs')
    .set({ ...change, updated_at: nowIso })
    .where('id', '=', id)
    .where(inHostScope('patch_runs.host_id'))
    .where('status', 'in', from)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/** Same, but when the current status is NOT one of `except`. */
export async function changeStatusUnless(
  db: Kysely<DB>,
  id: string,
  except: readonly string[],
  change: StatusChange,
  nowIso: string
): Promise<boolean> {
  const result = await db
    .updateTable('patch_runs')
    .set({ ...change, updated_at: nowIso })
    .where('id', '=', id)
    .where(inHostScope('patch_runs.host_id'))
    .where('status', 'not in', except)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/**
 * Appends a progress chunk, keeping only the last `cap` characters (the tail is what a reader of a
 * failed run needs) and flagging the run as truncated when something was dropped.
 */
export async function appendOutput(db: Kysely<DB>, id: string, chunk: string, cap: number, nowIso: string): Promise<boolean> {
  const result = await db
    .updateTable('patch_runs')
    .set({
      shell_output: sql<string>`substr(shell_output || ${chunk}, -${cap})`,
      output_truncated: sql<number>`case when length(shell_output) + length(${chunk}) > ${cap} then 1 else output_truncated end`,
      updated_at: nowIso
    })
    .where('id', '=', id)
    .where('status', 'not in', ['completed', 'failed', 'validated', 'dry_run_completed', 'approved'])
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export async function updateOutputOnly(
  db: Kysely<DB>,
  id: string,
  output: string,
  truncated: number,
  errorIfEmpty: string | null,
  nowIso: string
) {
  await db
    .updateTable('patch_runs')
    .set({
      shell_output: output,
      output_truncated: truncated,
      error_message: sql<string | null>`coalesce(nullif(error_message, ''), ${errorIfEmpty})`,
      updated_at: nowIso
    })
    .where('id', '=', id)
    .execute()
}

export async function deleteRun(db: Kysely<DB>, id: string, from: readonly string[]): Promise<boolean> {
  const result = await db
    .deleteFrom('patch_runs')
    .where('id', '=', id)
    .where('status', 'in', from)
    .where(inHostScope('patch_runs.host_id'))
    .executeTakeFirst()
  return result.numDeletedRows > 0n
}

export async function requeueValidation(db: Kysely<DB>, id: string, nowIso: string): Promise<boolean> {
  const result = await db
    .updateTable('patch_runs')
    .set({ dispatched_at: null, run_at: nowIso, updated_at: nowIso })
    .where('id', '=', id)
    .where(inHostScope('patch_runs.host_id'))
    .where('status', '=', 'pending_validation')
    .where('patch_type', '=', 'patch_package')
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}
