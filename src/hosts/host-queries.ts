// Reads behind the dashboard's host pages. Status is derived at read time from last_update and
// the update interval (host-status.ts); the status filter turns that rule into SQL so paging
// and totals agree with what each row shows.
import type { Kysely, SelectQueryBuilder } from 'kysely'
import type { DB, HostGroupRow, HostRow } from '../store/database-types.js'
import { hostStatusFromLastReport, hostStatusSql, type HostStatus } from './host-status.js'
import { containsText } from './text-search.js'
import type { HostDetail, HostGroupRef, HostListQuery, HostSummary } from './host-schemas.js'
import { groupInScope, inHostScope } from './host-scope.js'

const SORT_COLUMNS = {
  name: 'hosts.friendly_name',
  last_update: 'hosts.last_update',
  updates: 'hosts.outdated_packages',
  security: 'hosts.security_updates'
} as const

export interface StatusClock {
  updateIntervalMinutes: number
  nowMs: number
}

function whereStatus<O>(query: SelectQueryBuilder<DB, 'hosts', O>, status: HostStatus | undefined, clock: StatusClock) {
  return status ? query.where(hostStatusSql(clock.updateIntervalMinutes, clock.nowMs), '=', status) : query
}

function filtered(db: Kysely<DB>, query: HostListQuery, clock: StatusClock) {
  let q = db.selectFrom('hosts').where(inHostScope('hosts.id'))
  if (query.search && query.search.trim() !== '') {
    const needle = query.search.trim()
    q = q.where((eb) =>
      eb.or([
        containsText(eb.ref('hosts.friendly_name'), needle),
        containsText(eb.ref('hosts.hostname'), needle),
        containsText(eb.ref('hosts.ip'), needle)
      ])
    )
  }
  if (query.group === 'ungrouped') {
    q = q.where((eb) =>
      eb.not(eb.exists(eb.selectFrom('host_group_memberships as m').select('m.host_id').whereRef('m.host_id', '=', 'hosts.id')))
    )
  } else if (query.group) {
    const groupId = query.group
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('host_group_memberships as m')
          .select('m.host_id')
          .whereRef('m.host_id', '=', 'hosts.id')
          .where('m.host_group_id', '=', groupId)
      )
    )
  }
  return whereStatus(q, query.status, clock)
}

export async function groupsOfHosts(db: Kysely<DB>, hostIds: string[]): Promise<Map<string, HostGroupRef[]>> {
  const byHost = new Map<string, HostGroupRef[]>()
  if (hostIds.length === 0) return byHost
  const rows = await db
    .selectFrom('host_group_memberships as m')
    .innerJoin('host_groups as g', 'g.id', 'm.host_group_id')
    .select(['m.host_id', 'g.id', 'g.name', 'g.color'])
    .where('m.host_id', 'in', hostIds)
    .orderBy('g.name')
    .execute()
  for (const row of rows) {
    const list = byHost.get(row.host_id) ?? []
    list.push({ id: row.id, name: row.name, color: row.color })
    byHost.set(row.host_id, list)
  }
  return byHost
}

type SummaryColumns = Pick<
  HostRow,
  | 'id'
  | 'friendly_name'
  | 'hostname'
  | 'ip'
  | 'os_type'
  | 'os_version'
  | 'architecture'
  | 'agent_version'
  | 'status'
  | 'last_update'
  | 'needs_reboot'
  | 'total_packages'
  | 'outdated_packages'
  | 'security_updates'
  | 'total_repos'
  | 'created_at'
>

const SUMMARY_COLUMNS = [
  'id',
  'friendly_name',
  'hostname',
  'ip',
  'os_type',
  'os_version',
  'architecture',
  'agent_version',
  'status',
  'last_update',
  'needs_reboot',
  'total_packages',
  'outdated_packages',
  'security_updates',
  'total_repos',
  'created_at'
] as const

export function toSummary(row: SummaryColumns, groups: HostGroupRef[], clock: StatusClock): HostSummary {
  return {
    id: row.id,
    friendly_name: row.friendly_name,
    hostname: row.hostname,
    ip: row.ip,
    os_type: row.os_type,
    os_version: row.os_version,
    architecture: row.architecture,
    agent_version: row.agent_version,
    status: hostStatusFromLastReport(row.status, row.last_update, clock.updateIntervalMinutes, clock.nowMs),
    last_update: row.last_update,
    needs_reboot: row.needs_reboot === null ? null : row.needs_reboot === 1,
    total_packages: row.total_packages,
    outdated_packages: row.outdated_packages,
    security_updates: row.security_updates,
    total_repos: row.total_repos,
    host_groups: groups,
    created_at: row.created_at
  }
}

export async function listHosts(
  db: Kysely<DB>,
  query: HostListQuery,
  clock: StatusClock
): Promise<{ hosts: HostSummary[]; total: number }> {
  const limit = query.limit ?? 50
  const offset = query.offset ?? 0
  const sort = SORT_COLUMNS[query.sort ?? 'name']
  // Names read A→Z by default; numbers and dates read biggest/newest first.
  const direction = query.order ?? (query.sort === undefined || query.sort === 'name' ? 'asc' : 'desc')
  const rows = await filtered(db, query, clock)
    .select(SUMMARY_COLUMNS.map((c) => `hosts.${c}` as const))
    .orderBy(sort, direction)
    .orderBy('hosts.friendly_name', 'asc')
    .orderBy('hosts.id', 'asc')
    .limit(limit)
    .offset(offset)
    .execute()
  const count = await filtered(db, query, clock)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const groups = await groupsOfHosts(
    db,
    rows.map((r) => r.id)
  )
  return { hosts: rows.map((r) => toSummary(r, groups.get(r.id) ?? [], clock)), total: Number(count.n) }
}

