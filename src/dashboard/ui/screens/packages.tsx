// Packages across the fleet: which packages have updates and open CVEs, and (on /packages/:id) which
// hosts need that package updated.
import type { Static } from 'typebox'
import type { PackageCountsReply } from '../../../vulnerabilities/vulnerability-schemas.js'
import { query } from '../api'
import { useApi } from '../use-api'
import { EmptyState, Loaded } from '../components/feedback'
import { Badge, PageHeader, Pagination } from '../components/controls'
import { Link, updateQuery, useLocation } from '../router'

const PAGE = 50

interface FleetPackage {
  id: string
  name: string
  description?: string | null
  category?: string | null
  host_count: number
  hosts_needing_update: number
  hosts_needing_security_update: number
}

interface PackageHost {
  id: string
  friendly_name: string
  hostname: string | null
  current_version: string
  available_version: string | null
  needs_update: boolean
  is_security_update: boolean
}

export function Packages({ params }: { params: Record<string, string> }) {
  return params.id ? <PackageHosts id={params.id} /> : <PackageList />
}

function PackageList() {
  const { query: q } = useLocation()
  const search = q.get('search') ?? ''
  const updates = q.get('updates') ?? 'outdated'
  const offset = Number(q.get('offset') ?? 0) || 0
  const packages = useApi<{ packages: FleetPackage[]; total: number }>(
    `/api/v1/packages${query({ search, updates_only: updates === 'outdated' || undefined, security_only: updates === 'security' || undefined, limit: PAGE, offset })}`
  )
  const update = updateQuery
  return (
    <>
      <PageHeader title="Packages" />
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault()
          update({ search: (new FormData(e.currentTarget).get('search') as string | null) ?? '' })
        }}
      >
        <label class="field field-inline">
          <span class="field-label">Search</span>
          <input name="search" type="search" defaultValue={search} placeholder="Package name" />
        </label>
        <label class="field field-inline">
          <span class="field-label">Show</span>
          <select value={updates} onChange={(e) => update({ updates: e.currentTarget.value })}>
            <option value="outdated">With updates</option>
            <option value="security">Security updates</option>
            <option value="all">All packages</option>
          </select>
        </label>
        <button type="submit" class="button">
          Search
        </button>
      </form>
      <Loaded resource={packages} label="Loading packages…">
        {(data) => {
          const list = data.packages
          if (list.length === 0)
            return (
              <EmptyState title={search ? 'No package matches' : 'No packages to show'}>
                {search
                  ? 'Try another name.'
                  : 'Packages appear after hosts report. Hosts list every installed package with its available update.'}
              </EmptyState>
            )
          return (
            <>
              <PackageTable list={list} />
              <Pagination total={data.total} offset={offset} limit={PAGE} onChange={(o) => update({ offset: Math.max(0, o) })} />
            </>
          )
        }}
      </Loaded>
    </>
  )
}

/**
 * One page of packages. The CVE column comes from the vulnerabilities feature (one request for the
 * names on the page, scoped to the user's host groups) and stays empty until a feed is imported.
 */
function PackageTable({ list }: { list: FleetPackage[] }) {
  const counts = useApi<Static<typeof PackageCountsReply>>(
    `/api/v1/vulnerabilities/package-counts${query({ names: list.map((p) => p.name).join(',') })}`
  )
  const known = counts.data?.feed_imported === true
  const byName = new Map((counts.data?.packages ?? []).map((c) => [c.name, c]))
  return (
    <div class="table-wrap">
      <table class="table" aria-label="Packages">
        <thead>
          <tr>
            <th scope="col">Package</th>
            <th scope="col" class="num">
              Hosts needing update
            </th>
            <th scope="col" class="num">
              With a security update
            </th>
            <th scope="col" class="num">
              Installed on
            </th>
            <th scope="col" class="num" title={counts.data && !known ? 'No vulnerability feed imported yet' : undefined}>
              Open CVEs
            </th>
          </tr>
        </thead>
        <tbody>
          {list.map((p) => {
            const cves = byName.get(p.name)
            return (
              <tr key={p.id}>
                <td>
                  <Link href={`/packages/${p.id}`}>{p.name}</Link>{' '}
                  {p.hosts_needing_security_update ? <Badge kind="bad">security</Badge> : null}
                  {p.description && <div class="muted small">{p.description}</div>}
                </td>
                <td class="num">{p.hosts_needing_update}</td>
                <td class={p.hosts_needing_security_update ? 'num stat-bad' : 'num'}>{p.hosts_needing_security_update}</td>
                <td class="num">{p.host_count}</td>
                <td class={cves ? 'num stat-bad' : 'num'}>
                  {/* Before any feed there is nothing to count: blank rather than a reassuring 0. */}
                  {!known ? null : cves ? (
                    <>
                      {cves.known_exploited && <Badge kind="bad">Known exploited</Badge>}{' '}
                      <Link href={`/vulnerabilities${query({ search: p.name })}`} title={`CVEs of ${p.name}`}>
                        {cves.open_cves}
                      </Link>
                    </>
                  ) : (
                    0
                  )}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

function PackageHosts({ id }: { id: string }) {
  const hosts = useApi<{ package: { name: string; description: string | null }; hosts: PackageHost[]; total: number }>(
    `/api/v1/packages/${encodeURIComponent(id)}/hosts?limit=500`
  )
  const name = hosts.data?.package.name
  return (
    <>
      <PageHeader title={name ? `Package ${name}` : 'Package'}>
        <Link href="/packages" class="button">
          All packages
        </Link>
      </PageHeader>
      <Loaded resource={hosts} label="Loading hosts…">
        {(data) => {
          const list = data.hosts
          if (list.length === 0) return <EmptyState title="No host has this package" />
          const needing = list.filter((h) => h.needs_update)
          return (
            <>
              {data.package.description && <p class="muted">{data.package.description}</p>}
              <p>
                {needing.length} of {data.total} hosts need an update of this package
                {data.total > list.length ? ` (first ${list.length} shown)` : ''}.
              </p>
              <div class="table-wrap">
                <table class="table">
                  <thead>
                    <tr>
                      <th scope="col">Host</th>
                      <th scope="col">Installed</th>
                      <th scope="col">Available</th>
                      <th scope="col">Update</th>
                    </tr>
                  </thead>
                  <tbody>
                    {[...needing, ...list.filter((h) => !h.needs_update)].map((h) => (
                      <tr>
                        <td class="cell-name">
                          <Link href={`/hosts/${h.id}`} class="truncate" title={h.friendly_name}>
                            {h.friendly_name}
                          </Link>
                        </td>
                        <td class="mono">{h.current_version || '—'}</td>
                        <td class="mono">{h.available_version ?? '—'}</td>
                        <td>
                          {h.is_security_update ? (
                            <Badge kind="bad">security</Badge>
                          ) : h.needs_update ? (
                            <Badge kind="warn">update</Badge>
                          ) : (
                            <Badge kind="ok">current</Badge>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )
        }}
      </Loaded>
    </>
  )
}
