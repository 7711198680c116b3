// Fleet-wide aggregates over hosts, repositories and report_history for the surfaces that count
// (dashboard overview, Prometheus metrics, gethomepage). Every figure reads the denormalised counts
// on hosts or indexed columns, and every status comes from host-status.ts.
import { sql, type Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { hostStatusSql, inactiveCutoff, REPORTED_STATUSES, type HostStatus } from './host-status.js'
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

/**
 * gethomepage's host figures (facts: integration-api §5.2). Its "active" hosts are the hosts that
 * have reported (REPORTED_STATUSES); pending hosts count nowhere except awaiting-data; the
 * security and outdated totals are sums over every host.
 */
export async function homepageHostTotals(db: Kysely<DB>, updateIntervalMinutes: number, nowMs: number) {
  const reported = sql<boolean>`${hostStatusSql(updateIntervalMinutes, nowMs)} in (${sql.join(REPORTED_STATUSES.map((s) => sql.lit(s)))})`
  const row = await db
    .selectFrom('hosts')
    .select([
      sql<number>`coalesce(sum(case when ${reported} then 1 else 0 end), 0)`.as('total_hosts'),
      sql<number>`coalesce(sum(case when ${reported} and outdated_packages > 0 then 1 else 0 end), 0)`.as('needing'),
      sql<number>`coalesce(sum(case when ${reported} and total_packages > 0 and outdated_packages = 0 then 1 else 0 end), 0)`.as(
        'up_to_date'
      ),
      sql<number>`coalesce(sum(case when ${reported} and security_updates > 0 then 1 else 0 end), 0)`.as('with_security'),
      sql<number>`coalesce(sum(case when ${reported} and needs_reboot = 1 then 1 else 0 end), 0)`.as('reboot'),
      sql<number>`coalesce(sum(case when total_packages = 0 then 1 else 0 end), 0)`.as('awaiting'),
      sql<number>`coalesce(sum(security_updates), 0)`.as('security'),
      sql<number>`coalesce(sum(outdated_packages), 0)`.as('outdated')
    ])
    .executeTakeFirstOrThrow()
  const versions = await db
    .selectFrom('hosts')
    .select([
      sql<string>`coalesce(nullif(os_type, ''), 'Unknown')`.as('name'),
      sql<string>`coalesce(os_version, '')`.as('version'),
      (eb) => eb.fn.countAll<number>().as('n')
    ])
    .where(hostStatusSql(updateIntervalMinutes, nowMs), 'in', [...REPORTED_STATUSES])
    .groupBy(['name', 'version'])
    .execute()
  return { totals: row, versions }
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

/** Successful reports written at or after `sinceIso`. */
export async function successfulReportsSince(db: Kysely<DB>, sinceIso: string): Promise<number> {
  const row = await db
    .selectFrom('report_history')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'success')
    .where('created_at', '>=', sinceIso)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
