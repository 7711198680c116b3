// The notification log as the API reads it: filtered, newest first, paged, never the payload.
import type { Kysely } from 'kysely'
import type { DB, DeliveryRow } from '../store/database-types.js'
import { canonicalEventName } from './event-catalog.js'
import { inHostScope } from '../hosts/host-scope.js'

export interface DeliveryFilter {
  destinationId?: string | undefined
  eventType?: string | undefined
  status?: string | undefined
  since?: string | undefined
  until?: string | undefined
}

/** A delivery as the API shows it: the stored payload stays inside. */
export function deliveryView(row: DeliveryRow) {
  const { payload: _payload, ...rest } = row
  return rest
}

export async function findDeliveryView(db: Kysely<DB>, id: string) {
  return deliveryView(await db.selectFrom('notification_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow())
}

export async function listDeliveries(db: Kysely<DB>, filter: DeliveryFilter, limit: number, offset: number) {
  // A user limited to host groups sees deliveries about their hosts only (reference_id is the host's
  // id for host events); others, whose subject may be any host or none, stay hidden from them.
  let query = db.selectFrom('notification_deliveries').where(inHostScope('notification_deliveries.reference_id'))
  if (filter.destinationId) query = query.where('destination_id', '=', filter.destinationId)
  if (filter.eventType) query = query.where('event_type', '=', filter.eventType)
  if (filter.status) query = query.where('status', '=', filter.status)
  if (filter.since) query = query.where('created_at', '>=', filter.since)
  if (filter.until) query = query.where('created_at', '<=', filter.until)
  const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const rows = await query.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(limit).offset(offset).execute()
  return { deliveries: rows.map(deliveryView), total: Number(total.n) }
}

/** The log's query string as sent (digits and ISO dates as text). */
export interface DeliveryLogQuery {
  destination_id?: string | undefined
  event_type?: string | undefined
  status?: string | undefined
  since?: string | undefined
  until?: string | undefined
  limit?: string | undefined
  offset?: string | undefined
}

/** One page of the log: limit 1-500 (default 50), upstream event names read as the spec's. */
export async function deliveryLogPage(db: Kysely<DB>, q: DeliveryLogQuery) {
  const limit = Math.min(500, Math.max(1, Number(q.limit ?? 50)))
  const offset = Number(q.offset ?? 0)
  const filter = {
    destinationId: q.destination_id,
    eventType: q.event_type ? (canonicalEventName(q.event_type) ?? q.event_type) : undefined,
    status: q.status,
    since: q.since ? new Date(q.since).toISOString() : undefined,
    until: q.until ? new Date(q.until).toISOString() : undefined
  }
  return { ...(await listDeliveries(db, filter, limit, offset)), limit, offset }
}
