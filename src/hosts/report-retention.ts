// Report history is kept for AGENT_REPORTS_RETENTION_DAYS and at most REPORTS_KEPT_PER_HOST rows
// per host (a host reporting every 5 minutes would otherwise keep 8,640 rows a month).
import { sql, type Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'

export const REPORTS_KEPT_PER_HOST = 500
export const RETENTION_TIMER = 'report-history-retention'
export const RETENTION_EVERY_MS = 60 * 60_000

export async function pruneReportHistory(db: Kysely<DB>, retentionDays: number, keptPerHost: number, nowMs = Date.now()): Promise<number> {
  const cutoff = new Date(nowMs - retentionDays * 86_400_000).toISOString()
  return db.transaction().execute(async (trx) => {
    const old = await trx.deleteFrom('report_history').where('created_at', '<', cutoff).executeTakeFirst()
    const excess = await trx.deleteFrom('report_history')
      .where('id', 'in', (eb) => eb
        .selectFrom((inner) => inner.selectFrom('report_history')
          .select(['id', sql<number>`row_number() over (partition by host_id order by created_at desc, id desc)`.as('rank')])
          .as('ranked'))
        .select('ranked.id')
        .where('ranked.rank', '>', keptPerHost))
      .executeTakeFirst()
    return Number(old.numDeletedRows) + Number(excess.numDeletedRows)
  })
}
