// What `patchmon import-upstream` needs from the hosts feature: a host inserted with the identity and
// key hash it had upstream (so its agent keeps working), group lookups by name for --merge, and
// the report state put back after the inventory went through the normal report ingest.
import type { Kysely } from 'kysely'
import type { DB, HostRow } from '../store/database-types.js'

export async function countHosts(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('hosts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** The api_ids of this list that a host here already has (a merge skips those hosts). */
export async function takenApiIds(db: Kysely<DB>, apiIds: string[]): Promise<Set<string>> {
  if (apiIds.length === 0) return new Set()
  const rows = await db.selectFrom('hosts').select('api_id').where('api_id', 'in', apiIds).execute()
  return new Set(rows.map((r) => r.api_id))
}

export async function groupIdsByName(db: Kysely<DB>): Promise<Map<string, string>> {
  const rows = await db.selectFrom('host_groups').select(['id', 'name']).execute()
  return new Map(rows.map((r) => [r.name, r.id]))
}

/** Inserts a host as it was upstream, with its groups, in one transaction. */
export async function insertImportedHost(db: Kysely<DB>, host: HostRow, groupIds: string[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('hosts').values(host).execute()
    const unique = [...new Set(groupIds)]
    if (unique.length > 0) {
      await trx
        .insertInto('host_group_memberships')
        .values(unique.map((g) => ({ host_id: host.id, host_group_id: g, created_at: host.created_at })))
        .execute()
    }
  })
}

/**
 * After the imported inventory went through the report ingest: the host keeps upstream's status and
 * last report time (the import is not a report), and the history row the ingest wrote is dropped.
 */
export async function restoreImportedReportState(
  db: Kysely<DB>,
  hostId: string,
  state: { status: string; lastUpdate: string | null; updatedAt: string }
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('hosts')
      .set({ status: state.status, last_update: state.lastUpdate, updated_at: state.updatedAt })
      .where('id', '=', hostId)
      .execute()
    await trx.deleteFrom('report_history').where('host_id', '=', hostId).execute()
  })
}
