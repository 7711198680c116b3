// /api/v1/notifications/destinations (CRUD) and /api/v1/notifications/test.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { notFound } from '../http/errors.js'
import { SECURITY } from '../http/openapi.js'
import { DESTINATION_NOT_FOUND, deleteDestination, listDestinations, publicDestination } from './destination-store.js'
import { changeDestination, createDestination, sendTestNotification } from './destination-service.js'
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
      config: { ...config, audit: { action: 'destination.create', target: 'destination' } }
    },
    async (request, reply) => {
      const created = await createDestination(app, request.body)
      request.log.info({ destinationId: created.id, channelType: created.channel_type }, 'notification destination created')
      return reply.code(201).send(created)
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
      config: { ...config, audit: { action: 'destination.update', target: 'destination' } }
    },
    async (request) => changeDestination(app, request.params.id, request.body)
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
      config: { ...config, audit: { action: 'destination.delete', target: 'destination' } }
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
      config: { audit: { action: 'destination.test' }, ...config, validationMessages: TEST_MESSAGES }
    },
    async (request) => sendTestNotification(app, request.body.destination_id)
  )
}
