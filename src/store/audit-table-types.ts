// Row types of the audit feature's table (migration 0019); joined into DB in database-types.ts.
import type { Selectable } from 'kysely'

export interface AuditLogTable {
  id: string
  created_at: string
  actor_type: string
  actor_id: string | null
  actor_label: string | null
  action: string
  target_type: string | null
  target_id: string | null
  target_label: string | null
  outcome: string
  reason: string | null
  ip: string | null
  user_agent: string | null
  details: string | null
}

export interface AuditTables {
  audit_log: AuditLogTable
}

export type AuditLogRow = Selectable<AuditLogTable>

export const AUDIT_COLUMNS = {
  audit_log: {
    id: 'required',
    created_at: 'required',
    actor_type: 'required',
    actor_id: 'nullable',
    actor_label: 'nullable',
    action: 'required',
    target_type: 'nullable',
    target_id: 'nullable',
    target_label: 'nullable',
    outcome: 'required',
    reason: 'nullable',
    ip: 'nullable',
    user_agent: 'nullable',
    details: 'nullable'
  }
} as const
