// Fleet-wide aggregates over hosts, repositories and report_history for the surfaces that count
// (dashboard overview, Prometheus metrics, gethomepage). Every figure reads the denormalised counts
// on hosts or indexed columns, and every status comes from host-status.ts.
import { sql, type Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { hostIsPendingSql, hostStatusSql, inactiveCutoff, type HostStatus } from './host-status.js'
import { inHostScope, isHostScoped } from './host-scope.js'

export type StatusCounts = Record<HostStatus, number>

/**
 * Hosts by status as people see it (host-status.ts's rule: pending without a first report,
 * inactive once last_update is older than the cutoff, active otherwise), as index range counts
 * rather than a pass over every host: pending = stored 'pending' (hosts_status) + reported hosts
 * without a last_update, inactive = reported hosts older than the cutoff (both on
 * hosts_last_update_status), active = the maintained host count minus both.
 */
export async function hostCountsByStatus(db: Kysely<DB>, updateIntervalMinutes: number, nowMs = Date.now()): Promise<StatusCounts> {
  if (isHostScoped()) return scopedHostCountsByStatus(db, updateIntervalMinutes, nowMs)
  const cutoff = inactiveCutoff(updateIntervalMinutes, nowMs)
  const hostCount = db.selectFrom('hosts').select((eb) => eb.fn.countAll<number>().as('n'))
  const row = await db
    .selectFrom('fleet_host_totals')
    .select([
      'hosts',
      hostCount.where('status', '=', 'pending').as('pending_stored'),
      hostCount.where('last_update', 'is', null).where('status', '!=', 'pending').as('never_updated'),
      hostCount.where('last_update', '<', cutoff).where('status', '!=', 'pending').as('inactive')
    ])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow()
  const pending = Number(row.pending_stored) + Number(row.never_updated)
  const inactive = Number(row.inactive)
  return { pending, active: row.hosts - pending - inactive, inactive }
}

/**
 * A user limited to some host groups (access-control.md) gets counts over their hosts only: the
 * maintained counters are fleet-wide, so these aggregate over the visible hosts instead.
 */
async function scopedHostCountsByStatus(db: Kysely<DB>, updateIntervalMinutes: number, nowMs: number): Promise<StatusCounts> {
  const rows = await db
    .selectFrom('hosts')
    .select((eb) => [hostStatusSql(updateIntervalMinutes, nowMs).as('state'), eb.fn.countAll<number>().as('n')])
    .where(inHostScope('hosts.id'))
    .groupBy('state')
    .execute()
  const counts: StatusCounts = { pending: 0, active: 0, inactive: 0 }
  for (const row of rows) counts[row.state] = Number(row.n)
  return counts
}

async function scopedFleetUpdateTotals(db: Kysely<DB>) {
  const row = await db
    .selectFrom('hosts')
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn.sum<number>(eb.case().when('outdated_packages', '>', 0).then(1).else(0).end()).as('needing_updates'),
      eb.fn.sum<number>(eb.case().when('security_updates', '>', 0).then(1).else(0).end()).as('with_security'),
      eb.fn.sum<number>('outdated_packages').as('outdated'),
      eb.fn.sum<number>('security_updates').as('security'),
      eb.fn.sum<number>(eb.case().when('needs_reboot', '=', 1).then(1).else(0).end()).as('reboot')
    ])
    .where(inHostScope('hosts.id'))
    .executeTakeFirstOrThrow()
  return {
    total: Number(row.total),
    needing_updates: Number(row.needing_updates ?? 0),
    with_security: Number(row.with_security ?? 0),
    outdated: Number(row.outdated ?? 0),
    security: Number(row.security ?? 0),
    reboot: Number(row.reboot ?? 0)
  }
}

/** The overview's update figures over every host (pending ones included): the maintained totals (migration 0021). */
export async function fleetUpdateTotals(db: Kysely<DB>) {
  if (isHostScoped()) return scopedFleetUpdateTotals(db)
  const row = await db.selectFrom('fleet_host_totals').selectAll().where('id', '=', 1).executeTakeFirstOrThrow()
  return {
    total: row.hosts,
    needing_updates: row.hosts_needing_updates,
    with_security: row.hosts_with_security,
    outdated: row.outdated_packages,
    security: row.security_updates,
    reboot: row.hosts_needing_reboot
  }
}

/** Hosts per (os_type, os_version), most common first; hosts without an OS yet are left out. */
export async function osVersionCounts(db: Kysely<DB>) {
  const rows = await db
    .selectFrom('hosts')
    .select((eb) => [
      eb.fn.coalesce('os_type', eb.val('Unknown')).as('os_type'),
      eb.fn.coalesce('os_version', eb.val('')).as('os_version'),
      eb.fn.countAll<number>().as('count')
    ])
    .where('os_type', 'is not', null)
    .where(inHostScope('hosts.id'))
    .groupBy(['os_type', 'os_version'])
    .orderBy('count', 'desc')
    .orderBy('os_type')
    .execute()
  return rows.map((r) => ({ os_type: r.os_type, os_version: r.os_version, count: Number(r.count) }))
}

