// Repositories across the fleet (issue 20 part 4): each repository with how many hosts use it,
// insecure ones (plain http:// or ftp://) flagged and first; /repositories/:id lists its hosts.
import type { FleetRepositoriesReply, RepositoryHostsReply } from '../../../hosts/fleet-repository-schemas.js'
import { query } from '../api'
import { useApi } from '../use-api'
import { EmptyState, Loaded } from '../components/feedback'
import { Badge, PageHeader, Pagination, timeAgo } from '../components/controls'
import { Link, updateQuery, useLocation } from '../router'

const PAGE = 50

export function Repositories({ params }: { params: Record<string, string> }) {
  return params.id ? <RepositoryHosts id={params.id} /> : <RepositoryList />
}

const where = (r: { distribution: string; components: string }) => [r.distribution, r.components].filter(Boolean).join(' ') || '—'

function RepositoryList() {
  const { query: q } = useLocation()
  const search = q.get('search') ?? ''
  const insecureOnly = q.get('insecure') === '1'
  const offset = Number(q.get('offset') ?? 0) || 0
  const repos = useApi<FleetRepositoriesReply>(
    `/api/v1/repositories${query({ search: search || undefined, insecure_only: insecureOnly || undefined, limit: PAGE, offset })}`
  )
  return (
    <>
      <PageHeader title="Repositories" />
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault()
          updateQuery({ search: (new FormData(e.currentTarget).get('search') as string | null) ?? '' })
        }}
      >
        <label class="field field-inline">
          <span class="field-label">Search</span>
          <input name="search" type="search" defaultValue={search} placeholder="URL, suite, component or name" />
        </label>
        <label class="check">
          <input type="checkbox" checked={insecureOnly} onChange={(e) => updateQuery({ insecure: e.currentTarget.checked ? '1' : '' })} />{' '}
          Insecure only
        </label>
        <button type="submit" class="button">
          Search
        </button>
      </form>
      <Loaded resource={repos} label="Loading repositories…">
        {(data) => (
          <>
            <p class="small">
              {data.counts.repositories} repositories in use; <strong>{data.counts.insecure} insecure</strong> (plain http:// or ftp://), on{' '}
              {data.counts.hosts_with_insecure} {data.counts.hosts_with_insecure === 1 ? 'host' : 'hosts'}.
            </p>
            {data.repositories.length === 0 ? (
              <EmptyState title={search || insecureOnly ? 'No repository matches' : 'No repositories reported yet'}>
                {search || insecureOnly ? 'Try another filter.' : 'Agents report the repositories each host is configured with.'}
              </EmptyState>
            ) : (
              <>
                <div class="table-wrap">
                  <table class="table" aria-label="Repositories">
                    <thead>
                      <tr>
                        <th scope="col">URL</th>
                        <th scope="col">Distribution / components</th>
                        <th scope="col">Type</th>
                        <th scope="col" class="num">
                          Hosts
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.repositories.map((r) => (
                        <tr>
                          <td class="mono break">
                            <Link href={`/repositories/${r.id}`}>{r.url}</Link> {r.insecure && <Badge kind="bad">insecure</Badge>}
                          </td>
                          <td>{where(r)}</td>
                          <td>{r.repo_type || '—'}</td>
                          <td class="num">{r.host_count}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <Pagination total={data.total} offset={offset} limit={PAGE} onChange={(o) => updateQuery({ offset: Math.max(0, o) })} />
              </>
            )}
          </>
        )}
      </Loaded>
    </>
  )
}

function RepositoryHosts({ id }: { id: string }) {
  const repo = useApi<RepositoryHostsReply>(`/api/v1/repositories/${encodeURIComponent(id)}`)
  return (
    <>
      <PageHeader title="Repository">
        <Link href="/repositories" class="button">
          All repositories
        </Link>
      </PageHeader>
      <Loaded resource={repo} label="Loading repository…">
        {({ repository: r, hosts }) => (
          <>
            <p>
              <span class="mono break">{r.url}</span> {r.insecure && <Badge kind="bad">insecure</Badge>}
              <br />
              {where(r)} · {r.repo_type || 'unknown type'} · used by {r.host_count} {r.host_count === 1 ? 'host' : 'hosts'}
            </p>
            {r.insecure && (
              <p class="small">
                Packages and metadata from this repository travel unencrypted: anyone on the path sees what the hosts install and can hold
                back updates. Prefer an https:// mirror.
              </p>
            )}
            <div class="table-wrap">
              <table class="table" aria-label="Hosts using this repository">
                <thead>
                  <tr>
                    <th scope="col">Host</th>
                    <th scope="col">Name on the host</th>
                    <th scope="col">State</th>
                    <th scope="col">Last checked</th>
                  </tr>
                </thead>
                <tbody>
                  {hosts.map((h) => (
                    <tr>
                      <td>
                        <Link href={`/hosts/${h.id}`}>{h.friendly_name}</Link>
                        {h.hostname && h.hostname !== h.friendly_name && <div class="muted small">{h.hostname}</div>}
                      </td>
                      <td>{h.name}</td>
                      <td>{h.is_enabled ? <Badge kind="ok">enabled</Badge> : <Badge kind="muted">disabled</Badge>}</td>
                      <td>{timeAgo(h.last_checked)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Loaded>
    </>
  )
}
