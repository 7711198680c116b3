// The rules of destination changes and of the test send: the provider parses (and validates) the
// config, names are trimmed, secrets left out of an update are kept, and a test goes through the
// normal delivery path. The routes only parse and reply; SQL stays in destination-store.ts.
import type { Static } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { notFound } from '../http/errors.js'
import { alertNotice, TEST_EVENT } from './event-catalog.js'
import { DESTINATION_NOT_FOUND, findDestination, insertDestination, publicDestination, updateDestination } from './destination-store.js'
import { findDeliveryView } from './delivery-log-store.js'
import type { CreateDestinationBody, UpdateDestinationBody } from './notification-schemas.js'
import { providerFor } from './providers/index.js'
import { publicServerUrl } from './public-server-url.js'

/** Adds a destination and returns its public (masked) view. */
export async function createDestination(app: FastifyInstance, body: Static<typeof CreateDestinationBody>) {
  const created = await insertDestination(app.store.db, app.secretBox, {
    channelType: body.channel_type,
    displayName: body.display_name.trim(),
    config: providerFor(body.channel_type).parseConfig(body.config),
    enabled: body.enabled !== false
  })
  return publicDestination(created)
}

/** Applies the fields sent (404 when there is no such destination) and returns the public view. */
export async function changeDestination(app: FastifyInstance, id: string, body: Static<typeof UpdateDestinationBody>) {
  const current = await findDestination(app.store.db, app.secretBox, id)
  if (!current) throw notFound(DESTINATION_NOT_FOUND)
  const nextConfig = body.config ? providerFor(current.channelType).parseConfig(body.config, current.config) : current.config
  const updated = await updateDestination(app.store.db, app.secretBox, current.id, {
    ...(body.display_name !== undefined ? { displayName: body.display_name.trim() } : {}),
    ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
    ...(body.config ? { config: nextConfig } : {})
  })
  return publicDestination(updated)
}

/** Sends a test notice through the queue, waits for its first attempt and reports the outcome. */
export async function sendTestNotification(app: FastifyInstance, destinationId: string) {
  const destination = await findDestination(app.store.db, app.secretBox, destinationId)
  if (!destination) throw notFound(DESTINATION_NOT_FOUND)
  const svc = app.notifications
  const notice = alertNotice('test', TEST_EVENT, svc.now(), await publicServerUrl(app))
  const [deliveryId] = await svc.sendTo([destination.id], { eventType: 'test', notice })
  await svc.waitForAttempt(deliveryId!, svc.http.timeoutMs + 1_000)
  const delivery = await findDeliveryView(app.store.db, deliveryId!)
  const message =
    delivery.status === 'sent'
      ? 'Test notification sent'
      : `Test notification not delivered yet: ${delivery.error_message ?? delivery.status}`
  return { message, delivery }
}
