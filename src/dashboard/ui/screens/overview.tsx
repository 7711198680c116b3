// Fleet overview: hosts by status, outdated and security counts, OS distribution, hosts that
// need a reboot and the latest reports.
import { useApi } from '../use-api'
import { readFleetStats, type FleetStats, type NamedCount } from '../fleet-stats'
import { EmptyState, Loaded } from '../components/feedback'
import { Badge, PageHeader, timeAgo } from '../components/controls'
import { Link } from '../router'

export function Overview() {
  const stats = useApi<unknown>('/api/v1/dashboard/stats')
  return (
    <>
      <PageHeader title="Overview">
        <button type="button" class="button" onClick={stats.reload}>Refresh</button>
      </PageHeader>
      <Loaded resource={stats} label="Loading fleet figures…">
        {(raw) => <FleetView stats={readFleetStats(raw)} />}
      </Loaded>
    </>
  )
}

function FleetView({ stats }: { stats: FleetStats }) {
  if (stats.totalHosts === 0) {
    return (
      <EmptyState title="No hosts yet">
        Add your first host under <Link href="/hosts">Hosts → Add host</Link> and run the install one-liner on it, or create an
        enrollment token under <Link href="/settings/integrations">Settings → Integrations</Link> to enroll many at once.
      </EmptyState>
    )
  }
  return (
    <div class="overview">
      <section class="cards" aria-label="Fleet totals">
        <StatCard label="Hosts" value={stats.totalHosts} href="/hosts" />
        <StatCard label="Hosts needing updates" value={stats.hostsNeedingUpdates} href="/hosts?sort=outdated_packages" />
        <StatCard label="Up to date" value={stats.upToDateHosts} />
        <StatCard label="Outdated packages" value={stats.outdatedPackages} href="/packages" />
        <StatCard label="Security updates" value={stats.securityUpdates} tone="bad" href="/hosts?sort=security_updates" />
        <StatCard label="Hosts with security updates" value={stats.hostsWithSecurityUpdates} tone="bad" />
      </section>
      <div class="grid-2">
        <section class="panel">
          <h2>Hosts by status</h2>
          {stats.hostsByStatus.length ? <BarList items={stats.hostsByStatus} hrefFor={(n) => `/hosts?status=${encodeURIComponent(n)}`} /> : <p class="muted">This server does not report host statuses yet.</p>}
        </section>
        <section class="panel">
          <h2>Operating systems</h2>
          {stats.osDistribution.length ? <BarList items={stats.osDistribution} /> : <p class="muted">No host has reported its operating system yet.</p>}
        </section>
        <section class="panel">
          <h2>Hosts needing a reboot</h2>
          {stats.rebootHosts === undefined ? (
            <p class="muted">This server does not report reboot needs yet.</p>
          ) : stats.rebootHosts.length === 0 ? (
            <p class="muted">No host needs a reboot.</p>
          ) : (
            <ul class="plain-list">
              {stats.rebootHosts.map((h) => (
                <li>
                  <Link href={`/hosts/${h.id}`}>{h.name}</Link>
                  {h.reason && <span class="muted"> — {h.reason}</span>}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section class="panel">
          <h2>Recent reports</h2>
          {stats.recentReports === undefined ? (
            <p class="muted">This server does not list recent reports yet.</p>
          ) : stats.recentReports.length === 0 ? (
            <p class="muted">No reports yet: agents report after installation, then at every update interval.</p>
          ) : (
            <ul class="plain-list">
              {stats.recentReports.slice(0, 8).map((r) => (
                <li>
                  <Link href={`/hosts/${r.host_id}`}>{r.host_name}</Link> <Badge>{r.status}</Badge>{' '}
                  <span class="muted">{timeAgo(r.created_at)}{r.outdated_packages !== undefined && ` · ${r.outdated_packages} outdated`}{r.security_updates ? ` · ${r.security_updates} security` : ''}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  )
}

function StatCard({ label, value, href, tone }: { label: string; value: number | undefined; href?: string; tone?: 'bad' }) {
  const body = (
    <>
      <span class={tone && value ? `stat-value stat-${tone}` : 'stat-value'}>{value === undefined ? '—' : value.toLocaleString()}</span>
      <span class="stat-label">{label}</span>
    </>
  )
  return href ? <Link href={href} class="card stat">{body}</Link> : <div class="card stat">{body}</div>
}

/** A horizontal bar chart that is also a readable list (screen readers get name and count). */
function BarList({ items, hrefFor }: { items: NamedCount[]; hrefFor?: (name: string) => string }) {
  const max = Math.max(1, ...items.map((i) => i.count))
  return (
    <ul class="bar-list">
      {items.slice(0, 10).map((i) => (
        <li>
          <span class="bar-name">{hrefFor ? <Link href={hrefFor(i.name)}>{i.name}</Link> : i.name}</span>
          <span class="bar-track" aria-hidden="true">
            <span class="bar-fill" style={{ width: `${(i.count / max) * 100}%` }} />
          </span>
          <span class="bar-count">{i.count.toLocaleString()}</span>
        </li>
      ))}
    </ul>
  )
}
