// Reads and writes of a host's exposure rows (host_vulnerabilities) and the affected-package lookup
// the matcher needs. Only the vulnerabilities feature names these tables.
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../store/database-types.js'
import type { AffectedRange } from './feed-advisory.js'
import type { AffectedCandidate, Exposure } from './exposure-match.js'
import type { HostDistro } from './host-distro.js'

/** SQLite's bound-parameter limit is 32766; a few hundred names per lookup keeps each query small. */
const NAMES_PER_QUERY = 500

/** Affected rows for a distro release (or every release) whose package name is in `names`. */
export async function affectedCandidates(db: Kysely<DB>, where: HostDistro, names: string[]): Promise<AffectedCandidate[]> {
  const out: AffectedCandidate[] = []
  for (let i = 0; i < names.length; i += NAMES_PER_QUERY) {
    const chunk = names.slice(i, i + NAMES_PER_QUERY)
    const rows = await db
      .selectFrom('vulnerability_affected as a')
      .innerJoin('vulnerability_advisories as v', 'v.id', 'a.advisory_id')
      .select(['a.advisory_id', 'a.package_name', 'a.ranges', 'a.versions', 'a.severity as package_severity'])
      .select(['v.severity', 'v.cvss_score', 'v.cve_ids', 'v.advisory_id as feed_id'])
      .where('a.distro', '=', where.distro)
      .where('a.package_name', 'in', chunk)
      .where((eb) =>
        where.release === null ? eb('a.release', 'is', null) : eb.or([eb('a.release', 'is', null), eb('a.release', '=', where.release)])
      )
      .execute()
    for (const row of rows) {
      out.push({
        advisoryId: row.advisory_id,
        packageName: row.package_name,
        ranges: JSON.parse(row.ranges) as AffectedRange[],
        versions: JSON.parse(row.versions) as string[],
        packageSeverity: row.package_severity,
        severity: row.severity,
        cvssScore: row.cvss_score,
        cveIds: JSON.parse(row.cve_ids) as string[],
        feedId: row.feed_id
      })
    }
  }
  return out
}

/** The CVE ids among `cveIds` that CISA lists as known exploited, with the catalogue's name for them. */
export async function knownExploited(db: Kysely<DB>, cveIds: string[]): Promise<Map<string, { name: string | null; dateAdded: string }>> {
  const out = new Map<string, { name: string | null; dateAdded: string }>()
  for (let i = 0; i < cveIds.length; i += NAMES_PER_QUERY) {
    const rows = await db
      .selectFrom('vulnerability_known_exploited')
      .select(['cve_id', 'name', 'date_added'])
      .where('cve_id', 'in', cveIds.slice(i, i + NAMES_PER_QUERY))
      .execute()
    for (const row of rows) out.set(row.cve_id, { name: row.name, dateAdded: row.date_added })
  }
  return out
}

/** first_seen_at of the host's current rows, by package and CVE, so a recompute keeps it. */
export async function firstSeenOf(trx: Kysely<DB>, hostId: string): Promise<Map<string, string>> {
  const rows = await trx
    .selectFrom('host_vulnerabilities')
    .select(['package_name', 'cve_id', 'first_seen_at'])
    .where('host_id', '=', hostId)
    .execute()
  return new Map(rows.map((r) => [`${r.package_name}\u0000${r.cve_id}`, r.first_seen_at]))
}

export async function replaceHostExposure(
  trx: Transaction<DB>,
  hostId: string,
  exposures: Exposure[],
  exploited: ReadonlySet<string>,
  firstSeen: ReadonlyMap<string, string>,
  now: string
): Promise<void> {
  await trx.deleteFrom('host_vulnerabilities').where('host_id', '=', hostId).execute()
  // 13 columns a row: 500 rows stay far below SQLite's bound-parameter limit.
  for (let i = 0; i < exposures.length; i += 500) {
    await trx
      .insertInto('host_vulnerabilities')
      .values(
        exposures.slice(i, i + 500).map((e) => ({
          host_id: hostId,
          package_name: e.packageName,
          cve_id: e.cveId,
          advisory_id: e.advisoryId,
          installed_version: e.installedVersion,
          available_version: e.availableVersion,
          fixed_version: e.fixedVersion,
          fix_status: e.fixStatus,
          severity: e.severity,
          cvss_score: e.cvssScore,
          known_exploited: exploited.has(e.cveId) ? 1 : 0,
          first_seen_at: firstSeen.get(`${e.packageName}\u0000${e.cveId}`) ?? now
        }))
      )
      .execute()
  }
}

/** Of the given CVEs, those the host was never notified of; records them as notified now. */
export async function claimNotices(trx: Transaction<DB>, hostId: string, cveIds: string[], now: string): Promise<string[]> {
  if (cveIds.length === 0) return []
  const done = await trx
    .selectFrom('vulnerability_notices')
    .select('cve_id')
    .where('host_id', '=', hostId)
    .where('cve_id', 'in', cveIds)
    .execute()
  const seen = new Set(done.map((r) => r.cve_id))
  const fresh = cveIds.filter((id) => !seen.has(id))
  if (fresh.length > 0) {
    await trx
      .insertInto('vulnerability_notices')
      .values(fresh.map((cve_id) => ({ host_id: hostId, cve_id, notified_at: now })))
      .execute()
  }
  return fresh
}
