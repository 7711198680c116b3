// Settings → Audit Log: who did what, to which target, when, from where and with which outcome,
// newest first. Filters live in the URL (actor, action, target, outcome, date range); the CSV
// export downloads the same filtered entries.
import { useState } from 'preact/hooks'
import type { Static } from 'typebox'
import type { AuditEntry } from '../../../audit/audit-schemas.js'
import { query } from '../api'
import { useApi } from '../use-api'
import { EmptyState, Loaded } from '../components/feedback'
import { Badge, PageHeader, Pagination, formatDate } from '../components/controls'
import { updateQuery, useLocation } from '../router'

const PAGE = 50
const TARGET_TYPES = [
  'user',
  'session',
  'host',
  'host_group',
  'token',
  'destination',
  'settings',
  'patch_run',
  'patch_policy',
  'patch_schedule'
]

type Entry = Static<typeof AuditEntry>

const OUTCOME_KIND: Record<string, string> = { success: 'ok', failure: 'warn', denied: 'bad' }

/** The target's label, else its id; a session reads as its first 8 characters (the full id is the tooltip). */
function targetText(e: Entry): string {
  if (e.target_label) return e.target_label
  if (!e.target_id) return ''
  return e.target_type === 'session' ? `${e.target_id.slice(0, 8)}…` : e.target_id
}

function detailText(details: Entry['details']): string {
  if (!details) return ''
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
    .join(' · ')
}

function TextFilter({ name, label, value }: { name: string; label: string; value: string }) {
  const [text, setText] = useState(value)
  return (
    <label class="field field-inline">
      <span class="field-label">{label}</span>
      <input
        name={name}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        onChange={(e) => updateQuery({ [name]: e.currentTarget.value.trim(), offset: 0 })}
      />
    </label>
  )
}

export function AuditLog() {
  const { query: q } = useLocation()
  const filters = {
    actor: q.get('actor') ?? '',
    action: q.get('action') ?? '',
    target_type: q.get('target_type') ?? '',
    target_id: q.get('target_id') ?? '',
    outcome: q.get('outcome') ?? '',
    from: q.get('from') ?? '',
    to: q.get('to') ?? ''
  }
  const offset = Number(q.get('offset') ?? 0) || 0
  const entries = useApi<{ entries: Entry[]; total: number }>(`/api/v1/audit${query({ ...filters, limit: PAGE, offset })}`)
  const actions = useApi<{ actions: string[] }>('/api/v1/audit/actions')
  const set = (name: string) => (e: { currentTarget: HTMLSelectElement | HTMLInputElement }) =>
    updateQuery({ [name]: e.currentTarget.value, offset: 0 })

  return (
    <>
      <PageHeader title="Audit Log">
        <a class="button" href={`/api/v1/audit/export${query(filters)}`} download>
          Export CSV
        </a>
        <button type="button" class="button" onClick={entries.reload}>
          Refresh
        </button>
      </PageHeader>
      <div class="filters">
        <TextFilter name="actor" label="Who" value={filters.actor} />
        <label class="field field-inline">
          <span class="field-label">Action</span>
          <select name="action" value={filters.action} onChange={set('action')}>
            <option value="">Any action</option>
            {(actions.data?.actions ?? []).map((a) => (
              <option value={a}>{a}</option>
            ))}
          </select>
        </label>
        <label class="field field-inline">
          <span class="field-label">Target</span>
          <select name="target_type" value={filters.target_type} onChange={set('target_type')}>
            <option value="">Any target</option>
            {TARGET_TYPES.map((t) => (
              <option value={t}>{t.replace(/_/g, ' ')}</option>
            ))}
          </select>
        </label>
        <label class="field field-inline">
          <span class="field-label">Outcome</span>
          <select name="outcome" value={filters.outcome} onChange={set('outcome')}>
            <option value="">Any</option>
            <option value="success">Success</option>
            <option value="failure">Failure</option>
            <option value="denied">Denied</option>
          </select>
        </label>
        <label class="field field-inline">
          <span class="field-label">From</span>
          <input type="date" name="from" value={filters.from} onChange={set('from')} />
        </label>
        <label class="field field-inline">
          <span class="field-label">To</span>
          <input type="date" name="to" value={filters.to} onChange={set('to')} />
        </label>
      </div>
      <Loaded resource={entries} label="Loading the audit log…">
        {(data) =>
          data.entries.length === 0 ? (
            <EmptyState title="No entries">
              Nothing was recorded{Object.values(filters).some(Boolean) ? ' with these filters' : ' yet'}.
            </EmptyState>
          ) : (
            <>
              <div class="table-wrap">
                <table class="table" aria-label="Audit log">
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Who</th>
                      <th scope="col">Action</th>
                      <th scope="col">Target</th>
                      <th scope="col">Outcome</th>
                      <th scope="col">From</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.entries.map((e) => (
                      <tr data-action={e.action}>
                        <td>{formatDate(e.created_at)}</td>
                        <td>
                          {e.actor_label ?? (e.actor_type === 'anonymous' ? 'unknown' : e.actor_type)}
                          {e.actor_type === 'credential' && <div class="muted small">API credential {e.actor_id}</div>}
                        </td>
                        <td>
                          <code>{e.action}</code>
                          <div class="muted small break">{detailText(e.details)}</div>
                        </td>
                        <td title={e.target_id ?? undefined}>
                          {e.target_type ? (
                            <>
                              <span class="muted small">{e.target_type.replace(/_/g, ' ')}</span> {targetText(e)}
                            </>
                          ) : (
                            '—'
                          )}
                        </td>
                        <td>
                          <Badge kind={OUTCOME_KIND[e.outcome]}>{e.outcome}</Badge>
                          {e.reason && <div class="muted small">{e.reason.replace(/_/g, ' ')}</div>}
                        </td>
                        <td class="small" title={e.user_agent ?? undefined}>
                          {e.ip ?? '—'}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pagination total={data.total} offset={offset} limit={PAGE} onChange={(o) => updateQuery({ offset: Math.max(0, o) })} />
            </>
          )
        }
      </Loaded>
    </>
  )
}
