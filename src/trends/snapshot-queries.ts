// Writes of the daily snapshot and of retention: the only code that names the trend day tables'
// writes. Upserts on (host_id, day) and (day): a snapshot taken twice on one day, before and after
// a restart, leaves one row per host and one fleet row, holding the later figures.
import type { Insertable, Kysely } from 'kysely'
import type { DB, TrendFleetDaysTable, TrendHostDaysTable } from '../store/database-types.js'

/** Rows per INSERT: 7 bound values each keeps a statement far below SQLite's variable limit. */
const INSERT_CHUNK = 500
const HOSTS_BETWEEN_YIELDS = 200

export async function hasFleetDay(db: Kysely<DB>, day: string): Promise<boolean> {
  return (await db.selectFrom('trend_fleet_days').select('day').where('day', '=', day).executeTakeFirst()) !== undefined
}

/** Last patch per host id, from the state the report hook keeps. */
export async function lastPatchedByHost(db: Kysely<DB>): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('trend_host_states')
    .select(['host_id', 'last_patched_at'])
    .where('last_patched_at', 'is not', null)
    .execute()
  return new Map(rows.map((r) => [r.host_id, r.last_patched_at as string]))
}

/** One transaction: every host row of the day and the fleet row, or nothing. */
export async function writeSnapshot(
  db: Kysely<DB>,
  hostRows: Insertable<TrendHostDaysTable>[],
  fleetRow: Insertable<TrendFleetDaysTable>
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < hostRows.length; i += INSERT_CHUNK) {
      await trx
        .insertInto('trend_host_days')
        .values(hostRows.slice(i, i + INSERT_CHUNK))
        .onConflict((oc) =>
          oc.columns(['host_id', 'day']).doUpdateSet((eb) => ({
            outdated_packages: eb.ref('excluded.outdated_packages'),
            security_updates: eb.ref('excluded.security_updates'),
            needs_reboot: eb.ref('excluded.needs_reboot'),
            cves_open: eb.ref('excluded.cves_open'),
            days_since_patch: eb.ref('excluded.days_since_patch')
          }))
        )
        .execute()
    }
    const { day: _day, ...figures } = fleetRow
    await trx
      .insertInto('trend_fleet_days')
      .values(fleetRow)
      .onConflict((oc) => oc.column('day').doUpdateSet(figures))
      .execute()
  })
}

/**
 * Deletes day rows before `firstKeptDay` and exposures resolved before it. Per host, on the
 * primary key's (host_id, day) range, yielding between hosts, so a long backlog never blocks the
 * event loop for long and no index on day is needed.
 */
export async function pruneTrendsBefore(db: Kysely<DB>, hostIds: readonly string[], firstKeptDay: string): Promise<number> {
  let removed = 0
  for (const [i, hostId] of hostIds.entries()) {
    const result = await db.deleteFrom('trend_host_days').where('host_id', '=', hostId).where('day', '<', firstKeptDay).executeTakeFirst()
    removed += Number(result.numDeletedRows)
    // Let requests in every few hundred hosts (better-sqlite3 runs each delete synchronously).
    if (i % HOSTS_BETWEEN_YIELDS === HOSTS_BETWEEN_YIELDS - 1) await new Promise((resolve) => setImmediate(resolve))
  }
  const fleet = await db.deleteFrom('trend_fleet_days').where('day', '<', firstKeptDay).executeTakeFirst()
  const exposures = await db.deleteFrom('trend_security_exposures').where('resolved_at', '<', firstKeptDay).executeTakeFirst()
  return removed + Number(fleet.numDeletedRows) + Number(exposures.numDeletedRows)
}
