// The host page's tabs: packages with outdated/security filters, repositories, report history.
import { useState } from 'preact/hooks'
import { useApi } from '../use-api'
import { EmptyState, Loaded } from '../components/feedback'
import { Badge, formatDate } from '../components/controls'
import { HistoryChart } from '../components/history-chart'
import { Link } from '../router'
import { listOf } from '../lists'

interface HostPackage {
  id?: string
  package_id?: string
  name?: string
  package?: { id?: string; name?: string }
  current_version?: string
  available_version?: string | null
  needs_update?: boolean | number
  is_security_update?: boolean | number
}

type PackageFilter = 'all' | 'outdated' | 'security'

export function HostPackages({ hostId }: { hostId: string }) {
  const packages = useApi<unknown>(`/api/v1/hosts/${encodeURIComponent(hostId)}/packages`)
  const [filter, setFilter] = useState<PackageFilter>('outdated')
  const [search, setSearch] = useState('')
  return (
    <Loaded resource={packages} label="Loading packages…">
      {(data) => {
        const all = listOf<HostPackage>(data, 'packages')
        if (all.length === 0) return <EmptyState title="No packages reported yet">The list fills in with the agent's first report. Use <strong>Report now</strong> to ask for one.</EmptyState>
        const needle = search.trim().toLowerCase()
        const shown = all.filter((p) =>
          (filter === 'all' || (filter === 'outdated' && p.needs_update) || (filter === 'security' && p.is_security_update)) &&
          (!needle || nameOf(p).toLowerCase().includes(needle)))
        return (
          <>
            <div class="filters">
              <fieldset class="segmented">
                <legend class="offscreen">Show</legend>
                {(['outdated', 'security', 'all'] as const).map((f) => (
                  <label class={filter === f ? 'segment segment-on' : 'segment'}>
                    <input type="radio" name="package-filter" value={f} checked={filter === f} onChange={() => setFilter(f)} />
                    {f === 'all' ? `All (${all.length})` : f === 'outdated' ? `Outdated (${all.filter((p) => p.needs_update).length})` : `Security (${all.filter((p) => p.is_security_update).length})`}
                  </label>
                ))}
              </fieldset>
              <label class="field field-inline">
                <span class="field-label">Filter</span>
                <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} placeholder="Package name" />
              </label>
            </div>
            {shown.length === 0 ? (
              <p class="muted">{filter === 'security' ? 'No security updates pending.' : filter === 'outdated' ? 'Everything is up to date.' : 'No package matches.'}</p>
            ) : (
              <div class="table-wrap">
                <table class="table">
                  <thead><tr><th scope="col">Package</th><th scope="col">Installed</th><th scope="col">Available</th><th scope="col">Update</th></tr></thead>
                  <tbody>
                    {shown.slice(0, 500).map((p) => {
                      const pid = p.package_id ?? p.package?.id ?? p.id
                      return (
                        <tr>
                          <td>{pid ? <Link href={`/packages/${pid}`}>{nameOf(p)}</Link> : nameOf(p)}</td>
                          <td class="mono">{p.current_version ?? '—'}</td>
                          <td class="mono">{p.available_version ?? '—'}</td>
                          <td>{p.is_security_update ? <Badge kind="bad">security</Badge> : p.needs_update ? <Badge kind="warn">update</Badge> : <Badge kind="ok">current</Badge>}</td>
                        </tr>
                      )
                    })}
                  </tbody>
                </table>
                {shown.length > 500 && <p class="muted">Showing the first 500 of {shown.length}; narrow with the filter.</p>}
              </div>
            )}
          </>
        )
      }}
    </Loaded>
  )
}

const nameOf = (p: HostPackage) => p.name ?? p.package?.name ?? 'package'

interface Repository {
  name?: string
  url?: string
  distribution?: string
  components?: string
  repo_type?: string
  is_secure?: boolean | number
  is_enabled?: boolean | number
}

export function HostRepositories({ hostId }: { hostId: string }) {
  const repos = useApi<unknown>(`/api/v1/hosts/${encodeURIComponent(hostId)}/repositories`)
  return (
    <Loaded resource={repos} label="Loading repositories…">
      {(data) => {
        const list = listOf<Repository>(data, 'repositories')
        if (list.length === 0) return <EmptyState title="No repositories reported yet" />
        return (
          <div class="table-wrap">
            <table class="table">
              <thead><tr><th scope="col">Name</th><th scope="col">URL</th><th scope="col">Distribution</th><th scope="col">Type</th><th scope="col">State</th></tr></thead>
              <tbody>
                {list.map((r) => (
                  <tr>
                    <td>{r.name ?? '—'}</td>
                    <td class="mono break">{r.url ?? '—'}</td>
                    <td>{[r.distribution, r.components].filter(Boolean).join(' ') || '—'}</td>
                    <td>{r.repo_type ?? '—'} {r.is_secure === false || r.is_secure === 0 ? <Badge kind="warn">http</Badge> : null}</td>
                    <td>{r.is_enabled === false || r.is_enabled === 0 ? <Badge kind="muted">disabled</Badge> : <Badge kind="ok">enabled</Badge>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }}
    </Loaded>
  )
}

interface Report {
  id?: string
  status?: string
  created_at: string
  total_packages?: number
  outdated_packages?: number
  security_updates?: number
  execution_time_seconds?: number | null
  error_message?: string | null
}

export function HostReports({ hostId }: { hostId: string }) {
  const reports = useApi<unknown>(`/api/v1/hosts/${encodeURIComponent(hostId)}/reports`)
  return (
    <Loaded resource={reports} label="Loading report history…">
      {(data) => {
        const list = listOf<Report>(data, 'reports')
        if (list.length === 0) return <EmptyState title="No reports yet">Agents report right after installation and then at every update interval.</EmptyState>
        const points = list.map((r) => ({ at: new Date(r.created_at).getTime(), outdated: r.outdated_packages ?? 0, security: r.security_updates ?? 0 }))
        return (
          <>
            <HistoryChart points={points} />
            <div class="table-wrap">
              <table class="table">
                <thead><tr><th scope="col">When</th><th scope="col">Status</th><th scope="col">Packages</th><th scope="col">Outdated</th><th scope="col">Security</th><th scope="col">Took</th></tr></thead>
                <tbody>
                  {list.slice(0, 100).map((r) => (
                    <tr title={r.error_message ?? undefined}>
                      <td>{formatDate(r.created_at)}</td>
                      <td><Badge>{r.status ?? 'success'}</Badge>{r.error_message && <div class="small">{r.error_message}</div>}</td>
                      <td class="num">{r.total_packages ?? '—'}</td>
                      <td class="num">{r.outdated_packages ?? '—'}</td>
                      <td class="num">{r.security_updates ?? '—'}</td>
                      <td>{r.execution_time_seconds != null ? `${r.execution_time_seconds.toFixed(1)} s` : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )
      }}
    </Loaded>
  )
}
