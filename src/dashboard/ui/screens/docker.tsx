// Docker across the fleet (issue 20 part 3): counts, containers (state, update, host, search
// filters), images with how many hosts and containers use them, and the history of containers
// that stopped. With no Docker data yet it says how to turn the agent's Docker collection on.
import type { ContainersReply, DockerCounts, EventsReply, ImagesReply } from '../../../agent/docker-schemas.js'
import { query } from '../api'
import { useApi } from '../use-api'
import { EmptyState, Loaded } from '../components/feedback'
import { PageHeader, Pagination, Tabs } from '../components/controls'
import { ContainerTable, DockerCountCards, ImageTable, StopHistoryTable } from '../components/docker-tables'
import { updateQuery, useLocation } from '../router'

const PAGE = 50
type View = 'containers' | 'images' | 'history'

export function Docker() {
  const { query: q } = useLocation()
  const view = (q.get('view') as View | null) ?? 'containers'
  const hostId = q.get('host') ?? ''
  const counts = useApi<DockerCounts>(`/api/v1/docker/counts${query({ host_id: hostId || undefined })}`)
  const hosts = useApi<{ hosts: Array<{ id: string; friendly_name: string }> }>('/api/v1/hosts?limit=500')
  return (
    <>
      <PageHeader title="Docker" />
      <Loaded resource={counts} label="Loading Docker counts…">
        {(c) =>
          c.hosts_with_docker === 0 && !hostId ? (
            <EnableDocker />
          ) : (
            <>
              <DockerCountCards counts={c} />
              <Tabs<View>
                label="Docker views"
                current={view}
                onChange={(v) => updateQuery({ view: v, offset: '' })}
                tabs={[
                  ['containers', 'Containers'],
                  ['images', 'Images'],
                  ['history', 'Stopped history']
                ]}
              />
              <Filters view={view} hosts={hosts.data?.hosts ?? []} />
              <div role="tabpanel" class="panel">
                {view === 'containers' && <Containers />}
                {view === 'images' && <Images />}
                {view === 'history' && <History />}
              </div>
            </>
          )
        }
      </Loaded>
    </>
  )
}

function EnableDocker() {
  return (
    <EmptyState title="No host reports Docker data yet">
      Docker collection is part of the PatchMon agent 2.x and is off until you turn it on per host: open a host, choose its{' '}
      <strong>Docker</strong> tab and switch <strong>Collect Docker data</strong> on, then restart the agent on that host (
      <code>systemctl restart patchmon-agent</code>). The agent reads the switch when it starts and sends its containers and images from
      then on. See the Docker section of the documentation.
    </EmptyState>
  )
}

function Filters({ view, hosts }: { view: View; hosts: Array<{ id: string; friendly_name: string }> }) {
  const { query: q } = useLocation()
  return (
    <form
      class="filters"
      role="search"
      onSubmit={(e) => {
        e.preventDefault()
        updateQuery({ search: (new FormData(e.currentTarget).get('search') as string | null) ?? '', offset: '' })
      }}
    >
      <label class="field field-inline">
        <span class="field-label">Search</span>
        <input
          name="search"
          type="search"
          defaultValue={q.get('search') ?? ''}
          placeholder={view === 'images' ? 'Image' : 'Container or image'}
        />
      </label>
      <label class="field field-inline">
        <span class="field-label">Host</span>
        <select value={q.get('host') ?? ''} onChange={(e) => updateQuery({ host: e.currentTarget.value, offset: '' })}>
          <option value="">All hosts</option>
          {hosts.map((h) => (
            <option value={h.id}>{h.friendly_name}</option>
          ))}
        </select>
      </label>
      {view === 'containers' && (
        <label class="field field-inline">
          <span class="field-label">State</span>
          <select value={q.get('state') ?? ''} onChange={(e) => updateQuery({ state: e.currentTarget.value, offset: '' })}>
            <option value="">Any state</option>
            <option value="running">Running</option>
            <option value="stopped">Stopped</option>
          </select>
        </label>
      )}
      {view !== 'history' && (
        <label class="check">
          <input
            type="checkbox"
            checked={q.get('updates') === '1'}
            onChange={(e) => updateQuery({ updates: e.currentTarget.checked ? '1' : '', offset: '' })}
          />{' '}
          Updates available only
        </label>
      )}
      <button type="submit" class="button">
        Search
      </button>
    </form>
  )
}

/** The shared filter values of the URL, as the API's query parameters. */
function useListQuery() {
  const { query: q } = useLocation()
  const offset = Number(q.get('offset') ?? 0) || 0
  return {
    offset,
    params: {
      search: q.get('search') || undefined,
      host_id: q.get('host') || undefined,
      updates_only: q.get('updates') === '1' || undefined,
      limit: PAGE,
      offset
    },
    state: q.get('state') || undefined
  }
}

const toPage = (o: number) => updateQuery({ offset: String(Math.max(0, o)) })

function Containers() {
  const { params, state, offset } = useListQuery()
  const list = useApi<ContainersReply>(`/api/v1/docker/containers${query({ ...params, state })}`)
  return (
    <Loaded resource={list} label="Loading containers…">
      {(data) =>
        data.containers.length === 0 ? (
          <EmptyState title="No container matches" />
        ) : (
          <>
            <ContainerTable containers={data.containers} showHost />
            <Pagination total={data.total} offset={offset} limit={PAGE} onChange={toPage} />
          </>
        )
      }
    </Loaded>
  )
}

function Images() {
  const { params, offset } = useListQuery()
  const list = useApi<ImagesReply>(`/api/v1/docker/images${query(params)}`)
  return (
    <Loaded resource={list} label="Loading images…">
      {(data) =>
        data.images.length === 0 ? (
          <EmptyState title="No image matches" />
        ) : (
          <>
            <p class="muted small">Update flags come from the agents' registry checks and are best effort.</p>
            <ImageTable images={data.images} showHosts />
            <Pagination total={data.total} offset={offset} limit={PAGE} onChange={toPage} />
          </>
        )
      }
    </Loaded>
  )
}

function History() {
  const { params, offset } = useListQuery()
  const list = useApi<EventsReply>(`/api/v1/docker/events${query({ search: params.search, host_id: params.host_id, limit: PAGE, offset })}`)
  return (
    <Loaded resource={list} label="Loading history…">
      {(data) =>
        data.events.length === 0 ? (
          <EmptyState title="No container stopped">
            A container shows here when one inventory lists it running and the next one exited, dead or stopped. Kept 90 days.
          </EmptyState>
        ) : (
          <>
            <StopHistoryTable events={data.events} showHost />
            <Pagination total={data.total} offset={offset} limit={PAGE} onChange={toPage} />
          </>
        )
      }
    </Loaded>
  )
}
