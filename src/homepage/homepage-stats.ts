// The numbers behind /api/v1/gethomepage/stats (facts: integration-api §5.2). Decisions:
//  - "active" hosts are the hosts that have reported (hosts/host-status.ts REPORTED_STATUSES); pending hosts do not count as hosts, needing or up to date;
//  - up_to_date_hosts counts active hosts that have package data and nothing outdated;
//  - security_updates and total_outdated_packages follow the spec's words ("across all hosts"):
//    sums of the per-host counts, not distinct package names as upstream counts them;
//  - os_distribution groups by the stored OS name (the agent's os_type, e.g. "Ubuntu").
// The queries live with their tables in hosts/fleet-stats-queries.ts; this file shapes the reply.
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { activeRepositoryCount, homepageHostTotals, successfulReportsSince } from '../hosts/fleet-stats-queries.js'

export interface OsShare {
  name: string
  count: number
  os_type: string
  os_version: string
}

export interface HomepageStats {
  total_hosts: number
  total_outdated_packages: number
  total_repos: number
  hosts_needing_updates: number
  up_to_date_hosts: number
  security_updates: number
  hosts_with_security_updates: number
  recent_updates_24h: number
  reboot_required_hosts: number
  awaiting_data_hosts: number
  os_distribution: OsShare[]
  top_os_1_name: string
  top_os_1_count: number
  top_os_2_name: string
  top_os_2_count: number
  top_os_3_name: string
  top_os_3_count: number
  last_updated: string
}

/** Platform family of a distribution name (the agent reports the distribution as os_type). */
export function platformFamily(osName: string): string {
  if (/bsd/i.test(osName)) return osName.toLowerCase().includes('free') ? 'freebsd' : osName.toLowerCase()
  if (/windows/i.test(osName)) return 'windows'
  if (/darwin|mac ?os/i.test(osName)) return 'darwin'
  return 'linux'
}

export async function homepageStats(db: Kysely<DB>, now = new Date()): Promise<HomepageStats> {
  const since = new Date(now.getTime() - 24 * 3600_000).toISOString()
  const [{ totals, versions }, repos, recent] = await Promise.all([
    homepageHostTotals(db),
    activeRepositoryCount(db),
    successfulReportsSince(db, since)
  ])

  // Fold (name, version) counts into one share per OS name, keeping its most common version.
  const byName = new Map<string, { count: number; version: string; versionCount: number }>()
  for (const v of versions) {
    const n = Number(v.n)
    const entry = byName.get(v.name)
    if (!entry) byName.set(v.name, { count: n, version: v.version, versionCount: n })
    else {
      entry.count += n
      if (n > entry.versionCount || (n === entry.versionCount && v.version < entry.version)) {
        entry.version = v.version
        entry.versionCount = n
      }
    }
  }
  const os_distribution = [...byName.entries()]
    .map(([name, e]): OsShare => ({ name, count: e.count, os_type: platformFamily(name), os_version: e.version }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
  const top = (i: number) => os_distribution[i]

  return {
    total_hosts: Number(totals.total_hosts),
    total_outdated_packages: Number(totals.outdated),
    total_repos: repos,
    hosts_needing_updates: Number(totals.needing),
    up_to_date_hosts: Number(totals.up_to_date),
    security_updates: Number(totals.security),
    hosts_with_security_updates: Number(totals.with_security),
    recent_updates_24h: recent,
    reboot_required_hosts: Number(totals.reboot),
    awaiting_data_hosts: Number(totals.awaiting),
    os_distribution,
    top_os_1_name: top(0)?.name ?? 'None',
    top_os_1_count: top(0)?.count ?? 0,
    top_os_2_name: top(1)?.name ?? 'None',
    top_os_2_count: top(1)?.count ?? 0,
    top_os_3_name: top(2)?.name ?? 'None',
    top_os_3_count: top(2)?.count ?? 0,
    last_updated: now.toISOString()
  }
}