/** The latest reports with their host's name, newest first. */
export async function recentReports(db: Kysely<DB>, limit: number) {
  return db
    .selectFrom('report_history as r')
    .innerJoin('hosts as h', 'h.id', 'r.host_id')
    .select([
      'r.id',
      'r.host_id',
      'h.friendly_name',
      'r.status',
      'r.total_packages',
      'r.outdated_packages',
      'r.security_updates',
      'r.created_at'
    ])
    .where(inHostScope('r.host_id'))
    .orderBy('r.created_at', 'desc')
    .limit(limit)
    .execute()
}

/** Hosts per raw (os_type, os_version) with the per-host flags gethomepage counts; callers add the filter. */
function homepageGroups(db: Kysely<DB>) {
  return db
    .selectFrom('hosts')
    .select((eb) => [
      'os_type',
      'os_version',
      eb.fn.countAll<number>().as('hosts'),
      sql<number>`sum(outdated_packages > 0)`.as('needing'),
      sql<number>`sum(total_packages > 0 and outdated_packages = 0)`.as('up_to_date'),
      sql<number>`sum(security_updates > 0)`.as('with_security'),
      sql<number>`sum(needs_reboot = 1)`.as('reboot')
    ])
    .groupBy(['os_type', 'os_version'])
}

/**
 * gethomepage's host figures (facts: integration-api §5.2). Its "active" hosts are the hosts that
 * have reported (REPORTED_STATUSES, i.e. every host that is not pending); pending hosts count
 * nowhere except awaiting-data; the security and outdated totals are sums over every host.
 * Read as the maintained fleet totals (migrations 0021, 0030) minus the pending hosts' share (an
 * index lookup, usually empty), and the OS breakdown from the covering hosts_os index minus the
 * same share: no pass over the host rows, whose width made two scans cost ~10 ms at 5,000 hosts.
 * One read transaction, so a host enrolling between the reads cannot skew the difference.
 */
export async function homepageHostTotals(db: Kysely<DB>) {
  const { fleet, pending, everyOs } = await db.transaction().execute(async (trx) => ({
    fleet: await trx.selectFrom('fleet_host_totals').selectAll().where('id', '=', 1).executeTakeFirstOrThrow(),
    pending: await homepageGroups(trx).where(hostIsPendingSql()).execute(),
    everyOs: await trx
      .selectFrom('hosts')
      .select((eb) => ['os_type', 'os_version', eb.fn.countAll<number>().as('hosts')])
      .groupBy(['os_type', 'os_version'])
      .execute()
  }))
  const pendingSum = (key: 'hosts' | 'needing' | 'up_to_date' | 'with_security' | 'reboot') =>
    pending.reduce((sum, row) => sum + Number(row[key]), 0)
  const totals = {
    total_hosts: fleet.hosts - pendingSum('hosts'),
    needing: fleet.hosts_needing_updates - pendingSum('needing'),
    up_to_date: fleet.hosts_up_to_date - pendingSum('up_to_date'),
    with_security: fleet.hosts_with_security - pendingSum('with_security'),
    reboot: fleet.hosts_needing_reboot - pendingSum('reboot'),
    awaiting: fleet.hosts_awaiting_data,
    security: fleet.security_updates,
    outdated: fleet.outdated_packages
  }
  // Reported hosts per shown (name, version): a missing or empty OS name shows as 'Unknown', a missing version as ''.
  const osKey = (osType: string | null, osVersion: string | null) => JSON.stringify([osType || 'Unknown', osVersion ?? ''])
  const reported = new Map<string, number>()
  for (const row of everyOs) {
    const key = osKey(row.os_type, row.os_version)
    reported.set(key, (reported.get(key) ?? 0) + Number(row.hosts))
  }
  for (const row of pending) {
    const key = osKey(row.os_type, row.os_version)
    reported.set(key, (reported.get(key) ?? 0) - Number(row.hosts))
  }
  const versions = [...reported]
    .filter(([, n]) => n > 0)
    .map(([key, n]) => {
      const [name, version] = JSON.parse(key) as [string, string]
      return { name, version, n }
    })
  return { totals, versions }
}

/** Repositories some host has active. */
export async function activeRepositoryCount(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('repositories')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('is_active', '=', 1)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Successful reports written at or after `sinceIso` (an ISO time as toISOString writes it): the
 * hours after since's hour from the maintained report_success_hours (migration 0030), since's own
 * hour counted from report_history. ISO text orders like time, so a row's hour prefix sorting
 * after since's means the row is after since, and one with the same prefix is decided by the range.
 */
export async function successfulReportsSince(db: Kysely<DB>, sinceIso: string): Promise<number> {
  const sinceHour = sinceIso.slice(0, 13)
  const nextHourIso = new Date(Date.parse(`${sinceHour}:00:00.000Z`) + 3600_000).toISOString()
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('report_success_hours')
        .select((e) => e.fn.coalesce(e.fn.sum<number>('successes'), e.lit(0)).as('n'))
        .where('hour', '>', sinceHour)
        .as('later_hours'),
      eb
        .selectFrom('report_history')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('status', '=', 'success')
        .where('created_at', '>=', sinceIso)
        .where('created_at', '<', nextHourIso)
        .as('first_hour')
    ])
    .executeTakeFirstOrThrow()
  return Number(row.later_hours) + Number(row.first_hour)
}
