// /api/v1/notifications/delivery-log: every delivery, newest first, with the remote status and
// error (URL redacted), filterable by destination, event, status and time.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { SECURITY } from '../http/openapi.js'
import type { DeliveryRow } from '../store/database-types.js'
import { canonicalEventName } from './event-catalog.js'
import { DeliveryLogQuery, DeliveryView } from './notification-schemas.js'

export function deliveryView(row: DeliveryRow) {
  const { payload: _payload, ...rest } = row
  return rest
}

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
        validationMessages: {
          limit: 'limit must be a number from 1 to 500',
          offset: 'offset must be a number',
          since: 'since must be an ISO-8601 date-time',
          until: 'until must be an ISO-8601 date-time',
          status: 'status must be one of pending, sending, sent, failed'
        }
      }
    },
    async (request) => {
      const q = request.query
      const limit = Math.min(500, Math.max(1, Number(q.limit ?? 50)))
      const offset = Number(q.offset ?? 0)
      const eventType = q.event_type ? (canonicalEventName(q.event_type) ?? q.event_type) : undefined
      let query = db.selectFrom('notification_deliveries')
      if (q.destination_id) query = query.where('destination_id', '=', q.destination_id)
      if (eventType) query = query.where('event_type', '=', eventType)
      if (q.status) query = query.where('status', '=', q.status)
      if (q.since) query = query.where('created_at', '>=', new Date(q.since).toISOString())
      if (q.until) query = query.where('created_at', '<=', new Date(q.until).toISOString())
      const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      const rows = await query.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(limit).offset(offset).execute()
      return { deliveries: rows.map(deliveryView), total: Number(total.n), limit, offset }
    }
  )
}
