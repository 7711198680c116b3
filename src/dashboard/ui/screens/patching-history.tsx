// Every patch run, newest first, filtered by status and host (kept in the address, so a filtered
// view can be shared), paged by the server.
import { query } from '../api'
import { useApi } from '../use-api'
import { EmptyState, Loaded } from '../components/feedback'
import { Pagination } from '../components/controls'
import { PatchRunTable } from '../components/patch-run-table'
import { navigate, updateQuery, useLocation } from '../router'
import { FILTER_STATUSES, statusLabel } from '../patch-run-text'
import type { HostSummary } from '../host-types'
import type { PatchRunsPage } from '../patching-types'

const PAGE = 50

export function PatchHistory() {
  const { query: q } = useLocation()
  const status = q.get('status') ?? ''
  const hostId = q.get('host_id') ?? ''
  const offset = Number(q.get('offset') ?? 0) || 0
  const runs = useApi<PatchRunsPage>(`/api/v1/patching/runs${query({ status, host_id: hostId, limit: PAGE, offset })}`)
  const hosts = useApi<{ hosts: HostSummary[] }>('/api/v1/hosts?limit=500&sort=name&order=asc')
  return (
    <>
      <div class="filters">
        <label class="field field-inline">
          <span class="field-label">Status</span>
          <select value={status} onChange={(e) => updateQuery({ status: e.currentTarget.value })}>
            <option value="">Any status</option>
            <option value="active">Queued or running</option>
            {FILTER_STATUSES.map((s) => (
              <option value={s}>{statusLabel(s)}</option>
            ))}
          </select>
        </label>
        <label class="field field-inline">
          <span class="field-label">Host</span>
          <select value={hostId} onChange={(e) => updateQuery({ host_id: e.currentTarget.value })}>
            <option value="">All hosts</option>
            {(hosts.data?.hosts ?? []).map((h) => (
              <option value={h.id}>{h.friendly_name}</option>
            ))}
          </select>
        </label>
      </div>
      <Loaded resource={runs} label="Loading history…">
        {(data) =>
          data.runs.length === 0 ? (
            status || hostId ? (
              <EmptyState title="No run matches these filters">
                <button type="button" class="button" onClick={() => navigate('/patching?tab=history', true)}>
                  Clear filters
                </button>
              </EmptyState>
            ) : (
              <EmptyState title="No patch runs yet" />
            )
          ) : (
            <>
              <PatchRunTable runs={data.runs} label="Patch run history" />
              <Pagination
                total={data.pagination.total}
                offset={offset}
                limit={PAGE}
                onChange={(o) => updateQuery({ offset: Math.max(0, o) })}
              />
            </>
          )
        }
      </Loaded>
    </>
  )
}
