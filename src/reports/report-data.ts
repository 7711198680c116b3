// The numbers behind a report's sections, read from the hosts' denormalised counts, the package
// tables and the open host-down alerts.
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'

export const REPORT_SECTIONS = ['open_alerts', 'hosts_by_updates', 'top_security_packages'] as const
export type ReportSection = (typeof REPORT_SECTIONS)[number]

export const SECTION_TITLES: Record<ReportSection, string> = {
  open_alerts: 'Open alerts',
  hosts_by_updates: 'Hosts by outstanding updates',
  top_security_packages: 'Top outdated security packages'
}

export interface ReportData {
  open_alerts?: Array<{ host: string; downSince: string }>
  hosts_by_updates?: Array<{ host: string; updates: number; security: number }>
  top_security_packages?: Array<{ name: string; hosts: number }>
}

export async function collectReportData(db: Kysely<DB>, sections: ReportSection[], top = 20): Promise<ReportData> {
  const data: ReportData = {}
  if (sections.includes('open_alerts')) {
    const rows = await db
      .selectFrom('host_alert_states as a')
      .innerJoin('hosts as h', 'h.id', 'a.host_id')
      .select(['h.friendly_name', 'a.down_since'])
      .orderBy('a.down_since')
      .execute()
    data.open_alerts = rows.map((r) => ({ host: r.friendly_name, downSince: r.down_since }))
  }
  if (sections.includes('hosts_by_updates')) {
    const rows = await db
      .selectFrom('hosts')
      .select(['friendly_name', 'outdated_packages', 'security_updates'])
      .where('outdated_packages', '>', 0)
      .orderBy('outdated_packages', 'desc')
      .orderBy('security_updates', 'desc')
      .orderBy('friendly_name')
      .limit(top)
      .execute()
    data.hosts_by_updates = rows.map((r) => ({ host: r.friendly_name, updates: r.outdated_packages, security: r.security_updates }))
  }
  if (sections.includes('top_security_packages')) {
    const rows = await db
      .selectFrom('host_packages as hp')
      .innerJoin('packages as p', 'p.id', 'hp.package_id')
      .select(['p.name', (eb) => eb.fn.count<number>('hp.host_id').distinct().as('hosts')])
      .where('hp.needs_update', '=', 1)
      .where('hp.is_security_update', '=', 1)
      .groupBy('p.name')
      .orderBy('hosts', 'desc')
      .orderBy('p.name')
      .limit(top)
      .execute()
    data.top_security_packages = rows.map((r) => ({ name: r.name, hosts: Number(r.hosts) }))
  }
  return data
}
