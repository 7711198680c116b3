// From a bus event (or an event_outbox row left by a crash) to delivery rows: render the notice,
// match the rules, record the deliveries and consume the outbox row in one transaction.
import type { FastifyInstance } from 'fastify'
import type { AppEventMap, EventMeta } from '../events/app-events.js'
import { consumeOutboxRow, pendingOutboxRows } from '../events/event-outbox.js'
import { alertNotice, NOTIFIABLE_EVENTS, renderEvent, type NotifiableEvent } from './event-catalog.js'
import type { NotificationService } from './notification-service.js'
import { publicServerUrl } from './public-server-url.js'

export type RoutedEvent = Exclude<NotifiableEvent, 'test'>

export const ROUTED_EVENTS = NOTIFIABLE_EVENTS.filter((name): name is RoutedEvent => name !== 'test')

export async function routeEvent<K extends RoutedEvent>(
  app: FastifyInstance,
  service: NotificationService,
  name: K,
  payload: AppEventMap[K],
  meta: EventMeta
): Promise<void> {
  const rendered = renderEvent(name, payload)
  // A row recovered after a restart keeps the time its cause committed, not the restart's.
  const notice = alertNotice(name, rendered, meta.occurredAt ?? service.now(), await publicServerUrl(app))
  await service.notifyEvent({
    eventType: name,
    notice,
    referenceId: rendered.hostId ?? rendered.referenceId ?? null,
    ...(rendered.hostId ? { hostId: rendered.hostId } : {}),
    ...(meta.outboxId !== undefined ? { outboxId: meta.outboxId } : {})
  })
}

/**
 * Every outbox row still present is an event whose change committed but whose deliveries were
 * never recorded (the process died in between, or the listener failed). Run on start, before
 * pending deliveries are re-queued, and every minute for rows older than `olderThan` (a listener
 * that failed while running: a full disk that has been cleared). A row that fails again stays.
 */
export async function routeOutboxLeftovers(
  app: FastifyInstance,
  service: NotificationService,
  olderThan?: Date
): Promise<{ routed: number; failed: number }> {
  const rows = await pendingOutboxRows(app.store.db, olderThan)
  const result = { routed: 0, failed: 0 }
  for (const row of rows) {
    if (!(ROUTED_EVENTS as string[]).includes(row.event_name)) {
      app.log.warn({ outboxId: row.id, event: row.event_name }, 'outbox event is not notifiable, dropped')
      await consumeOutboxRow(app.store.db, row.id)
      continue
    }
    try {
      // The row was written from the typed payload of this very event name, hence the cast.
      await routeEvent(app, service, row.event_name as RoutedEvent, JSON.parse(row.payload) as never, {
        outboxId: row.id,
        occurredAt: new Date(row.created_at)
      })
      result.routed++
    } catch (err) {
      result.failed++
      app.log.error({ err, outboxId: row.id, event: row.event_name }, 'outbox event could not be routed, kept for the next try')
    }
  }
  if (rows.length > 0)
    app.log.info(result, olderThan ? 'outbox events whose listener failed routed again' : 'outbox events left by the previous run routed')
  return result
}
