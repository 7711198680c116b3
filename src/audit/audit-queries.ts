// The only code that names audit_log: append, read a filtered page, prune by age. Reads are
// narrowed here, in one place, for a user limited to some host groups (docs/access-control.md).
import type { Kysely } from 'kysely'
import { currentHostScope, groupInScope, inHostScope } from '../hosts/host-scope.js'
import type { DB } from '../store/database-types.js'
import type { AuditLogRow } from '../store/audit-table-types.js'

export async function insertAuditRow(db: Kysely<DB>, row: AuditLogRow): Promise<void> {
  await db.insertInto('audit_log').values(row).execute()
}

export interface AuditFilter {
  /** Matches the actor's id or label (a username, a credential key or name) exactly. */
  actor?: string | undefined
  /** An exact action (`user.update`) or a family (`user.` matches every user action). */
  action?: string | undefined
  targetType?: string | undefined
  targetId?: string | undefined
  outcome?: string | undefined
  /** ISO-8601, inclusive. */
  from?: string | undefined
  /** ISO-8601, exclusive. */
  to?: string | undefined
}

/**
 * A user limited to some host groups sees the entries about their hosts and host groups only: other
 * entries (patch runs, users, settings, sign-ins) can name or touch hosts beyond their groups.
 */
function visibleEntries(db: Kysely<DB>) {
  const q = db.selectFrom('audit_log')
  if (currentHostScope() === null) return q
  return q.where((eb) =>
    eb.or([
      eb.and([eb('target_type', '=', 'host'), inHostScope('audit_log.target_id')]),
      eb.and([eb('target_type', '=', 'host_group'), groupInScope('audit_log.target_id')])
    ])
  )
}

function filtered(db: Kysely<DB>, f: AuditFilter) {
  let q = visibleEntries(db)
  if (f.actor) {
    const actor = f.actor
    q = q.where((eb) => eb.or([eb('actor_id', '=', actor), eb('actor_label', '=', actor)]))
  }
  if (f.action?.endsWith('.')) {
    // A family as a range ('user.' <= action < 'user/'), which the action index serves.
    q = q.where('action', '>=', f.action).where('action', '<', `${f.action.slice(0, -1)}/`)
  } else if (f.action) q = q.where('action', '=', f.action)
  if (f.targetType) q = q.where('target_type', '=', f.targetType)
  if (f.targetId) q = q.where('target_id', '=', f.targetId)
  if (f.outcome) q = q.where('outcome', '=', f.outcome)
  if (f.from) q = q.where('created_at', '>=', f.from)
  if (f.to) q = q.where('created_at', '<', f.to)
  return q
}

/** Newest first; `total` counts every match. */
export async function auditPage(db: Kysely<DB>, f: AuditFilter, limit: number, offset: number) {
  const q = filtered(db, f)
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const rows = await q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute()
  return { total: Number(total.n), rows }
}

/** Every match, newest first, in batches (the CSV export streams these). */
export async function* auditRowsInBatches(db: Kysely<DB>, f: AuditFilter, batch = 500): AsyncGenerator<AuditLogRow[]> {
  for (let offset = 0; ; offset += batch) {
    const rows = await filtered(db, f).selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(batch).offset(offset).execute()
    if (rows.length > 0) yield rows
    if (rows.length < batch) return
  }
}

/** The distinct action names recorded so far (the dashboard's filter list). */
export async function recordedActions(db: Kysely<DB>): Promise<string[]> {
  const rows = await db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute()
  return rows.map((r) => r.action)
}

/** Deletes entries older than `cutoff` (ISO-8601); returns how many went. */
export async function pruneAuditRows(db: Kysely<DB>, cutoff: string): Promise<number> {
  const result = await db.deleteFrom('audit_log').where('created_at', '<', cutoff).executeTakeFirst()
  return Number(result.numDeletedRows)
}
