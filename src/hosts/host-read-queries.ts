// Reads of host tables for other features: the Integration API's per-host views and host list,
// scheduled reports. They return rows; the callers shape their own replies.
import type { Kysely, Selectable } from 'kysely'
import type { DB, HostRow, ReportHistoryTable } from '../store/database-types.js'
import { inHostScope } from './host-scope.js'

export interface GroupRef {
  id: string
  name: string
}

export async function hostById(db: Kysely<DB>, id: string): Promise<HostRow | undefined> {
  return db.selectFrom('hosts').selectAll().where('id', '=', id).where(inHostScope('hosts.id')).executeTakeFirst()
}

/** A host's groups by name. */
export async function groupsOfHost(db: Kysely<DB>, hostId: string): Promise<GroupRef[]> {
  return db
    .selectFrom('host_group_memberships as m')
    .innerJoin('host_groups as g', 'g.id', 'm.host_group_id')
    .select(['g.id', 'g.name'])
    .where('m.host_id', '=', hostId)
    .orderBy('g.name')
    .execute()
}

/** The columns of a host's package row, as the host page and the Integration API both show them. */
export const HOST_PACKAGE_COLUMNS = [
  'p.id',
  'p.name',
  'p.description',
  'p.category',
  'hp.current_version',
  'hp.available_version',
  'hp.needs_update',
  'hp.is_security_update',
  'hp.last_checked'
] as const

/** A host's packages: security first, then anything with an update, then by name. */
export async function hostPackageRows(db: Kysely<DB>, hostId: string, updatesOnly: boolean) {
  let query = db
    .selectFrom('host_packages as hp')
    .innerJoin('packages as p', 'p.id', 'hp.package_id')
    .select(HOST_PACKAGE_COLUMNS)
    .where('hp.host_id', '=', hostId)
    .where(inHostScope('hp.host_id'))
    .orderBy('hp.is_security_update', 'desc')
    .orderBy('hp.needs_update', 'desc')
    .orderBy('p.name')
  if (updatesOnly) query = query.where('hp.needs_update', '=', 1)
  return query.execute()
}

/**
 * What the vulnerability matcher needs of a host's packages: names (binary and, when the agent
 * reported it, source), installed and available versions. Not for display: HOST_PACKAGE_COLUMNS is.
 */
export async function hostPackageVersionRows(db: Kysely<DB>, hostId: string) {
  return db
    .selectFrom('host_packages as hp')
    .innerJoin('packages as p', 'p.id', 'hp.package_id')
    .select(['p.name', 'hp.source_name', 'hp.current_version', 'hp.available_version'])
    .where('hp.host_id', '=', hostId)
    .where(inHostScope('hp.host_id'))
    .orderBy('p.name')
    .execute()
}

/** A host's latest reports, newest first. */
export async function hostReportHistory(db: Kysely<DB>, hostId: string, limit: number): Promise<Selectable<ReportHistoryTable>[]> {
  return db
    .selectFrom('report_history')
    .selectAll()
    .where('host_id', '=', hostId)
    .where(inHostScope('report_history.host_id'))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}

/** Ids of the groups with these exact names (SQLite's BINARY collation: case-sensitive). */
export async function groupIdsByName(db: Kysely<DB>, names: string[]): Promise<string[]> {
  const rows = await db.selectFrom('host_groups').select('id').where('name', 'in', names).execute()
  return rows.map((r) => r.id)
}

/**
 * The Integration API's host list rows and group memberships, ordered by friendly name (groups by
 * name); with `groupIds`, only hosts in one of those groups.
 */
export async function hostListRows(db: Kysely<DB>, groupIds: string[] | undefined) {
  const memberOf = (ids: string[]) => db.selectFrom('host_group_memberships').select('host_id').where('host_group_id', 'in', ids)
  let hostQuery = db
    .selectFrom('hosts')
    .select([
      'id',
      'friendly_name',
      'hostname',
      'ip',
      'os_type',
      'os_version',
      'last_update',
      'status',
      'needs_reboot',
      'total_packages',
      'outdated_packages',
      'security_updates'
    ])
    .where(inHostScope('hosts.id'))
    .orderBy('friendly_name')
    .orderBy('id')
  let groupQuery = db
    .selectFrom('host_group_memberships as m')
    .innerJoin('host_groups as g', 'g.id', 'm.host_group_id')
    .select(['m.host_id', 'g.id', 'g.name'])
    .where(inHostScope('m.host_id'))
    .orderBy('g.name')
  if (groupIds) {
    hostQuery = hostQuery.where('id', 'in', memberOf(groupIds))
    groupQuery = groupQuery.where('m.host_id', 'in', memberOf(groupIds))
  }
  const [rows, memberships] = await Promise.all([hostQuery.execute(), groupQuery.execute()])
  return { rows, memberships }
}

/** Friendly names of these hosts (unknown ids are left out). */
export async function friendlyNames(db: Kysely<DB>, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db.selectFrom('hosts').select(['id', 'friendly_name']).where('id', 'in', ids).where(inHostScope('hosts.id')).execute()
  return new Map(rows.map((r) => [r.id, r.friendly_name]))
}

/** Name columns and report recency of these hosts, by id (patch-run views; unknown ids left out). */
export async function hostRefs(
  db: Kysely<DB>,
  ids: readonly string[]
): Promise<Map<string, Pick<HostRow, 'id' | 'friendly_name' | 'hostname' | 'last_update'>>> {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return new Map()
  const rows = await db
    .selectFrom('hosts')
    .select(['id', 'friendly_name', 'hostname', 'last_update'])
    .where('id', 'in', unique)
    .where(inHostScope('hosts.id'))
    .execute()
  return new Map(rows.map((r) => [r.id, r]))
}

/** Hosts with outstanding updates, most first (for reports). */
export async function hostsByOutstandingUpdates(db: Kysely<DB>, top: number) {
  return db
    .selectFrom('hosts')
    .select(['friendly_name', 'outdated_packages', 'security_updates'])
    .where('outdated_packages', '>', 0)
    .where(inHostScope('hosts.id'))
    .orderBy('outdated_packages', 'desc')
    .orderBy('security_updates', 'desc')
    .orderBy('friendly_name')
    .limit(top)
    .execute()
}

/** Packages with a security update outstanding, by how many hosts need it (for reports). */
export async function topSecurityPackages(db: Kysely<DB>, top: number) {
  const rows = await db
    .selectFrom('host_packages as hp')
    .innerJoin('packages as p', 'p.id', 'hp.package_id')
    .select(['p.name', (eb) => eb.fn.count<number>('hp.host_id').distinct().as('hosts')])
    .where('hp.needs_update', '=', 1)
    .where('hp.is_security_update', '=', 1)
    .where(inHostScope('hp.host_id'))
    .groupBy('p.name')
    .orderBy('hosts', 'desc')
    .orderBy('p.name')
    .limit(top)
    .execute()
  return rows.map((r) => ({ name: r.name, hosts: Number(r.hosts) }))
}

/** Ids of the hosts in one host group, by friendly name (patching's group schedules, holds and bulk runs). */
export async function hostIdsInGroup(db: Kysely<DB>, groupId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('host_group_memberships as m')
    .innerJoin('hosts as h', 'h.id', 'm.host_id')
    .select('h.id')
    .where('m.host_group_id', '=', groupId)
    .where(inHostScope('h.id'))
    .orderBy('h.friendly_name')
    .orderBy('h.id')
    .execute()
  return rows.map((r) => r.id)
}
