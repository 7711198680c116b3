// The Docker tables the fleet screen and a host's Docker tab share: counts, containers, images
// and the stopped-container history. `showHost` adds the host column on the fleet screen.
import type { ContainerStopEvent, DockerContainer, DockerCounts, DockerImage } from '../../../agent/docker-schemas.js'
import { Badge, formatDate, timeAgo } from './controls'
import { Link } from '../router'
import { formatBytes } from '../human-format'

const STATE_KIND: Record<string, string> = {
  running: 'ok',
  exited: 'bad',
  dead: 'bad',
  paused: 'warn',
  restarting: 'warn',
  created: 'muted'
}

export function DockerCountCards({ counts }: { counts: DockerCounts }) {
  const card = (value: number, label: string, tone?: string) => (
    <div class="card stat">
      <span class={tone && value > 0 ? `stat-value stat-${tone}` : 'stat-value'}>{value}</span>
      <span class="stat-label">{label}</span>
    </div>
  )
  return (
    <section class="cards cards-small" aria-label="Docker counts">
      {card(counts.containers, 'Containers')}
      {card(counts.running, 'Running')}
      {card(counts.stopped, 'Stopped', 'bad')}
      {card(counts.images, 'Images')}
      {card(counts.images_with_updates, 'Images with updates', 'warn')}
    </section>
  )
}

export function ContainerTable({ containers, showHost }: { containers: DockerContainer[]; showHost: boolean }) {
  return (
    <div class="table-wrap">
      <table class="table" aria-label="Containers">
        <thead>
          <tr>
            <th scope="col">Container</th>
            {showHost && <th scope="col">Host</th>}
            <th scope="col">Image</th>
            <th scope="col">State</th>
            <th scope="col">Update</th>
            <th scope="col">Seen</th>
          </tr>
        </thead>
        <tbody>
          {containers.map((c) => (
            <tr>
              <td>{c.name}</td>
              {showHost && (
                <td>
                  <Link href={`/hosts/${c.host_id}`}>{c.host_name}</Link>
                </td>
              )}
              <td class="mono break">{c.image || '—'}</td>
              <td>
                <Badge kind={STATE_KIND[c.state] ?? 'muted'}>{c.state || 'unknown'}</Badge>
                <div class="muted small">{c.status}</div>
              </td>
              <td>
                {c.update_available ? (
                  <Badge kind="warn">{c.available_tag ? `update: ${c.available_tag}` : 'update available'}</Badge>
                ) : (
                  '—'
                )}
              </td>
              <td title={formatDate(c.updated_at)}>{timeAgo(c.updated_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function ImageTable({ images, showHosts }: { images: DockerImage[]; showHosts: boolean }) {
  return (
    <div class="table-wrap">
      <table class="table" aria-label="Images">
        <thead>
          <tr>
            <th scope="col">Image</th>
            {showHosts && (
              <th scope="col" class="num">
                Hosts
              </th>
            )}
            <th scope="col" class="num">
              Containers
            </th>
            <th scope="col">Size</th>
            <th scope="col">Update</th>
          </tr>
        </thead>
        <tbody>
          {images.map((i) => (
            <tr>
              <td class="mono break">{i.name}</td>
              {showHosts && <td class="num">{i.host_count}</td>}
              <td class="num">{i.container_count}</td>
              <td>{i.size_bytes === null ? '—' : formatBytes(i.size_bytes)}</td>
              <td>
                {i.update_available ? (
                  <Badge kind="warn">{i.available_tag ? `update: ${i.available_tag}` : 'update available'}</Badge>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function StopHistoryTable({ events, showHost }: { events: ContainerStopEvent[]; showHost: boolean }) {
  return (
    <div class="table-wrap">
      <table class="table" aria-label="Stopped containers">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Container</th>
            {showHost && <th scope="col">Host</th>}
            <th scope="col">Image</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr>
              <td title={formatDate(e.occurred_at)}>{timeAgo(e.occurred_at)}</td>
              <td>{e.container_name}</td>
              {showHost && (
                <td>
                  <Link href={`/hosts/${e.host_id}`}>{e.host_name}</Link>
                </td>
              )}
              <td class="mono break">{e.image || '—'}</td>
              <td>
                {e.old_state} → <Badge kind={STATE_KIND[e.new_state] ?? 'muted'}>{e.new_state}</Badge>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
