// Alerts → Notification Logs: every delivery attempt, newest first, filterable by destination and
// status; a failed row shows the provider's error.
import type { Static } from 'typebox'
import type { DeliveryView } from '../../../notifications/notification-schemas.js'
import { query } from '../api'
import { useApi } from '../use-api'
import { EmptyState, Loaded } from '../components/feedback'
import { Badge, PageHeader, Pagination, formatDate } from '../components/controls'
import { Link, updateQuery, useLocation } from '../router'
import type { Destination } from '../notification-types'
import { eventLabel } from '../human-format'

const PAGE = 50

/** GET /api/v1/notifications/deliveries rows: the server's DeliveryView, imported as a type only. */
type LogRow = Static<typeof DeliveryView>

export function NotificationLogs() {
  const { query: q } = useLocation()
  const destinationId = q.get('destination_id') ?? ''
  const status = q.get('status') ?? ''
  const offset = Number(q.get('offset') ?? 0) || 0
  const logs = useApi<{ deliveries: LogRow[]; total: number }>(
    `/api/v1/notifications/delivery-log${query({ destination_id: destinationId, status, limit: PAGE, offset })}`
  )
  const destinations = useApi<Destination[]>('/api/v1/notifications/destinations')
  const destinationList = destinations.data ?? []
  const update = updateQuery

  return (
    <>
      <PageHeader title="Notification Logs">
        <button type="button" class="button" onClick={logs.reload}>
          Refresh
        </button>
      </PageHeader>
      <div class="filters">
        <label class="field field-inline">
          <span class="field-label">Destination</span>
          <select value={destinationId} onChange={(e) => update({ destination_id: e.currentTarget.value })}>
            <option value="">All destinations</option>
            {destinationList.map((d) => (
              <option value={d.id}>{d.display_name}</option>
            ))}
          </select>
        </label>
        <label class="field field-inline">
          <span class="field-label">Status</span>
          <select value={status} onChange={(e) => update({ status: e.currentTarget.value })}>
            <option value="">Any</option>
            <option value="sent">Sent</option>
            <option value="failed">Failed</option>
            <option value="pending">Waiting to retry</option>
            <option value="sending">Sending</option>
          </select>
        </label>
      </div>
      <Loaded resource={logs} label="Loading the log…">
        {(data) => {
          const rows = data.deliveries
          if (rows.length === 0) {
            return (
              <EmptyState title="No deliveries yet">
                Nothing was sent{destinationId || status ? ' with these filters' : ''}. If you expected alerts, check that a routing rule
                matches them under <Link href="/settings/alert-channels">Settings → Alert Channels</Link>, or use <strong>Send test</strong>{' '}
                there.
              </EmptyState>
            )
          }
          return (
            <>
              <div class="table-wrap">
                <table class="table">
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Event</th>
                      <th scope="col">Destination</th>
                      <th scope="col">Status</th>
                      <th scope="col">Attempts</th>
                      <th scope="col">Error</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r) => (
                      <tr title={r.error_message ?? undefined}>
                        <td>{formatDate(r.created_at)}</td>
                        <td>
                          {eventLabel(r.event_type)} <span class="muted small">{r.severity}</span>
                          <div class="small">{r.title}</div>
                        </td>
                        <td>{r.destination_name}</td>
                        <td>
                          <Badge>{r.status}</Badge>
                          {r.status === 'pending' && r.next_attempt_at && (
                            <div class="muted small">retry {formatDate(r.next_attempt_at)}</div>
                          )}
                        </td>
                        <td class="num">{r.attempt_count}</td>
                        <td class="small break">
                          {r.error_message ? `${r.response_status ? `HTTP ${r.response_status}: ` : ''}${r.error_message}` : ''}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pagination total={data.total} offset={offset} limit={PAGE} onChange={(o) => update({ offset: Math.max(0, o) })} />
            </>
          )
        }}
      </Loaded>
    </>
  )
}
