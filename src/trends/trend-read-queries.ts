// Reads behind the trend routes. Every read honours host-group scoping: a limited user's fleet
// figures are summed over their own hosts' day rows (the stored fleet rows count every host), and
// a host or exposure outside their groups is never read.
import { sql, type Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { inHostScope, isHostScoped } from '../hosts/host-scope.js'

export interface FleetDayFigures {
  day: string
  hosts: number
  outdated_packages: number
  security_updates: number
  hosts_needing_reboot: number
  cves_open: number | null
  days_since_patch: number | null
}

/** Fleet figures per day from `fromDay` on, oldest first. */
export async function fleetDays(db: Kysely<DB>, fromDay: string): Promise<FleetDayFigures[]> {
  if (!isHostScoped()) {
    return db
      .selectFrom('trend_fleet_days')
      .select(['day', 'hosts', 'outdated_packages', 'security_updates', 'hosts_needing_reboot', 'cves_open', 'days_since_patch'])
      .where('day', '>=', fromDay)
      .orderBy('day')
      .execute()
  }
  const rows = await db
    .selectFrom('trend_host_days')
    .select((eb) => [
      'day',
      eb.fn.countAll<number>().as('hosts'),
      eb.fn.sum<number>('outdated_packages').as('outdated_packages'),
      eb.fn.sum<number>('security_updates').as('security_updates'),
      eb.fn.sum<number>('needs_reboot').as('hosts_needing_reboot'),
      // SUM over only NULLs is NULL: no CVE source then, as in the stored fleet rows.
      eb.fn.sum<number | null>('cves_open').as('cves_open'),
      sql<number | null>`round(avg(days_since_patch), 2)`.as('days_since_patch')
    ])
    .where('day', '>=', fromDay)
    .where(inHostScope('trend_host_days.host_id'))
    .groupBy('day')
    .orderBy('day')
    .execute()
  return rows.map((r) => ({
    day: r.day,
    hosts: Number(r.hosts),
    outdated_packages: Number(r.outdated_packages),
    security_updates: Number(r.security_updates),
    hosts_needing_reboot: Number(r.hosts_needing_reboot),
    cves_open: r.cves_open === null ? null : Number(r.cves_open),
    days_since_patch: r.days_since_patch === null ? null : Number(r.days_since_patch)
  }))
}

/** One host's day rows from `fromDay` on, oldest first (the caller checked the host is in scope). */
export async function hostDays(db: Kysely<DB>, hostId: string, fromDay: string) {
  return db
    .selectFrom('trend_host_days')
    .select(['day', 'outdated_packages', 'security_updates', 'needs_reboot', 'cves_open', 'days_since_patch'])
    .where('host_id', '=', hostId)
    .where('day', '>=', fromDay)
    .where(inHostScope('trend_host_days.host_id'))
    .orderBy('day')
    .execute()
}

/** When the host was last seen patched (report-hook.ts), or null. */
export async function hostLastPatched(db: Kysely<DB>, hostId: string): Promise<string | null> {
  const row = await db
    .selectFrom('trend_host_states')
    .select('last_patched_at')
    .where('host_id', '=', hostId)
    .where(inHostScope('trend_host_states.host_id'))
    .executeTakeFirst()
  return row?.last_patched_at ?? null
}

/** Security exposures resolved at or after `sinceIso`, and those still open, of the hosts in scope. */
export async function exposuresForWindow(db: Kysely<DB>, sinceIso: string) {
  return db
    .selectFrom('trend_security_exposures')
    .select(['host_id', 'first_seen_at', 'resolved_at'])
    .where((eb) => eb.or([eb('resolved_at', '>=', sinceIso), eb('resolved_at', 'is', null)]))
    .where(inHostScope('trend_security_exposures.host_id'))
    .execute()
}
