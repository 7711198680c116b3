// A host's status is derived when it is read, never stored as "inactive": the stored column only
// says whether the host has ever reported (pending) or not (active); silence is a matter of time.
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
  if (storedStatus === 'pending' || lastUpdate === null) return 'pending'
  const last = Date.parse(lastUpdate)
  if (Number.isNaN(last)) return 'inactive'
  return nowMs - last > inactiveAfterMs(updateIntervalMinutes) ? 'inactive' : 'active'
}

export function inactiveAfterMs(updateIntervalMinutes: number): number {
  return INACTIVE_AFTER_INTERVALS * updateIntervalMinutes * 60_000
}

/** The last_update before which an active host counts as inactive (ISO text compares in order). */
export function inactiveCutoff(updateIntervalMinutes: number, nowMs: number): string {
  return new Date(nowMs - inactiveAfterMs(updateIntervalMinutes)).toISOString()
}
