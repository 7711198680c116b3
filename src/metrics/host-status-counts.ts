import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'

/**
 * Hosts by status as people see it: `pending` until the first report, `active` while reports
 * arrive within two update intervals, `inactive` after that. One grouped query.
 */
export async function hostCountsByStatus(
  db: Kysely<DB>,
  updateIntervalMinutes: number
): Promise<Record<'pending' | 'active' | 'inactive', number>> {
  const staleBefore = new Date(Date.now() - 2 * updateIntervalMinutes * 60_000).toISOString()
  const rows = await db
    .selectFrom('hosts')
    .select((eb) => [
      eb
        .case()
        .when('status', '=', 'pending')
        .then('pending')
        .when('last_update', 'is', null)
        .then('pending')
        .when('last_update', '<', staleBefore)
        .then('inactive')
        .else('active')
        .end()
        .as('state'),
      eb.fn.countAll<number>().as('n')
    ])
    .groupBy('state')
    .execute()
  const counts = { pending: 0, active: 0, inactive: 0 }
  for (const row of rows) counts[row.state as keyof typeof counts] = Number(row.n)
  return counts
}
