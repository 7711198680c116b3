// Fleet overview: hosts by status, outdated and security counts, OS distribution, hosts that
// need a reboot, the latest reports, and the daily trends with mean time to patch.
import { useApi } from '../use-api'
import { osCounts, statusCounts, upToDateHosts, type FleetStats, type NamedCount } from '../fleet-stats'
import { EmptyState, Loaded } from '../components/feedback'
import { Badge, PageHeader, timeAgo } from '../components/controls'
import { Link } from '../router'
import { FleetTrends } from './trend-panels'

export function Overview() {
  const stats = useApi<FleetStats>('/api/v1/dashboard/stats')
  return (
    <>
      <PageHeader title="Overview">
        <button type="button" class="button" onClick={stats.reload}>
          Refresh
        </button>
      </PageHeader>
      <Loaded resource={stats} label="Loading fleet figures…">
        {(s) => <FleetView stats={s} />}
      </Loaded>
    </>
  )
}

const STATUS_HINTS: Record<string, string> = { pending: 'awaiting first report', active: 'reporting', inactive: 'reports stopped' }

function FleetView({ stats }: { stats: FleetStats }) {
  if (stats.total_hosts === 0) {
    return (
      <EmptyState title="No hosts yet">
        Add your first host under <Link href="/hosts">Hosts → Add host</Link> and run the install one-liner on it, or create an enrollment
        token under <Link href="/settings/integrations">Settings → Integrations</Link> to enroll many at once.
      </EmptyState>
    )
  }
  const statuses = statusCounts(stats)
  return (
    <div class="overview">
      <section class="cards" aria-label="Fleet totals">
        <StatCard label="Hosts" value={stats.total_hosts} href="/hosts" />
        <StatCard label="Hosts needing updates" value={stats.hosts_needing_updates} href="/hosts?sort=updates" />
        <StatCard label="Up to date" value={upToDateHosts(stats)} />
        <StatCard label="Outdated packages" value={stats.total_outdated_packages} href="/packages" />
        <StatCard label="Security updates" value={stats.total_security_updates} tone="bad" href="/hosts?sort=security" />
        <StatCard
          label="Hosts with security updates"
          value={stats.hosts_with_security_updates}
          tone="bad"
          href="/packages?updates=security"
        />
      </section>
      <FleetTrends />
      <div class="grid-2">
        <section class="panel">
          <h2>Hosts by status</h2>
          <BarList items={statuses} hrefFor={(name) => `/hosts?status=${encodeURIComponent(name)}`} />
          <p class="muted small">
            {Object.entries(STATUS_HINTS)
              .map(([k, v]) => `${k}: ${v}`)
              .join(' · ')}
          </p>
        </section>
        <section class="panel">
          <h2>Operating systems</h2>
          {stats.os_distribution.length ? (
            <BarList items={osCounts(stats)} />
          ) : (
            <p class="muted">No host has reported its operating system yet.</p>
          )}
        </section>
        <section class="panel">
          <h2>Hosts needing a reboot</h2>
          {stats.hosts_needing_reboot === 0 ? (
            <p class="muted">No host needs a reboot.</p>
          ) : (
            <p>
              <span class="stat-value stat-warn">{stats.hosts_needing_reboot}</span>{' '}
              {stats.hosts_needing_reboot === 1 ? 'host reports' : 'hosts report'} a pending reboot: updates were installed that run only
              after a restart. The <Link href="/hosts">hosts list</Link> marks them with a <Badge kind="warn">reboot</Badge> badge.
            </p>
          )}
        </section>
        <section class="panel">
          <h2>Recent reports</h2>
          {stats.recent_reports.length === 0 ? (
            <p class="muted">No reports yet: agents report right after installation, then every {stats.update_interval} minutes.</p>
          ) : (
            <ul class="plain-list">
              {stats.recent_reports.slice(0, 8).map((r) => (
                <li>
                  <Link href={`/hosts/${r.host_id}`} class="truncate-inline" title={r.friendly_name}>
                    {r.friendly_name}
                  </Link>{' '}
                  <Badge>{r.status}</Badge>{' '}
                  <span class="muted">
                    {timeAgo(r.created_at)} · {r.outdated_packages} outdated{r.security_updates ? ` · ${r.security_updates} security` : ''}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  )
}

function StatCard({ label, value, href, tone }: { label: string; value: number; href?: string; tone?: 'bad' }) {
  const body = (
    <>
      <span class={tone && value ? `stat-value stat-${tone}` : 'stat-value'}>{value.toLocaleString()}</span>
      <span class="stat-label">{label}</span>
    </>
  )
  return href ? (
    <Link href={href} class="card stat">
      {body}
    </Link>
  ) : (
    <div class="card stat">{body}</div>
  )
}

/** A horizontal bar chart that is also a readable list (screen readers get name and count). */
function BarList({ items, hrefFor }: { items: NamedCount[]; hrefFor?: (name: string) => string }) {
  const max = Math.max(1, ...items.map((i) => i.count))
  return (
    <ul class="bar-list">
      {items.slice(0, 10).map((i) => (
        <li>
          <span class="bar-name" title={i.name}>
            {hrefFor ? <Link href={hrefFor(i.name)}>{i.name}</Link> : i.name}
          </span>
          <span class="bar-track" aria-hidden="true">
            <span class="bar-fill" style={{ width: `${(i.count / max) * 100}%` }} />
          </span>
          <span class="bar-count">{i.count.toLocaleString()}</span>
        </li>
      ))}
    </ul>
  )
}
