// What a host reported, for the dashboard's host page: its packages (filters, paging), its
// repositories and its report history. Each returns undefined for an unknown host or one outside
// the user's host scope (hostExists).
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { HOST_PACKAGE_COLUMNS } from './host-read-queries.js'
import { containsText } from './text-search.js'
import { inHostScope } from './host-scope.js'
import { isInsecureRepositoryUrl } from './repository-security.js'

export interface PackageFilter {
  updatesOnly?: boolean | undefined
  securityOnly?: boolean | undefined
  search?: string | undefined
  limit: number
  offset: number
}

async function hostExists(db: Kysely<DB>, id: string): Promise<boolean> {
  return (await db.selectFrom('hosts').select('id').where('id', '=', id).where(inHostScope('hosts.id')).executeTakeFirst()) !== undefined
}

/** Security updates first, then other updates, then by name; with the filtered total. */
export async function hostPackagesPage(db: Kysely<DB>, hostId: string, filter: PackageFilter) {
  if (!(await hostExists(db, hostId))) return undefined
  const { updatesOnly, securityOnly, search } = filter
  const base = () => {
    let q = db.selectFrom('host_packages as hp').innerJoin('packages as p', 'p.id', 'hp.package_id').where('hp.host_id', '=', hostId)
    if (updatesOnly || securityOnly) q = q.where('hp.needs_update', '=', 1)
    if (securityOnly) q = q.where('hp.is_security_update', '=', 1)
    if (search && search.trim() !== '') q = q.where((eb) => containsText(eb.ref('p.name'), search.trim()))
    return q
  }
  const rows = await base()
    .select(HOST_PACKAGE_COLUMNS)
    .orderBy((eb) => eb('hp.needs_update', '*', eb.ref('hp.is_security_update')), 'desc')
    .orderBy('hp.needs_update', 'desc')
    .orderBy('p.name')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute()
  const count = await base()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return {
    packages: rows.map((r) => ({ ...r, needs_update: r.needs_update === 1, is_security_update: r.is_security_update === 1 })),
    total: Number(count.n)
  }
}

/** Repositories with name and is_secure as this host reported them, never another host's version. */
export async function hostRepositories(db: Kysely<DB>, hostId: string) {
  if (!(await hostExists(db, hostId))) return undefined
  const rows = await db
    .selectFrom('host_repositories as hr')
    .innerJoin('repositories as r', 'r.id', 'hr.repository_id')
    .select([
      'r.id',
      'hr.name',
      'r.url',
      'r.distribution',
      'r.components',
      'r.repo_type',
      'hr.is_secure',
      'hr.is_enabled',
      'hr.last_checked'
    ])
    .where('hr.host_id', '=', hostId)
    .orderBy('hr.name')
    .execute()
  return rows.map((r) => ({ ...r, is_secure: r.is_secure === 1, insecure: isInsecureRepositoryUrl(r.url), is_enabled: r.is_enabled === 1 }))
}

/** Report history, newest first, with the total. */
export async function hostReportsPage(db: Kysely<DB>, hostId: string, limit: number, offset: number) {
  if (!(await hostExists(db, hostId))) return undefined
  const reports = await db
    .selectFrom('report_history')
    .select([
      'id',
      'status',
      'total_packages',
      'outdated_packages',
      'security_updates',
      'payload_kb',
      'execution_time_seconds',
      'error_message',
      'created_at'
    ])
    .where('host_id', '=', hostId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute()
  const count = await db
    .selectFrom('report_history')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('host_id', '=', hostId)
    .executeTakeFirstOrThrow()
  return { reports, total: Number(count.n) }
}
