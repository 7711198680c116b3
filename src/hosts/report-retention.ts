// Report history is kept AGENT_REPORTS_RETENTION_DAYS days and at most REPORTS_KEPT_PER_HOST rows
// per host (a host reporting every 5 minutes would otherwise keep 8,640 rows a month).
//  - The per-host cap is enforced by the ingest itself, right after it appends a row (one indexed
//    range delete on (host_id, created_at)), so no sweep over the whole table is ever needed.
//  - Age is enforced by an hourly timer deleting in bounded batches, so a large backlog never
//    blocks the event loop (better-sqlite3 is synchronous) for more than one batch.
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'

export const REPORTS_KEPT_PER_HOST = 500
export const RETENTION_TIMER = 'report-history-retention'
export const RETENTION_EVERY_MS = 60 * 60_000
const DELETE_BATCH = 5_000

/** Deletes history older than `retentionDays`; returns how many rows went. */
export async function pruneReportHistory(db: Kysely<DB>, retentionDays: number, nowMs = Date.now()): Promise<number> {
  const cutoff = new Date(nowMs - retentionDays * 86_400_000).toISOString()
  let removed = 0
  for (;;) {
    const result = await db
      .deleteFrom('report_history')
      .where('id', 'in', (eb) => eb.selectFrom('report_history').select('id').where('created_at', '<', cutoff).limit(DELETE_BATCH))
      .executeTakeFirst()
    const n = Number(result.numDeletedRows)
    removed += n
    if (n < DELETE_BATCH) return removed
    // Let requests in between batches.
    await new Promise((resolve) => setImmediate(resolve))
  }
}
