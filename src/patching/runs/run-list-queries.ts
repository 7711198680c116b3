// Reads of patch_runs for the dashboard, lists and the Integration API (facts §2.2 "which counts
// where", §3). Dry runs are left out of counts and active lists except while they await validation
// or approval, as upstream.
import type { Kysely } from 'kysely'
import type { DB, PatchRunRow } from '../../store/database-types.js'
import { inHostScope } from '../../hosts/host-scope.js'

export const ACTIVE_STATUSES = ['queued', 'running', 'pending_validation', 'pending_approval', 'validated'] as const
const DRY_RUN_VISIBLE = ['pending_validation', 'pending_approval', 'validated']
export const SORT_COLUMNS = ['created_at', 'started_at', 'completed_at', 'status'] as const

export interface RunFilter {
  limit: number
  offset: number
  hostId?: string | undefined
  /** An exact status, or `active` (queued or running). */
  status?: string | undefined
  patchType?: string | undefined
  sortBy: (typeof SORT_COLUMNS)[number]
  sortDir: 'asc' | 'desc'
}

/** patch_runs without dry runs, except those waiting for validation or approval. */
function countableRuns(db: Kysely<DB>) {
  return db
    .selectFrom('patch_runs')
    .where(inHostScope('patch_runs.host_id'))
    .where((eb) => eb.or([eb('dry_run', '=', 0), eb('status', 'in', DRY_RUN_VISIBLE)]))
}

export async function statusCounts(db: Kysely<DB>): Promise<Record<string, number>> {
  const rows = await countableRuns(db)
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute()
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]))
}

export async function recentRuns(db: Kysely<DB>, limit: number): Promise<PatchRunRow[]> {
  return countableRuns(db).selectAll().orderBy('created_at', 'desc').limit(limit).execute()
}

export async function activeRuns(db: Kysely<DB>): Promise<PatchRunRow[]> {
  return countableRuns(db).selectAll().where('status', 'in', ACTIVE_STATUSES).orderBy('created_at', 'asc').execute()
}

export async function runsPage(db: Kysely<DB>, filter: RunFilter): Promise<{ rows: PatchRunRow[]; total: number }> {
  let q = db.selectFrom('patch_runs').where(inHostScope('patch_runs.host_id'))
  if (filter.hostId) q = q.where('host_id', '=', filter.hostId)
  if (filter.status === 'active') q = q.where('status', 'in', ['queued', 'running'])
  else if (filter.status) q = q.where('status', '=', filter.status)
  if (filter.patchType) q = q.where('patch_type', '=', filter.patchType)
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const rows = await q.selectAll().orderBy(filter.sortBy, filter.sortDir).orderBy('id').limit(filter.limit).offset(filter.offset).execute()
  return { rows, total: Number(total.n) }
}
