// GET /api/v1/dashboard/stats: the overview's figures in one call.

export interface FleetStats {
  total_hosts: number
  hosts_by_status: Record<string, number>
  hosts_needing_updates: number
  hosts_with_security_updates: number
  total_outdated_packages: number
  total_security_updates: number
  hosts_needing_reboot: number
  os_distribution: Array<{ os_type: string; os_version: string; count: number }>
  recent_reports: Array<{
    id: string
    host_id: string
    friendly_name: string
    status: string
    total_packages: number
    outdated_packages: number
    security_updates: number
    created_at: string
  }>
  update_interval: number
}

export interface NamedCount {
  name: string
  count: number
}

/** Hosts awaiting their first report are not "up to date": they are left out. */
export const upToDateHosts = (s: FleetStats) => Math.max(0, s.total_hosts - s.hosts_needing_updates - (s.hosts_by_status.pending ?? 0))

export const statusCounts = (s: FleetStats): NamedCount[] => Object.entries(s.hosts_by_status).map(([name, count]) => ({ name, count }))

export const osCounts = (s: FleetStats): NamedCount[] =>
  s.os_distribution.map((o) => ({ name: [o.os_type, o.os_version].filter(Boolean).join(' '), count: o.count }))
