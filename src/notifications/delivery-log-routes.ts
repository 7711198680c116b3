// /api/v1/notifications/delivery-log: every delivery, newest first, with the remote status and
// error (URL redacted), filterable by destination, event, status and time.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { SECURITY } from '../http/openapi.js'
import { canonicalEventName } from './event-catalog.js'
import { DELIVERY_LOG_MESSAGES, DeliveryLogQuery, DeliveryView } from './notification-schemas.js'
import { listDeliveries } from './delivery-log-store.js'

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
    async (request) => {
      const q = request.query
      const limit = Math.min(500, Math.max(1, Number(q.limit ?? 50)))
      const offset = Number(q.offset ?? 0)
      const eventType = q.event_type ? (canonicalEventName(q.event_type) ?? q.event_type) : undefined
      const filter = {
        destinationId: q.destination_id,
        eventType,
        status: q.status,
        since: q.since ? new Date(q.since).toISOString() : undefined,
        until: q.until ? new Date(q.until).toISOString() : undefined
      }
      return { ...(await listDeliveries(db, filter, limit, offset)), limit, offset }
    }
  )
}
