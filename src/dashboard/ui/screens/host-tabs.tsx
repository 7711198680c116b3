// The host page's tabs: packages with outdated/security filters (and, for people who may patch,
// boxes to pick packages for "Patch selected…"), repositories, report history.
import type { Static } from 'typebox'
import { useState } from 'preact/hooks'
import type { HostPackage as HostPackageSchema, HostRepository, ReportHistoryItem } from '../../../hosts/host-schemas.js'
import { query } from '../api'
import { useApi } from '../use-api'
import { EmptyState, Loaded } from '../components/feedback'
import { Badge, Pagination, formatDate } from '../components/controls'
import { HistoryChart } from '../components/history-chart'
import { Link } from '../router'

// The server's response schemas (src/hosts/host-schemas.ts), imported as types only.
type HostPackage = Static<typeof HostPackageSchema>

type PackageFilter = 'all' | 'outdated' | 'security'
const PAGE = 100

/** Counts for the filter labels come from the host itself, so they show before a list loads. */
export function HostPackages({
  hostId,
  counts,
  onPatch
}: {
  hostId: string
  counts: { total?: number; outdated?: number; security?: number }
  /** Given when the user may patch: outdated rows get a box, and the picked names go to the Patch dialog. */
  onPatch?: (names: string[]) => void
}) {
  // Picked names survive paging and filtering, so a selection can span pages.
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set())
  const toggle = (name: string, on: boolean) => {
    const next = new Set(picked)
    if (on) next.add(name)
    else next.delete(name)
    setPicked(next)
  }
  const [filter, setFilter] = useState<PackageFilter>(counts.outdated === 0 ? 'all' : 'outdated')
  const [search, setSearch] = useState('')
  const [applied, setApplied] = useState('')
  const [offset, setOffset] = useState(0)
  const packages = useApi<{ packages: HostPackage[]; total: number }>(
    `/api/v1/hosts/${encodeURIComponent(hostId)}/packages${query({ updates_only: filter === 'outdated' || undefined, security_only: filter === 'security' || undefined, search: applied, limit: PAGE, offset })}`
  )
  const choose = (f: PackageFilter) => {
    setFilter(f)
    setOffset(0)
  }
  const labels: Record<PackageFilter, string> = {
    outdated: `Outdated (${counts.outdated ?? '…'})`,
    security: `Security (${counts.security ?? '…'})`,
    all: `All (${counts.total ?? '…'})`
  }
  return (
    <>
      <div class="filters">
        <fieldset class="segmented">
          <legend class="offscreen">Show</legend>
          {(['outdated', 'security', 'all'] as const).map((f) => (
            <label class={filter === f ? 'segment segment-on' : 'segment'}>
              <input type="radio" name="package-filter" value={f} checked={filter === f} onChange={() => choose(f)} />
              {labels[f]}
            </label>
          ))}
        </fieldset>
        <form
          role="search"
          class="filters"
          onSubmit={(e) => {
            e.preventDefault()
            setApplied(search.trim())
            setOffset(0)
          }}
        >
          <label class="field field-inline">
            <span class="field-label">Package name</span>
            <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
          </label>
          <button type="submit" class="button">
            Filter
          </button>
        </form>
        {onPatch && (
          <button type="button" class="button" disabled={picked.size === 0} onClick={() => onPatch([...picked])}>
            Patch selected ({picked.size})…
          </button>
        )}
      </div>
      <Loaded resource={packages} label="Loading packages…">
        {(data) =>
          data.total === 0 ? (
            counts.total === 0 ? (
              <EmptyState title="No packages reported yet">The list fills in with the agent's first report.</EmptyState>
            ) : (
              <p class="muted">
                {applied
                  ? 'No package matches.'
                  : filter === 'security'
                    ? 'No security updates pending.'
                    : filter === 'outdated'
                      ? 'Everything is up to date.'
                      : 'No packages.'}
              </p>
            )
          ) : (
            <>
              <div class="table-wrap">
                <table class="table">
                  <thead>
                    <tr>
                      {onPatch && (
                        <th scope="col">
                          <span class="offscreen">Pick</span>
                        </th>
                      )}
                      <th scope="col">Package</th>
                      <th scope="col">Installed</th>
                      <th scope="col">Available</th>
                      <th scope="col">Update</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.packages.map((p) => (
                      <tr>
                        {onPatch && (
                          <td>
                            {p.needs_update && (
                              <input
                                type="checkbox"
                                aria-label={`Pick ${p.name}`}
                                checked={picked.has(p.name)}
                                onChange={(e) => toggle(p.name, e.currentTarget.checked)}
                              />
                            )}
                          </td>
                        )}
                        <td>
                          <Link href={`/packages/${p.id}`}>{p.name}</Link>
                          {p.description && <div class="muted small">{p.description}</div>}
                        </td>
                        <td class="mono">{p.current_version || '—'}</td>
                        <td class="mono">{p.available_version ?? '—'}</td>
                        <td>
                          {p.is_security_update ? (
                            <Badge kind="bad">security</Badge>
                          ) : p.needs_update ? (
                            <Badge kind="warn">update</Badge>
                          ) : (
                            <Badge kind="ok">current</Badge>
                          )}
                          {onPatch && p.needs_update && (
                            <button
                              type="button"
                              class="button button-small row-patch"
                              aria-label={`Patch ${p.name}…`}
                              onClick={() => onPatch([p.name])}
                            >
                              Patch…
                            </button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pagination total={data.total} offset={offset} limit={PAGE} onChange={(o) => setOffset(Math.max(0, o))} />
            </>
          )
        }
      </Loaded>
    </>
  )
}

type Repository = Static<typeof HostRepository>

export function HostRepositories({ hostId }: { hostId: string }) {
  const repos = useApi<{ repositories: Repository[] }>(`/api/v1/hosts/${encodeURIComponent(hostId)}/repositories`)
  return (
    <Loaded resource={repos} label="Loading repositories…">
      {(data) => {
        const list = data.repositories
        if (list.length === 0) return <EmptyState title="No repositories reported yet" />
        const insecure = list.filter((r) => r.insecure).length
        return (
          <>
            {insecure > 0 && (
              <p class="small">
                {insecure} of {list.length} repositories are fetched over plain http:// or ftp:// (marked insecure).{' '}
                <Link href="/repositories?insecure=1">Insecure repositories across the fleet</Link>
              </p>
            )}
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">URL</th>
                    <th scope="col">Distribution</th>
                    <th scope="col">Type</th>
                    <th scope="col">State</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((r) => (
                    <tr>
                      <td>{r.name}</td>
                      <td class="mono break">{r.url}</td>
                      <td>{[r.distribution, r.components].filter(Boolean).join(' ') || '—'}</td>
                      <td>
                        {r.repo_type} {r.insecure ? <Badge kind="bad">insecure</Badge> : null}
                      </td>
                      <td>{r.is_enabled ? <Badge kind="ok">enabled</Badge> : <Badge kind="muted">disabled</Badge>}</td>
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

type Report = Static<typeof ReportHistoryItem>

export function HostReports({ hostId }: { hostId: string }) {
  const reports = useApi<{ reports: Report[] }>(`/api/v1/hosts/${encodeURIComponent(hostId)}/reports?limit=200`)
  return (
    <Loaded resource={reports} label="Loading report history…">
      {(data) => {
        const list = data.reports
        if (list.length === 0)
          return <EmptyState title="No reports yet">Agents report right after installation and then at every update interval.</EmptyState>
        const points = list.map((r) => ({
          at: new Date(r.created_at).getTime(),
          outdated: r.outdated_packages,
          security: r.security_updates
        }))
        return (
          <>
            <HistoryChart points={points} />
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Status</th>
                    <th scope="col">Packages</th>
                    <th scope="col">Outdated</th>
                    <th scope="col">Security</th>
                    <th scope="col">Took</th>
                  </tr>
                </thead>
                <tbody>
                  {list.slice(0, 100).map((r) => (
                    <tr title={r.error_message ?? undefined}>
                      <td>{formatDate(r.created_at)}</td>
                      <td>
                        <Badge>{r.status}</Badge>
                        {r.error_message && <div class="small">{r.error_message}</div>}
                      </td>
                      <td class="num">{r.total_packages}</td>
                      <td class="num">{r.outdated_packages}</td>
                      <td class="num">{r.security_updates}</td>
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
