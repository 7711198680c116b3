// The patching audit trail: who triggered, approved, stopped or deleted which run, and who changed
// which policy, schedule, window, hold or exemption, newest first; filtered by action, paged. The
// run page shows the same entries for one run.
import { query } from '../api'
import { useApi } from '../use-api'
import { EmptyState, Loaded } from '../components/feedback'
import { Pagination, formatDate } from '../components/controls'
import { useTargets } from '../components/target-picker'
import { Link, updateQuery, useLocation } from '../router'
import type { AuditAction, AuditPage, AuditEntry } from '../patching-types'

const PAGE = 100

/** Every action the server records, in words (a new action fails the type check until it has one). */
export const AUDIT_ACTIONS: Record<AuditAction, string> = {
  trigger: 'Started a run',
  approve: 'Approved a run',
  stop: 'Stopped a run',
  delete: 'Deleted a run',
  retry_validation: 'Re-sent a dry run',
  policy_create: 'Created a policy',
  policy_update: 'Changed a policy',
  policy_delete: 'Deleted a policy',
  policy_assign: 'Assigned a policy',
  policy_unassign: 'Unassigned a policy',
  policy_exclude: 'Excluded a host from a policy',
  policy_unexclude: 'Ended a policy exclusion',
  hold_added: 'Held packages',
  hold_removed: 'Released a hold',
  window_added: 'Added a maintenance window',
  window_removed: 'Removed a maintenance window',
  schedule_create: 'Created a schedule',
  schedule_update: 'Changed a schedule',
  schedule_delete: 'Deleted a schedule',
  schedule_slot_skipped: 'Skipped a scheduled run',
  reboot_exempt: 'Exempted a host from reboots',
  reboot_unexempt: 'Ended a reboot exemption',
  bulk_launch: 'Started a bulk patch'
}

const actionLabel = (action: string) => AUDIT_ACTIONS[action as AuditAction] ?? action.replace(/_/g, ' ')

/** The details as short `key: value` pairs (ids and long lists cut). */
function detailText(details: AuditEntry['details']): string {
  if (!details) return ''
  return Object.entries(details)
    .filter(([k, v]) => v !== null && v !== undefined && v !== '' && !k.endsWith('_id'))
    .map(([k, v]) => `${k.replace(/_/g, ' ')}: ${Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ')
    .slice(0, 300)
}

export function AuditTable({ entries, label }: { entries: AuditEntry[]; label: string }) {
  const targets = useTargets()
  return (
    <div class="table-wrap">
      <table class="table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Host</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr>
              <td>{formatDate(e.created_at)}</td>
              <td>{e.username ?? (e.user_id ? 'a deleted user' : 'the server')}</td>
              <td>{e.run_id ? <Link href={`/patching/runs/${e.run_id}`}>{actionLabel(e.action)}</Link> : actionLabel(e.action)}</td>
              <td>{e.host_id ? <Link href={`/hosts/${e.host_id}`}>{targets.nameOf('host', e.host_id)}</Link> : '—'}</td>
              <td class="small">{detailText(e.details) || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function PatchAudit() {
  const { query: q } = useLocation()
  const action = q.get('action') ?? ''
  const offset = Number(q.get('offset') ?? 0) || 0
  const audit = useApi<AuditPage>(`/api/v1/patching/audit${query({ action, limit: PAGE, offset })}`)
  return (
    <>
      <div class="filters">
        <label class="field field-inline">
          <span class="field-label">Action</span>
          <select value={action} onChange={(e) => updateQuery({ action: e.currentTarget.value })}>
            <option value="">Any action</option>
            {Object.entries(AUDIT_ACTIONS).map(([k, label]) => (
              <option value={k}>{label}</option>
            ))}
          </select>
        </label>
      </div>
      <Loaded resource={audit} label="Loading the audit trail…">
        {(data) =>
          data.entries.length === 0 ? (
            <EmptyState title="Nothing recorded yet" />
          ) : (
            <>
              <AuditTable entries={data.entries} label="Patching audit trail" />
              <Pagination total={data.total} offset={offset} limit={PAGE} onChange={(o) => updateQuery({ offset: Math.max(0, o) })} />
            </>
          )
        }
      </Loaded>
    </>
  )
}

/** The run page's "who did what" list. */
export function RunAudit({ runId }: { runId: string }) {
  const audit = useApi<AuditPage>(`/api/v1/patching/audit${query({ run_id: runId, limit: 50 })}`)
  if (!audit.data || audit.data.entries.length === 0) return null
  return (
    <section class="panel" aria-labelledby="run-audit-heading">
      <h2 id="run-audit-heading">Recorded actions</h2>
      <AuditTable entries={[...audit.data.entries].reverse()} label="Actions on this run" />
    </section>
  )
}
