// Reads GET /api/v1/dashboard/stats into one shape. The server answers in snake_case
// (gethomepage-style totals); upstream-style camelCase `cards`/`charts` are read too, so the
// overview keeps working against either.

export interface NamedCount {
  name: string
  count: number
}

export interface RecentReport {
  host_id: string
  host_name: string
  status: string
  created_at: string
  outdated_packages: number | undefined
  security_updates: number | undefined
}

export interface FleetStats {
  totalHosts: number
  hostsByStatus: NamedCount[]
  hostsNeedingUpdates: number | undefined
  upToDateHosts: number | undefined
  outdatedPackages: number | undefined
  securityUpdates: number | undefined
  hostsWithSecurityUpdates: number | undefined
  osDistribution: NamedCount[]
  rebootHosts: Array<{ id: string; name: string; reason: string | null }> | undefined
  recentReports: RecentReport[] | undefined
}

type Loose = Record<string, unknown>

const obj = (v: unknown): Loose => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Loose) : {})
const num = (...values: unknown[]): number | undefined => {
  for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) return v
  return undefined
}
const str = (...values: unknown[]): string => {
  for (const v of values) if (typeof v === 'string' && v) return v
  return ''
}

function namedCounts(v: unknown): NamedCount[] {
  if (Array.isArray(v)) {
    return v.map((item) => {
      const o = obj(item)
      const version = str(o.os_version, o.version)
      const base = str(o.name, o.os_type, o.status, o.label) || 'Unknown'
      return { name: version && !base.includes(version) ? `${base} ${version}` : base, count: num(o.count, o.value, o._count) ?? 0 }
    })
  }
  return Object.entries(obj(v)).map(([name, count]) => ({ name, count: num(count) ?? 0 }))
}

export function readFleetStats(raw: unknown): FleetStats {
  const r = obj(raw)
  const cards = obj(r.cards)
  const charts = obj(r.charts)
  const byStatus = namedCounts(r.hosts_by_status ?? r.status_counts ?? charts.hostStatusDistribution)
  const reboot = r.hosts_needing_reboot_list ?? r.reboot_required_hosts ?? r.hosts_needing_reboot
  const recent = r.recent_reports ?? r.recentReports
  return {
    totalHosts: num(r.total_hosts, cards.totalHosts) ?? 0,
    hostsByStatus: byStatus,
    hostsNeedingUpdates: num(r.hosts_needing_updates, cards.hostsNeedingUpdates),
    upToDateHosts: num(r.up_to_date_hosts, cards.upToDateHosts),
    outdatedPackages: num(r.total_outdated_packages, cards.totalOutdatedPackages),
    securityUpdates: num(r.security_updates, r.total_security_updates, cards.securityUpdates),
    hostsWithSecurityUpdates: num(r.hosts_with_security_updates, cards.hostsWithSecurityUpdates),
    osDistribution: namedCounts(r.os_distribution ?? charts.osDistribution).sort((a, b) => b.count - a.count),
    rebootHosts: Array.isArray(reboot)
      ? reboot.map((h) => {
          const o = obj(h)
          return { id: str(o.id, o.host_id), name: str(o.friendly_name, o.hostname, o.name) || 'host', reason: str(o.reboot_reason, o.reason) || null }
        })
      : undefined,
    recentReports: Array.isArray(recent)
      ? recent.map((x) => {
          const o = obj(x)
          return {
            host_id: str(o.host_id, o.id),
            host_name: str(o.host_name, o.friendly_name, o.hostname) || 'host',
            status: str(o.status) || 'success',
            created_at: str(o.created_at, o.last_update, o.date),
            outdated_packages: num(o.outdated_packages),
            security_updates: num(o.security_updates)
          }
        })
      : undefined
  }
}
