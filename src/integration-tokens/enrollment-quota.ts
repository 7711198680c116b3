// The per-token daily enrollment cap (kept here, beside the credentials table it counts in;
// enrollment calls it). The day is the calendar day in the server's time zone (TZ),
// the same clock scheduled reports use; the counter counts as 0 once the stored day is not today.
// Check and increment happen in one transaction, so parallel enrollments can never overshoot
// (SQLite runs write transactions one at a time).
import type { Kysely } from 'kysely'
import type { DB, TokenRow } from '../store/database-types.js'

/** YYYY-MM-DD of `now` in the process time zone. */
export function localDay(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

/** Hosts this token may still enroll today. */
export function remainingToday(token: Pick<TokenRow, 'max_hosts_per_day' | 'hosts_created_today' | 'last_reset_date'>, now: Date): number {
  const used = token.last_reset_date === localDay(now) ? token.hosts_created_today : 0
  return Math.max(0, token.max_hosts_per_day - used)
}

export type Reservation = { ok: true } | { ok: false; remaining: number; max: number }

/**
 * Takes `count` enrollments from today's quota, all or nothing, and marks the token used.
 * A failed host creation gives its slot back with releaseEnrollments.
 */
export async function reserveEnrollments(db: Kysely<DB>, tokenId: string, count: number, now: Date): Promise<Reservation> {
  const today = localDay(now)
  return db.transaction().execute(async (trx) => {
    const token = await trx
      .selectFrom('auto_enrollment_tokens')
      .select(['max_hosts_per_day', 'hosts_created_today', 'last_reset_date'])
      .where('id', '=', tokenId)
      .executeTakeFirst()
    if (!token) return { ok: false, remaining: 0, max: 0 }
    const remaining = remainingToday(token, now)
    if (count > remaining) return { ok: false, remaining, max: token.max_hosts_per_day }
    const used = token.max_hosts_per_day - remaining
    await trx
      .updateTable('auto_enrollment_tokens')
      .set({ hosts_created_today: used + count, last_reset_date: today, last_used_at: now.toISOString() })
      .where('id', '=', tokenId)
      .execute()
    return { ok: true }
  })
}

/** Gives back slots taken by reserveEnrollments for hosts that were not created (same day only). */
export async function releaseEnrollments(db: Kysely<DB>, tokenId: string, count: number, now: Date): Promise<void> {
  if (count <= 0) return
  await db
    .updateTable('auto_enrollment_tokens')
    .set((eb) => ({ hosts_created_today: eb('hosts_created_today', '-', count) }))
    .where('id', '=', tokenId)
    .where('last_reset_date', '=', localDay(now))
    .where('hosts_created_today', '>=', count)
    .execute()
}
