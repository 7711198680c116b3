// /api/v1/notifications/delivery-log: every delivery, newest first, with the remote status and
// error (URL redacted), filterable by destination, event, status and time.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { SECURITY } from '../http/openapi.js'
import { DELIVERY_LOG_MESSAGES, DeliveryLogQuery, DeliveryView } from './notification-schemas.js'
import { deliveryLogPage } from './delivery-log-store.js'

export const deliveryLogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.store.db
  app.get(
    '/api/v1/notifications/delivery-log',
    {
      schema: {
        tags: ['notifications'],
        summary: 'Notification log: what was sent where, and why a delivery failed',
        security: SECURITY.bearer,
        querystring: DeliveryLogQuery,
        response: {
          200: Type.Object({ deliveries: Type.Array(DeliveryView), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() })
        }
      },
      preHandler: app.requirePermission('can_view_notification_logs'),
      config: {
        rateLimit: app.rateLimitBucket('general'),
        validationShape: 'single',
        validationMessages: DELIVERY_LOG_MESSAGES
      }
    },
    async (request) => deliveryLogPage(db, request.query)
  )
}
