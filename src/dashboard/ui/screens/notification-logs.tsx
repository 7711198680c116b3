// Alerts → Notification Logs: every delivery attempt, newest first, filterable by destination and
// status; a failed row shows the provider's error.
import { query } from '../api'
import { useApi } from '../use-api'
import { EmptyState, Loaded } from '../components/feedback'
import { Badge, PageHeader, Pagination, formatDate } from '../components/controls'
import { Link, updateQuery, useLocation } from '../router'
import { listOf, totalOf } from '../lists'
import type { Destination } from '../notification-types'

const PAGE = 50

interface LogRow {
  id: string
  destination_id: string | null
  destination_name?: string | null
  event_type: string
  title?: string | null
  status: string
  error_message?: string | null
  attempt_count?: number
  created_at: string
}

export function NotificationLogs() {
  const { query: q } = useLocation()
  const destinationId = q.get('destination_id') ?? ''
  const status = q.get('status') ?? ''
  const offset = Number(q.get('offset') ?? 0) || 0
  const logs = useApi<unknown>(`/api/v1/notifications/delivery-log${query({ destination_id: destinationId, status, limit: PAGE, offset })}`)
  const destinations = useApi<unknown>('/api/v1/notifications/destinations')
  const destinationList = listOf<Destination>(destinations.data, 'destinations')
  const update = updateQuery
  const nameOf = (row: LogRow) => row.destination_name ?? destinationList.find((d) => d.id === row.destination_id)?.display_name ?? '—'

  return (
    <>
      <PageHeader title="Notification Logs">
        <button type="button" class="button" onClick={logs.reload}>Refresh</button>
      </PageHeader>
      <div class="filters">
        <label class="field field-inline">
          <span class="field-label">Destination</span>
          <select value={destinationId} onChange={(e) => update({ destination_id: e.currentTarget.value })}>
            <option value="">All destinations</option>
            {destinationList.map((d) => <option value={d.id}>{d.display_name}</option>)}
          </select>
        </label>
        <label class="field field-inline">
          <span class="field-label">Status</span>
          <select value={status} onChange={(e) => update({ status: e.currentTarget.value })}>
            <option value="">Any</option>
            <option value="sent">Sent</option>
            <option value="failed">Failed</option>
            <option value="pending">Pending</option>
          </select>
        </label>
      </div>
      <Loaded resource={logs} label="Loading the log…">
        {(data) => {
          const rows = listOf<LogRow>(data, 'logs', 'entries', 'deliveries', 'rows')
          if (rows.length === 0) {
            return (
              <EmptyState title="No deliveries yet">
                Nothing was sent{destinationId || status ? ' with these filters' : ''}. If you expected alerts, check that a routing rule matches them under{' '}
                <Link href="/settings/alert-channels">Settings → Alert Channels</Link>, or use <strong>Send test</strong> there.
              </EmptyState>
            )
          }
          return (
            <>
              <div class="table-wrap">
                <table class="table">
                  <thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">Destination</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Error</th></tr></thead>
                  <tbody>
                    {rows.map((r) => (
                      <tr title={r.error_message ?? undefined}>
                        <td>{formatDate(r.created_at)}</td>
                        <td><code>{r.event_type}</code>{r.title && <div class="muted small">{r.title}</div>}</td>
                        <td>{nameOf(r)}</td>
                        <td><Badge>{r.status}</Badge></td>
                        <td class="num">{r.attempt_count ?? 1}</td>
                        <td class="small break">{r.error_message ?? ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pagination total={totalOf(data, rows.length)} offset={offset} limit={PAGE} onChange={(o) => update({ offset: Math.max(0, o) })} />
            </>
          )
        }}
      </Loaded>
    </>
  )
}
