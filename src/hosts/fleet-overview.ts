// The dashboard's fleet overview (GET /api/v1/dashboard/stats): statuses from host-status.ts,
// figures from fleet-stats-queries.ts, shaped as the overview page reads them.
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { fleetUpdateTotals, hostCountsByStatus, osVersionCounts, recentReports } from './fleet-stats-queries.js'

export async function fleetOverview(db: Kysely<DB>, updateInterval: number, nowMs: number, recentLimit: number) {
  const totals = await fleetUpdateTotals(db)
  const byStatus = await hostCountsByStatus(db, updateInterval, nowMs)
  const os = await osVersionCounts(db)
  const recent = await recentReports(db, recentLimit)
  return {
    total_hosts: totals.total,
    hosts_by_status: byStatus,
    hosts_needing_updates: totals.needing_updates,
    hosts_with_security_updates: totals.with_security,
    total_outdated_packages: totals.outdated,
    total_security_updates: totals.security,
    hosts_needing_reboot: totals.reboot,
    os_distribution: os,
    recent_reports: recent,
    update_interval: updateInterval,
    generated_at: new Date(nowMs).toISOString()
  }
}
