// GET /api/v1/patching/audit (can_view_hosts): who triggered, approved, stopped or deleted which
// run, and who changed which policy, newest first; filters run_id, host_id, action; paged.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SECURITY } from '../../http/openapi.js'
import { ErrorReply } from '../../http/schema-fragments.js'
import { auditPage } from './patch-audit.js'
import { AuditPage, AuditQuery } from './audit-schemas.js'

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/patching/audit',
    {
      schema: {
        tags: ['patching'],
        summary: 'Patching audit trail, newest first',
        security: SECURITY.bearer,
        querystring: AuditQuery,
        response: {
          200: AuditPage,
          401: ErrorReply,
          403: ErrorReply
        }
      },
      preHandler: app.requirePermission('can_view_hosts'),
      config: { rateLimit: app.rateLimitBucket('general'), validationShape: 'single' as const }
    },
    async (request) => {
      const limit = request.query.limit ?? 100
      const offset = request.query.offset ?? 0
      const page = await auditPage(app.store.db, {
        limit,
        offset,
        runId: request.query.run_id,
        hostId: request.query.host_id,
        action: request.query.action
      })
      return { ...page, limit, offset }
    }
  )
}
