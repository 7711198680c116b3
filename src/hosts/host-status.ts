// A host's status is derived when it is read, never stored as "inactive": the stored column only
// says whether the host has ever reported (pending) or not (active); silence is a matter of time.
// Every surface that shows a host's status (dashboard, Integration API, gethomepage, Prometheus)
// uses this file; the alerting variant (interval + grace) is at the end.
import { expressionBuilder, sql, type ExpressionWrapper, type SqlBool } from 'kysely'
import type { DB } from '../store/database-types.js'

export type HostStatus = 'pending' | 'active' | 'inactive'

/** A host that stays silent longer than this many update intervals counts as inactive. */
export const INACTIVE_AFTER_INTERVALS = 2

/**
 * `pending` until the first report or ping, then `active`, or `inactive` once the last report is
 * older than 2 × the update interval. Pure: the caller passes the clock.
 */
export function hostStatusFromLastReport(
  storedStatus: string,
  lastUpdate: string | null,
  updateIntervalMinutes: number,
  nowMs: number
): HostStatus {
  return hostStatusFromReportTime(storedStatus, lastUpdate === null ? null : Date.parse(lastUpdate), updateIntervalMinutes, nowMs)
}

/**
 * The same rule with last_update already parsed (NaN when unparseable), for callers that also
 * need the time for something else: the Integration API list parses each of 10,000 dates once.
 */
export function hostStatusFromReportTime(
  storedStatus: string,
  lastUpdateMs: number | null,
  updateIntervalMinutes: number,
  nowMs: number
): HostStatus {
  if (storedStatus === 'pending' || lastUpdateMs === null) return 'pending'
  if (Number.isNaN(lastUpdateMs)) return 'inactive'
  return nowMs - lastUpdateMs > inactiveAfterMs(updateIntervalMinutes) ? 'inactive' : 'active'
}

export function inactiveAfterMs(updateIntervalMinutes: number): number {
  return INACTIVE_AFTER_INTERVALS * updateIntervalMinutes * 60_000
}

/** The last_update before which an active host counts as inactive (ISO text compares in order). */
export function inactiveCutoff(updateIntervalMinutes: number, nowMs: number): string {
  return new Date(nowMs - inactiveAfterMs(updateIntervalMinutes)).toISOString()
}

/**
 * The same rule as hostStatusFromLastReport in SQL, for grouped counts over `hosts` (metrics, the
 * fleet overview, gethomepage): pending without a first report, inactive once last_update is
 * older than the cutoff, active otherwise. The boundary is the same: exactly 2 intervals is active.
 */
export function hostStatusSql(updateIntervalMinutes: number, nowMs: number): ExpressionWrapper<DB, 'hosts', HostStatus> {
  const eb = expressionBuilder<DB, 'hosts'>()
  return eb
    .case()
    .when('hosts.status', '=', 'pending')
    .then(sql.lit<HostStatus>('pending'))
    .when('hosts.last_update', 'is', null)
    .then(sql.lit<HostStatus>('pending'))
    .when('hosts.last_update', '<', inactiveCutoff(updateIntervalMinutes, nowMs))
    .then(sql.lit<HostStatus>('inactive'))
    .else(sql.lit<HostStatus>('active'))
    .end()
}

/**
 * Hosts that have reported at least once (active or inactive). gethomepage counts these as its
 * "active" hosts (facts: integration-api §5.2, the v1 reading): silence does not remove a host there.
 */
export const REPORTED_STATUSES: readonly HostStatus[] = ['active', 'inactive']

/**
 * `hostStatusSql(...) = 'pending'` without the clock (pending never depends on it): the stored
 * 'pending' or no last_update. Both halves are index lookups (hosts_status,
 * hosts_last_update_status), so the usually empty set of pending hosts is found without a scan.
 */
export function hostIsPendingSql(): ExpressionWrapper<DB, 'hosts', SqlBool> {
  const eb = expressionBuilder<DB, 'hosts'>()
  return eb.or([eb('hosts.status', '=', 'pending'), eb('hosts.last_update', 'is', null)])
}

/**
 * The alerting variant, deliberately looser than the status people see: a host is down for
 * notifications only once it has been silent longer than the update interval plus a grace period
 * (so one late report pages nobody), never less than a second. The host-down monitor measures the
 * silence itself (it corrects for clock steps) and compares it with this threshold.
 */
export function alertingDownAfterSeconds(updateIntervalMinutes: number, graceMinutes: number): number {
  return Math.max(1, (Number(updateIntervalMinutes) + Number(graceMinutes)) * 60)
}

/** True when a silence (seconds) is past the alerting threshold; equal to the threshold is not down. */
export function isDownForAlerting(silentSeconds: number, thresholdSeconds: number): boolean {
  return silentSeconds > thresholdSeconds
}
