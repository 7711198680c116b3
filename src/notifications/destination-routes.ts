// /api/v1/notifications/destinations (CRUD) and /api/v1/notifications/test.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { notFound } from '../http/errors.js'
import { SECURITY } from '../http/openapi.js'
import { alertNotice, TEST_EVENT } from './event-catalog.js'
import {
  DESTINATION_NOT_FOUND,
  deleteDestination,
  findDestination,
  insertDestination,
  listDestinations,
  publicDestination,
  updateDestination
} from './destination-store.js'
import {
  CreateDestinationBody,
  DESTINATION_MESSAGES,
  DestinationView,
  DeliveryView,
  TEST_MESSAGES,
  TestBody,
  UpdateDestinationBody
} from './notification-schemas.js'
import { IdParams, MessageReply as Message } from '../http/schema-fragments.js'
import { providerFor } from './providers/index.js'
import { findDeliveryView } from './delivery-log-store.js'
import { publicServerUrl } from './public-server-url.js'

const TAGS = ['notifications']

export const destinationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.store.db
  const manage = { preHandler: app.requirePermission('can_manage_notifications') }
  const config = { rateLimit: app.rateLimitBucket('general'), validationShape: 'single' as const, validationMessages: DESTINATION_MESSAGES }

  app.get(
    '/api/v1/notifications/destinations',
    {
      schema: {
        tags: TAGS,
        summary: 'List alert destinations (secrets masked)',
        security: SECURITY.bearer,
        response: { 200: Type.Array(DestinationView) }
      },
      ...manage,
      config
    },
    async () => (await listDestinations(db, app.secretBox)).map(publicDestination)
  )

  app.post(
    '/api/v1/notifications/destinations',
    {
      schema: {
        tags: TAGS,
        summary: 'Add a destination (webhook: Discord and Slack URLs are auto-detected for rich formatting)',
        security: SECURITY.bearer,
        body: CreateDestinationBody,
        response: { 201: DestinationView }
      },
      ...manage,
      config
    },
    async (request, reply) => {
      const body = request.body
      const parsed = providerFor(body.channel_type).parseConfig(body.config)
      const created = await insertDestination(db, app.secretBox, {
        channelType: body.channel_type,
        displayName: body.display_name.trim(),
        config: parsed,
        enabled: body.enabled !== false
      })
      request.log.info({ destinationId: created.id, channelType: body.channel_type }, 'notification destination created')
      return reply.code(201).send(publicDestination(created))
    }
  )

  app.put(
    '/api/v1/notifications/destinations/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Update a destination; secrets left out of config are kept',
        security: SECURITY.bearer,
        params: IdParams,
        body: UpdateDestinationBody,
        response: { 200: DestinationView }
      },
      ...manage,
      config
    },
    async (request) => {
      const current = await findDestination(db, app.secretBox, request.params.id)
      if (!current) throw notFound(DESTINATION_NOT_FOUND)
      const body = request.body
      const nextConfig = body.config ? providerFor(current.channelType).parseConfig(body.config, current.config) : current.config
      const updated = await updateDestination(db, app.secretBox, current.id, {
        ...(body.display_name !== undefined ? { displayName: body.display_name.trim() } : {}),
        ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
        ...(body.config ? { config: nextConfig } : {})
      })
      return publicDestination(updated)
    }
  )

  app.delete(
    '/api/v1/notifications/destinations/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete a destination and its routing rules (revoke the webhook at the provider too)',
        security: SECURITY.bearer,
        params: IdParams,
        response: { 200: Message }
      },
      ...manage,
      config
    },
    async (request) => {
      if (!(await deleteDestination(db, request.params.id))) throw notFound(DESTINATION_NOT_FOUND)
      return { message: 'Destination deleted successfully' }
    }
  )

  app.post(
    '/api/v1/notifications/test',
    {
      schema: {
        tags: TAGS,
        summary: 'Send a test notification through the normal delivery path and report the first attempt',
        security: SECURITY.bearer,
        body: TestBody,
        response: { 200: Type.Object({ message: Type.String(), delivery: DeliveryView }) }
      },
      ...manage,
      config: { ...config, validationMessages: TEST_MESSAGES }
    },
    async (request) => {
      const destination = await findDestination(db, app.secretBox, request.body.destination_id)
      if (!destination) throw notFound(DESTINATION_NOT_FOUND)
      const svc = app.notifications
      const notice = alertNotice('test', TEST_EVENT, svc.now(), await publicServerUrl(app))
      const [deliveryId] = await svc.sendTo([destination.id], { eventType: 'test', notice })
      await svc.waitForAttempt(deliveryId!, svc.http.timeoutMs + 1_000)
      const delivery = await findDeliveryView(db, deliveryId!)
      const message =
        delivery.status === 'sent'
          ? 'Test notification sent'
          : `Test notification not delivered yet: ${delivery.error_message ?? delivery.status}`
      return { message, delivery }
    }
  )
}
