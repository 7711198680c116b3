// Exposure figures for other features (trends, metrics). They honour nothing but the data: scoping a
// reply to a user's host groups is the caller's job.
import type { Kysely } from 'kysely'
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
