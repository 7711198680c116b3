// Hosts: search, group and status filters, sortable counts, server-side pagination (10k hosts
// stay fast because only one page is fetched), "Add host" with the one-time credentials, and boxes
// to pick hosts (or every host matching the filters) for a bulk patch or a bulk host action.
import { useState } from 'preact/hooks'
import { query } from '../api'
import { useApi } from '../use-api'
import { Loaded, EmptyState } from '../components/feedback'
import { Badge, PageHeader, Pagination, timeAgo } from '../components/controls'
import { Link, navigate, updateQuery, useLocation } from '../router'
import { useSession } from '../session'
import { osLabel, type HostGroup, type HostSummary } from '../host-types'
import { AddHostDialog } from './add-host'
import { BulkPatchDialog } from './bulk-patch'
import { BulkActionBar, type BulkSelection } from './bulk-host-actions'

const PAGE = 50
/** Columns in display order; those with a sort key can be sorted by the server. */
const COLUMNS: Array<[label: string, sort?: string]> = [
  ['Name', 'name'],
  ['Status'],
  ['Packages'],
  ['Outdated', 'updates'],
  ['Security', 'security'],
  ['Last report', 'last_update'],
  ['OS'],
  ['Groups']
]

export function HostsList() {
  const { query: q } = useLocation()
  const session = useSession()
  const [adding, setAdding] = useState(false)
  const canPatch = session.can('can_manage_patching')
  const canManage = session.can('can_manage_hosts')
  const canPick = canPatch || canManage
  // Picked hosts survive paging, sorting and filtering, so a selection can span pages.
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set())
  const [bulk, setBulk] = useState(false)
  const pick = (hostId: string, on: boolean) => {
    const next = new Set(picked)
    if (on) next.add(hostId)
    else next.delete(hostId)
    setPicked(next)
  }
  const search = q.get('search') ?? ''
  const group = q.get('group') ?? ''
  const status = q.get('status') ?? ''
  // "Every host matching this filter" holds for the filters it was chosen under, not for later ones.
  const filterKey = JSON.stringify([search, group, status])
  const [allMatchingFor, setAllMatchingFor] = useState<string | null>(null)
  const allMatching = allMatchingFor === filterKey
  const clearSelection = () => {
    setPicked(new Set())
    setAllMatchingFor(null)
  }
  const sort = q.get('sort') ?? 'name'
  const order = q.get('order') ?? (sort === 'name' ? 'asc' : 'desc')
  const offset = Number(q.get('offset') ?? 0) || 0
  const hosts = useApi<{ hosts: HostSummary[]; total: number }>(
    `/api/v1/hosts${query({ search, group, status, sort, order, limit: PAGE, offset })}`
  )
  const groups = useApi<HostGroup[]>('/api/v1/host-groups')
  const selection: BulkSelection = allMatching
    ? {
        filter: {
          ...(search ? { search } : {}),
          ...(group ? { group } : {}),
          ...(status ? { status: status as 'pending' | 'active' | 'inactive' } : {})
        }
      }
    : { host_ids: [...picked] }

  const update = updateQuery
  // A new column starts with the useful direction (names A→Z, counts and dates largest first).
  const sortBy = (field: string) =>
    update({ sort: field, order: sort === field ? (order === 'asc' ? 'desc' : 'asc') : field === 'name' ? 'asc' : 'desc' })

  return (
    <>
      <PageHeader title="Hosts">
        {canPatch && !hosts.error?.notAvailable && (
          <button type="button" class="button" disabled={picked.size === 0 || allMatching} onClick={() => setBulk(true)}>
            Patch selected hosts ({picked.size})…
          </button>
        )}
        {session.can('can_manage_hosts') && !hosts.error?.notAvailable && (
          <button type="button" class="button button-primary" onClick={() => setAdding(true)}>
            Add host
          </button>
        )}
      </PageHeader>
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
          <input name="search" type="search" defaultValue={search} placeholder="Name, hostname or IP" />
        </label>
        <label class="field field-inline">
          <span class="field-label">Group</span>
          <select value={group} onChange={(e) => update({ group: e.currentTarget.value })}>
            <option value="">All groups</option>
            {(groups.data ?? []).map((g) => (
              <option value={g.id}>{g.name}</option>
            ))}
          </select>
        </label>
        <label class="field field-inline">
          <span class="field-label">Status</span>
          <select value={status} onChange={(e) => update({ status: e.currentTarget.value })}>
            <option value="">Any status</option>
            <option value="active">Active</option>
            <option value="pending">Pending (awaiting first report)</option>
            <option value="inactive">Inactive (reports stopped)</option>
          </select>
        </label>
        <button type="submit" class="button">
          Search
        </button>
      </form>
      {canManage && (picked.size > 0 || allMatching) && (
        <BulkActionBar
          selection={selection}
          count={allMatching ? (hosts.data?.total ?? 0) : picked.size}
          groups={groups.data ?? []}
          onClear={clearSelection}
          onDone={() => {
            clearSelection()
            hosts.reload()
            groups.reload()
          }}
        />
      )}
      <Loaded resource={hosts} label="Loading hosts…">
        {(data) =>
          data.hosts.length === 0 ? (
            search || group || status ? (
              <EmptyState title="No host matches these filters">
                <button type="button" class="button" onClick={() => navigate('/hosts', true)}>
                  Clear filters
                </button>
              </EmptyState>
            ) : (
              <EmptyState title="No hosts yet">
                Click <strong>Add host</strong> and run the install one-liner on the machine, or enroll many hosts with a token from{' '}
                <Link href="/settings/integrations">Settings → Integrations</Link>.
              </EmptyState>
            )
          ) : (
            <>
              {canManage && data.hosts.every((h) => picked.has(h.id)) && data.total > data.hosts.length && (
                <p class="bulk-select-all">
                  {allMatching ? (
                    <>All {data.total} hosts matching this filter are selected. </>
                  ) : (
                    <button type="button" class="button-link" onClick={() => setAllMatchingFor(filterKey)}>
                      Select all {data.total} hosts matching this filter
                    </button>
                  )}
                </p>
              )}
              <div class="table-wrap">
                <table class="table">
                  <thead>
                    <tr>
                      {canPick && (
                        <th scope="col">
                          <input
                            type="checkbox"
                            aria-label="Pick every host on this page"
                            checked={data.hosts.every((h) => picked.has(h.id))}
                            onChange={(e) => {
                              const on = e.currentTarget.checked
                              const next = new Set(picked)
                              for (const h of data.hosts)
                                if (on) next.add(h.id)
                                else next.delete(h.id)
                              setPicked(next)
                              if (!on) setAllMatchingFor(null)
                            }}
                          />
                        </th>
                      )}
                      {COLUMNS.map(([label, field]) =>
                        field ? (
                          <th scope="col" aria-sort={sort === field ? (order === 'asc' ? 'ascending' : 'descending') : undefined}>
                            <button type="button" class="sort-button" onClick={() => sortBy(field)}>
                              {label}
                              <span aria-hidden="true">{sort === field ? (order === 'asc' ? ' ▲' : ' ▼') : ' ↕'}</span>
                            </button>
                          </th>
                        ) : (
                          <th scope="col">{label}</th>
                        )
                      )}
                    </tr>
                  </thead>
                  <tbody>
                    {data.hosts.map((h) => (
                      <tr>
                        {canPick && (
                          <td>
                            <input
                              type="checkbox"
                              aria-label={`Pick ${h.friendly_name}`}
                              checked={allMatching || picked.has(h.id)}
                              onChange={(e) => {
                                setAllMatchingFor(null)
                                pick(h.id, e.currentTarget.checked)
                              }}
                            />
                          </td>
                        )}
                        {/* Names can be 255 characters: cut to the column with an ellipsis, in full as a tooltip. */}
                        <td class="cell-name">
                          <Link href={`/hosts/${h.id}`} class="truncate" title={h.friendly_name}>
                            {h.friendly_name}
                          </Link>
                          {h.hostname && h.hostname !== h.friendly_name && (
                            <div class="muted small truncate" title={h.hostname}>
                              {h.hostname}
                            </div>
                          )}
                        </td>
                        <td>
                          <Badge>{h.status}</Badge>
                          {h.needs_reboot ? (
                            <>
                              {' '}
                              <Badge kind="warn">reboot</Badge>
                            </>
                          ) : null}
                        </td>
                        {/* A host that never reported has no counts yet, not zero updates. */}
                        <td class="num">{h.last_update ? h.total_packages : '—'}</td>
                        <td class="num">{h.last_update ? h.outdated_packages : '—'}</td>
                        <td class={h.security_updates ? 'num stat-bad' : 'num'}>{h.last_update ? h.security_updates : '—'}</td>
                        <td>{timeAgo(h.last_update)}</td>
                        <td>{osLabel(h)}</td>
                        <td>
                          {h.host_groups.length ? (
                            h.host_groups.map((g) => <span class="chip">{g.name}</span>)
                          ) : (
                            <span class="muted">—</span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pagination total={data.total} offset={offset} limit={PAGE} onChange={(o) => update({ offset: Math.max(0, o) })} />
            </>
          )
        }
      </Loaded>
      {bulk && <BulkPatchDialog hostIds={[...picked]} groups={groups.data ?? []} onClose={() => setBulk(false)} />}
      {adding && (
        <AddHostDialog
          groups={groups.data ?? []}
          onClose={() => {
            setAdding(false)
            hosts.reload()
          }}
        />
      )}
    </>
  )
}