function parseJson(text: string | null): unknown {
  if (text === null) return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    return null
  }
}

export async function hostDetail(db: Kysely<DB>, hostId: string, clock: StatusClock): Promise<HostDetail | undefined> {
  const row = await db.selectFrom('hosts').selectAll().where('id', '=', hostId).where(inHostScope('hosts.id')).executeTakeFirst()
  if (!row) return undefined
  const groups = await groupsOfHosts(db, [row.id])
  return {
    ...toSummary(row, groups.get(row.id) ?? [], clock),
    api_id: row.api_id,
    machine_id: row.machine_id,
    kernel_version: row.kernel_version,
    installed_kernel_version: row.installed_kernel_version,
    selinux_status: row.selinux_status,
    system_uptime: row.system_uptime,
    boot_time: row.boot_time,
    cpu_model: row.cpu_model,
    cpu_cores: row.cpu_cores,
    ram_installed: row.ram_installed,
    swap_size: row.swap_size,
    load_average: parseJson(row.load_average),
    disk_details: parseJson(row.disk_details),
    gateway_ip: row.gateway_ip,
    dns_servers: parseJson(row.dns_servers),
    network_interfaces: parseJson(row.network_interfaces),
    reboot_reason: row.reboot_reason,
    package_manager: row.package_manager,
    notes: row.notes,
    auto_update: row.auto_update === 1,
    updated_at: row.updated_at
  }
}

/** Some columns of one host (or undefined): for features that need a host's facts, not its rules. */
export async function hostColumns<K extends keyof HostRow & string>(
  db: Kysely<DB>,
  id: string,
  columns: readonly K[]
): Promise<Pick<HostRow, K> | undefined> {
  const row = await db.selectFrom('hosts').select(columns).where('id', '=', id).where(inHostScope('hosts.id')).executeTakeFirst()
  return row as Pick<HostRow, K> | undefined
}

/** Name, id and colour of one host group, or null. */
export async function hostGroupSummary(db: Kysely<DB>, id: string): Promise<Pick<HostGroupRow, 'id' | 'name' | 'color'> | null> {
  return (
    (await db
      .selectFrom('host_groups')
      .select(['id', 'name', 'color'])
      .where('id', '=', id)
      .where(groupInScope('host_groups.id'))
      .executeTakeFirst()) ?? null
  )
}

/** Name, id and colour of each listed host group that exists, by id: one query for a whole list. */
export async function hostGroupNamesByIds(
  db: Kysely<DB>,
  ids: readonly string[]
): Promise<Map<string, Pick<HostGroupRow, 'id' | 'name' | 'color'>>> {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return new Map()
  const rows = await db.selectFrom('host_groups').select(['id', 'name', 'color']).where('id', 'in', unique).execute()
  return new Map(rows.map((r) => [r.id, r]))
}

/** Hosts that have reported at least once, for the host-down monitor (it applies its own alerting rule). */
export async function reportedHosts(db: Kysely<DB>) {
  return db.selectFrom('hosts').select(['id', 'friendly_name', 'last_update', 'status']).where('last_update', 'is not', null).execute()
}

/** The list's filters without paging or sort: what "every host matching this filter" means. */
export type HostFilter = Pick<HostListQuery, 'search' | 'group' | 'status'>

/** Ids of the hosts matching the list's filters (in the caller's scope), name order, at most `cap`; and how many match. */
export async function matchingHostIds(
  db: Kysely<DB>,
  filter: HostFilter,
  clock: StatusClock,
  cap: number
): Promise<{ ids: string[]; total: number }> {
  const rows = await filtered(db, filter, clock).select('hosts.id').orderBy('hosts.friendly_name').orderBy('hosts.id').limit(cap).execute()
  const count = await filtered(db, filter, clock)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return { ids: rows.map((r) => r.id), total: Number(count.n) }
}

/** What bulk host actions decide on, for the listed hosts the caller may see (others are left out). */
export async function hostsForActions(db: Kysely<DB>, ids: readonly string[]) {
  if (ids.length === 0) return []
  return db
    .selectFrom('hosts')
    .select(['id', 'friendly_name', 'agent_version', 'last_update', 'os_type', 'architecture'])
    .where('id', 'in', [...ids])
    .where(inHostScope('hosts.id'))
    .execute()
}

/** Each listed host's groups that the caller may see, by host id. */
export async function visibleGroupIdsOfHosts(db: Kysely<DB>, hostIds: readonly string[]): Promise<Map<string, string[]>> {
  const byHost = new Map<string, string[]>()
  if (hostIds.length === 0) return byHost
  const rows = await db
    .selectFrom('host_group_memberships')
    .select(['host_id', 'host_group_id'])
    .where('host_id', 'in', [...hostIds])
    .where(groupInScope('host_group_id'))
    .execute()
  for (const row of rows) byHost.set(row.host_id, [...(byHost.get(row.host_id) ?? []), row.host_group_id])
  return byHost
}
