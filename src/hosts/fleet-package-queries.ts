// Packages across the fleet and the hosts that have one package, paged, for the dashboard.
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { containsText } from './text-search.js'
import { inHostScope, isHostScoped } from './host-scope.js'

export interface FleetPackageFilter {
  search?: string | undefined
  updatesOnly?: boolean | undefined
  securityOnly?: boolean | undefined
  limit: number
  offset: number
}

/**
 * Packages with their host counts, most hosts needing a security update first. The counts are the
 * maintained per-package counters (migration 0021: triggers on host_packages keep them exact), so
 * a page reads packages only, walking the packages_fleet_order index. With an update filter the
 * counts are of the matching host rows only, as an aggregate over the filtered rows would give:
 * updates only: host_count = hosts needing an update; security only: every count = hosts needing
 * a security update.
 */
export async function fleetPackagesPage(db: Kysely<DB>, filter: FleetPackageFilter) {
  const { search, updatesOnly, securityOnly, limit, offset } = filter
  if (isHostScoped()) return scopedFleetPackagesPage(db, filter)
  const counted = securityOnly ? 'hosts_needing_security_update' : updatesOnly ? 'hosts_needing_update' : 'host_count'
  let base = db.selectFrom('packages').where(counted, '>', 0)
  if (search && search.trim() !== '') base = base.where((eb) => containsText(eb.ref('packages.name'), search.trim()))
  const rows = await base
    .select(['id', 'name', 'description', 'category', 'hosts_needing_security_update'])
    .select((eb) => [eb.ref(counted).as('host_count'), eb.ref(securityOnly ? counted : 'hosts_needing_update').as('hosts_needing_update')])
    .orderBy('hosts_needing_security_update', 'desc')
    .orderBy(securityOnly ? 'hosts_needing_security_update' : 'hosts_needing_update', 'desc')
    .orderBy('name')
    .limit(limit)
    .offset(offset)
    .execute()
  const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return {
    packages: rows.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      category: r.category,
      host_count: r.host_count,
      hosts_needing_update: r.hosts_needing_update,
      hosts_needing_security_update: r.hosts_needing_security_update
    })),
    total: Number(count.n)
  }
}

/**
 * The same page for a user limited to some host groups (access-control.md): the maintained
 * counters are fleet-wide, so the counts come from one grouped pass over the visible hosts' rows.
 */
async function scopedFleetPackagesPage(db: Kysely<DB>, filter: FleetPackageFilter) {
  const { search, updatesOnly, securityOnly, limit, offset } = filter
  const base = () => {
    let q = db.selectFrom('packages as p').innerJoin('host_packages as hp', 'hp.package_id', 'p.id').where(inHostScope('hp.host_id'))
    if (search && search.trim() !== '') q = q.where((eb) => containsText(eb.ref('p.name'), search.trim()))
    if (updatesOnly || securityOnly) q = q.where('hp.needs_update', '=', 1)
    if (securityOnly) q = q.where('hp.is_security_update', '=', 1)
    return q
  }
  // With an update filter the counts are of the matching rows only; the per-package totals below
  // therefore come from one grouped pass over the filtered rows.
  const rows = await base()
    .select(['p.id', 'p.name', 'p.description', 'p.category'])
    .select((eb) => [
      eb.fn.count<number>('hp.host_id').as('host_count'),
      eb.fn.sum<number>('hp.needs_update').as('hosts_needing_update'),
      eb.fn.sum<number>(eb('hp.needs_update', '*', eb.ref('hp.is_security_update'))).as('hosts_needing_security_update')
    ])
    .groupBy('p.id')
    .orderBy('hosts_needing_security_update', 'desc')
    .orderBy('hosts_needing_update', 'desc')
    .orderBy('p.name')
    .limit(limit)
    .offset(offset)
    .execute()
  const count = await base()
    .select((eb) => eb.fn.count<number>('p.id').distinct().as('n'))
    .executeTakeFirstOrThrow()
  return {
    packages: rows.map((r) => ({
      ...r,
      host_count: Number(r.host_count),
      hosts_needing_update: Number(r.hosts_needing_update ?? 0),
      hosts_needing_security_update: Number(r.hosts_needing_security_update ?? 0)
    })),
    total: Number(count.n)
  }
}

/** One package and the hosts that have it, those needing an update first; undefined for an unknown package. */
export async function packageHostsPage(
  db: Kysely<DB>,
  packageId: string,
  filter: { updatesOnly?: boolean | undefined; limit: number; offset: number }
) {
  const { limit, offset } = filter
  const pkg = await db
    .selectFrom('packages')
    .select(['id', 'name', 'description', 'category'])
    .where('id', '=', packageId)
    .executeTakeFirst()
  if (!pkg) return undefined
  const base = () => {
    let q = db.selectFrom('host_packages as hp').innerJoin('hosts as h', 'h.id', 'hp.host_id').where('hp.package_id', '=', pkg.id)
    q = q.where(inHostScope('hp.host_id'))
    if (filter.updatesOnly) q = q.where('hp.needs_update', '=', 1)
    return q
  }
  const rows = await base()
    .select([
      'h.id',
      'h.friendly_name',
      'h.hostname',
      'hp.current_version',
      'hp.available_version',
      'hp.needs_update',
      'hp.is_security_update',
      'hp.last_checked'
    ])
    .orderBy('hp.needs_update', 'desc')
    .orderBy('hp.is_security_update', 'desc')
    .orderBy('h.friendly_name')
    .limit(limit)
    .offset(offset)
    .execute()
  const count = await base()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return {
    package: pkg,
    hosts: rows.map((r) => ({ ...r, needs_update: r.needs_update === 1, is_security_update: r.is_security_update === 1 })),
    total: Number(count.n)
  }
}
