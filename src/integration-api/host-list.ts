// GET /api/v1/api/hosts: the host list with groups, the `hostgroup` filter and `include=stats`.
// Counts come from the denormalised columns on hosts (kept in step by report ingestion), so the
// list never aggregates host_packages however many packages the fleet has.
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { hostStatusFromReportTime } from '../hosts/host-status.js'
import { groupIdsByName, hostListRows, type GroupRef } from '../hosts/host-read-queries.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export type { GroupRef }

export interface HostListItem {
  id: string
  friendly_name: string
  hostname: string
  ip: string
  host_groups: GroupRef[]
  os_type?: string
  os_version?: string
  last_update?: string | null
  status?: string
  needs_reboot?: boolean
  updates_count?: number
  security_updates_count?: number
  total_packages?: number
  effective_status?: string
  reporting_state?: 'reporting' | 'overdue' | 'stale'
  update_state?: 'security_required' | 'updates_pending' | 'up_to_date'
}

export interface HostListResult {
  hosts: HostListItem[]
  total: number
  filtered_by_groups?: string[]
}

export interface HostListOptions {
  hostgroup?: string | undefined
  include?: string | undefined
  /** Minutes between agent reports (for reporting_state / effective_status). */
  updateIntervalMinutes: number
  now?: number
}

/** `hostgroup` values: split on commas, trimmed, empty items dropped (an empty list = no filter). */
export function parseGroupFilter(raw: string | undefined): string[] {
  if (raw === undefined) return []
  return raw
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '')
}

/** Group ids for the filter values: UUIDs are taken as ids, anything else must be an exact name. */
async function resolveGroupIds(db: Kysely<DB>, values: string[]): Promise<string[]> {
  const ids = values.filter((v) => UUID.test(v))
  const names = values.filter((v) => !UUID.test(v))
  if (names.length > 0) {
    // SQLite compares TEXT with BINARY collation: the match is exact and case-sensitive.
    ids.push(...(await groupIdsByName(db, names)))
  }
  return [...new Set(ids)]
}

/** From last_update in ms (NaN when missing or unparseable). */
function reportingState(at: number, intervalMs: number, now: number): 'reporting' | 'overdue' | 'stale' {
  if (Number.isNaN(at)) return 'stale'
  if (at >= now - intervalMs) return 'reporting'
  if (at >= now - 2 * intervalMs) return 'overdue'
  return 'stale'
}

export async function listHosts(db: Kysely<DB>, options: HostListOptions): Promise<HostListResult> {
  const filter = parseGroupFilter(options.hostgroup)
  const withStats = (options.include ?? '').split(',').some((v) => v.trim().toLowerCase() === 'stats')
  let groupIds: string[] | undefined
  if (filter.length > 0) {
    groupIds = await resolveGroupIds(db, filter)
    if (groupIds.length === 0) return { hosts: [], total: 0, filtered_by_groups: filter }
  }
  const { rows, memberships } = await hostListRows(db, groupIds)

  const groupsByHost = new Map<string, GroupRef[]>()
  for (const m of memberships) {
    const list = groupsByHost.get(m.host_id)
    if (list) list.push({ id: m.id, name: m.name })
    else groupsByHost.set(m.host_id, [{ id: m.id, name: m.name }])
  }

  const now = options.now ?? Date.now()
  const intervalMs = options.updateIntervalMinutes * 60_000
  // One object literal per host, fields in the documented order (10,000 hosts: no spread copies).
  const hosts = rows.map((r): HostListItem => {
    // Never empty: the Ansible plugin keys hosts by this field and fails on a nameless host.
    const hostname = r.hostname || r.friendly_name
    const hostGroups = groupsByHost.get(r.id) ?? []
    if (!withStats) return { id: r.id, friendly_name: r.friendly_name, hostname, ip: r.ip ?? '', host_groups: hostGroups }
    // Parsed once for both derived states (10,000 hosts: Date.parse is a visible share of the reply).
    const at = r.last_update === null ? null : Date.parse(r.last_update)
    return {
      id: r.id,
      friendly_name: r.friendly_name,
      hostname,
      ip: r.ip ?? '',
      host_groups: hostGroups,
      os_type: r.os_type ?? '',
      os_version: r.os_version ?? '',
      last_update: r.last_update,
      status: r.status,
      needs_reboot: r.needs_reboot === 1,
      updates_count: r.outdated_packages,
      security_updates_count: r.security_updates,
      total_packages: r.total_packages,
      effective_status: hostStatusFromReportTime(r.status, at, options.updateIntervalMinutes, now),
      reporting_state: reportingState(at ?? NaN, intervalMs, now),
      update_state: r.security_updates > 0 ? 'security_required' : r.outdated_packages > 0 ? 'updates_pending' : 'up_to_date'
    }
  })
  return { hosts, total: hosts.length, ...(filter.length > 0 ? { filtered_by_groups: filter } : {}) }
}
