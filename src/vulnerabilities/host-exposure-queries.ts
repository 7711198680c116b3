// Exposure figures for other features (trends, metrics). They honour nothing but the data: scoping a
// reply to a user's host groups is the caller's job.
import { sql, type Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'

/** Distinct open CVEs per host id (hosts with none are absent). */
export async function openCveCountsByHost(db: Kysely<DB>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('host_vulnerabilities')
    .select(['host_id', (eb) => eb.fn.count<number>('cve_id').distinct().as('cves')])
    .groupBy('host_id')
    .execute()
  return new Map(rows.map((r) => [r.host_id, Number(r.cves)]))
}

/**
 * Open CVEs per host id, or undefined while no advisory was ever imported: then "0 CVEs" would be a
 * claim we cannot make, and trends and metrics show "no data" instead (the source buildApp wires).
 */
export async function openCveCountsWhenKnown(db: Kysely<DB>): Promise<Map<string, number> | undefined> {
  const anyAdvisory = await db.selectFrom('vulnerability_advisories').select('id').limit(1).executeTakeFirst()
  return anyAdvisory ? openCveCountsByHost(db) : undefined
}

/** The CVEs exposing the most hosts, known exploited first (scheduled reports' CVE section). */
export async function topExposedCves(
  db: Kysely<DB>,
  top: number
): Promise<Array<{ cveId: string; hosts: number; knownExploited: boolean; fixAvailableHosts: number }>> {
  const rows = await db
    .selectFrom('host_vulnerabilities')
    .select([
      'cve_id',
      (eb) => eb.fn.count<number>('host_id').distinct().as('hosts'),
      (eb) => eb.fn.max('known_exploited').as('known_exploited'),
      sql<number>`count(distinct case when fix_status = 'available' then host_id end)`.as('fix_hosts')
    ])
    .groupBy('cve_id')
    .orderBy('known_exploited', 'desc')
    .orderBy('hosts', 'desc')
    .orderBy('cve_id')
    .limit(top)
    .execute()
  return rows.map((r) => ({
    cveId: r.cve_id,
    hosts: Number(r.hosts),
    knownExploited: Number(r.known_exploited) === 1,
    fixAvailableHosts: Number(r.fix_hosts)
  }))
}
