// The patching audit trail: every trigger, approval, stop, delete and policy change with who and
// when. The only code that names patch_audit. The user name is copied in, so the record still
// reads after the account is deleted.
import type { Kysely } from 'kysely'
import type { DB } from '../../store/database-types.js'
import { newId } from '../../security/random-tokens.js'
import { userNamesByIds } from '../../users/user-queries.js'
import { inHostScope, isHostScoped } from '../../hosts/host-scope.js'

export type PatchAuditAction =
  | 'trigger'
  | 'approve'
  | 'stop'
  | 'delete'
  | 'retry_validation'
  | 'policy_create'
  | 'policy_update'
  | 'policy_delete'
  | 'policy_assign'
  | 'policy_unassign'
  | 'policy_exclude'
  | 'policy_unexclude'
  // Schedules, windows, holds, reboot exemptions and bulk (patching-beyond-plugin.ts).
  | 'hold_added'
  | 'hold_removed'
  | 'window_added'
  | 'window_removed'
  | 'schedule_create'
  | 'schedule_update'
  | 'schedule_delete'
  | 'schedule_slot_skipped'
  | 'reboot_exempt'
  | 'reboot_unexempt'
  | 'bulk_launch'

export interface PatchAuditEntry {
  action: PatchAuditAction
  userId: string | null
  runId?: string | null
  hostId?: string | null
  policyId?: string | null
  details?: Record<string, unknown>
}

export async function recordPatchAudit(db: Kysely<DB>, entry: PatchAuditEntry, at: Date): Promise<void> {
  const username = entry.userId ? ((await userNamesByIds(db, [entry.userId])).get(entry.userId)?.username ?? null) : null
  await db
    .insertInto('patch_audit')
    .values({
      id: newId(),
      action: entry.action,
      user_id: entry.userId,
      username,
      run_id: entry.runId ?? null,
      host_id: entry.hostId ?? null,
      policy_id: entry.policyId ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
      created_at: at.toISOString()
    })
    .execute()
}

export interface AuditFilter {
  limit: number
  offset: number
  runId?: string | undefined
  hostId?: string | undefined
  action?: string | undefined
}

export async function auditPage(db: Kysely<DB>, filter: AuditFilter) {
  // A limited user sees entries about their hosts only: entries without a host (policy edits) may
  // name other hosts in their details.
  let q = db
    .selectFrom('patch_audit')
    .where((eb) => (isHostScoped() ? eb.and([eb('host_id', 'is not', null), inHostScope('patch_audit.host_id')]) : eb.and([])))
  if (filter.runId) q = q.where('run_id', '=', filter.runId)
  if (filter.hostId) q = q.where('host_id', '=', filter.hostId)
  if (filter.action) q = q.where('action', '=', filter.action)
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const rows = await q.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(filter.limit).offset(filter.offset).execute()
  return {
    total: Number(total.n),
    entries: rows.map((r) => ({
      id: r.id,
      action: r.action,
      user_id: r.user_id,
      username: r.username,
      run_id: r.run_id,
      host_id: r.host_id,
      policy_id: r.policy_id,
      details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
      created_at: r.created_at
    }))
  }
}
