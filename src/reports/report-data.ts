// The numbers behind a report's sections, read from the hosts' denormalised counts, the package
// tables and the open host-down alerts.
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { listOpenAlerts } from '../notifications/host-alert-store.js'
import { friendlyNames, hostsByOutstandingUpdates, topSecurityPackages } from '../hosts/host-read-queries.js'
import { topExposedCves } from '../vulnerabilities/host-exposure-queries.js'

export const REPORT_SECTIONS = ['open_alerts', 'hosts_by_updates', 'top_security_packages', 'top_cves'] as const
export type ReportSection = (typeof REPORT_SECTIONS)[number]

export const SECTION_TITLES: Record<ReportSection, string> = {
  open_alerts: 'Open alerts',
  hosts_by_updates: 'Hosts by outstanding updates',
  top_security_packages: 'Top outdated security packages',
  top_cves: 'CVEs exposing the most hosts'
}

export interface ReportData {
  open_alerts?: Array<{ host: string; downSince: string }>
  hosts_by_updates?: Array<{ host: string; updates: number; security: number }>
  top_security_packages?: Array<{ name: string; hosts: number }>
  top_cves?: Array<{ cveId: string; hosts: number; knownExploited: boolean; fixAvailableHosts: number }>
}

export async function collectReportData(db: Kysely<DB>, sections: ReportSection[], top = 20): Promise<ReportData> {
  const data: ReportData = {}
  if (sections.includes('open_alerts')) {
    // The open alerts come from the notifications feature, the host names from the hosts feature.
    const alerts = await listOpenAlerts(db)
    const names = await friendlyNames(
      db,
      alerts.map((a) => a.host_id)
    )
    // An inner join before: alerts of hosts that no longer exist are left out.
    data.open_alerts = alerts.flatMap((a) => {
      const host = names.get(a.host_id)
      return host === undefined ? [] : [{ host, downSince: a.down_since }]
    })
  }
  if (sections.includes('hosts_by_updates')) {
    const rows = await hostsByOutstandingUpdates(db, top)
    data.hosts_by_updates = rows.map((r) => ({ host: r.friendly_name, updates: r.outdated_packages, security: r.security_updates }))
  }
  if (sections.includes('top_security_packages')) {
    data.top_security_packages = await topSecurityPackages(db, top)
  }
  // Opt-in per report (issue 20): the vulnerabilities feature's exposure, fleet-wide.
  if (sections.includes('top_cves')) data.top_cves = await topExposedCves(db, top)
  return data
}
