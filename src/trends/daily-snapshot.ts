// The daily snapshot: every reported host's figures (outdated, security, reboot required, CVEs
// open, days since its last patch) and their fleet totals, stored under today's UTC date.
//  - One row per host per day: the writes are upserts, so running it again the same day (a restart,
//    a second timer tick) replaces that day's figures instead of adding rows.
//  - A day the server was down is simply absent: nothing is back-filled or invented.
//  - Hosts that never reported have no figures yet and are left out.
// Runs from a timer (outside any user's request), so it sees every host.
import type { Insertable, Kysely } from 'kysely'
import type { DB, TrendHostDaysTable } from '../store/database-types.js'
import { hostListRows } from '../hosts/host-read-queries.js'
import type { CveCountsSource } from './cve-source.js'
import { daysBetween, dayBefore, utcDay } from './trend-day.js'
import { hasFleetDay, lastPatchedByHost, pruneTrendsBefore, writeSnapshot } from './snapshot-queries.js'

export interface SnapshotOutcome {
  day: string
  hosts: number
  /** Every host id seen (retention prunes their older rows). */
  hostIds: string[]
}

export async function takeDailySnapshot(db: Kysely<DB>, now: Date, cveCountsByHost?: CveCountsSource): Promise<SnapshotOutcome> {
  const day = utcDay(now)
  const [{ rows }, lastPatched, cves] = await Promise.all([
    hostListRows(db, undefined),
    lastPatchedByHost(db),
    cveCountsByHost ? cveCountsByHost(db) : Promise.resolve(undefined)
  ])
  const hostRows: Insertable<TrendHostDaysTable>[] = []
  let patchDaysSum = 0
  let patchDaysKnown = 0
  for (const host of rows) {
    if (host.last_update === null) continue
    const patched = lastPatched.get(host.id)
    const sincePatch = patched === undefined ? null : Math.max(0, daysBetween(patched, now))
    if (sincePatch !== null) {
      patchDaysSum += sincePatch
      patchDaysKnown++
    }
    hostRows.push({
      host_id: host.id,
      day,
      outdated_packages: host.outdated_packages,
      security_updates: host.security_updates,
      needs_reboot: host.needs_reboot === 1 ? 1 : 0,
      cves_open: cves ? (cves.get(host.id) ?? 0) : null,
      days_since_patch: sincePatch
    })
  }
  const sum = (pick: (r: Insertable<TrendHostDaysTable>) => number) => hostRows.reduce((n, r) => n + pick(r), 0)
  await writeSnapshot(db, hostRows, {
    day,
    hosts: hostRows.length,
    outdated_packages: sum((r) => r.outdated_packages),
    security_updates: sum((r) => r.security_updates),
    hosts_needing_reboot: sum((r) => r.needs_reboot),
    cves_open: cves ? sum((r) => r.cves_open ?? 0) : null,
    days_since_patch: patchDaysKnown ? Math.round((patchDaysSum / patchDaysKnown) * 100) / 100 : null,
    taken_at: now.toISOString()
  })
  return { day, hosts: hostRows.length, hostIds: rows.map((r) => r.id) }
}

/**
 * The timer's tick: takes today's snapshot unless it was taken already, then prunes what is older
 * than the retention. Ticking hourly means the day's snapshot is taken within an hour of 00:00 UTC,
 * or within an hour of start-up (the timer also runs at start) after the server was down.
 */
export async function dailyTrendsTick(
  db: Kysely<DB>,
  now: Date,
  retentionDays: number,
  cveCountsByHost?: CveCountsSource
): Promise<{ snapshot?: SnapshotOutcome; pruned: number }> {
  if (await hasFleetDay(db, utcDay(now))) return { pruned: 0 }
  const snapshot = await takeDailySnapshot(db, now, cveCountsByHost)
  const pruned = await pruneTrendsBefore(db, snapshot.hostIds, dayBefore(now, retentionDays))
  return { snapshot, pruned }
}
