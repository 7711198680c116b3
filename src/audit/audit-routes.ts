// The audit log for people: GET /api/v1/audit (filtered page), /api/v1/audit/actions (the names
// recorded so far, for the filter list) and /api/v1/audit/export (CSV of the same filters). All
// need can_view_audit_log. The Integration API's read route is integration-api/audit-api-routes.ts.
import { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SECURITY } from '../http/openapi.js'
import { recordedActions } from './audit-queries.js'
import { AuditActionsReply, AuditFilterQuery, AuditListQuery, AuditListReply } from './audit-schemas.js'
import { auditCsv, auditList } from './audit-service.js'

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const common = { tags: ['audit'], security: SECURITY.bearer }
  const preHandler = app.requirePermission('can_view_audit_log')
  const config = { rateLimit: app.rateLimitBucket('general') }

  app.get(
    '/api/v1/audit',
    {
      schema: {
        ...common,
        summary: 'Audit log entries, newest first, filtered and paged',
        querystring: AuditListQuery,
        response: { 200: AuditListReply }
      },
      preHandler,
      config
    },
    async (request) => auditList(app, request.query)
  )

  app.get(
    '/api/v1/audit/actions',
    { schema: { ...common, summary: 'Action names recorded so far', response: { 200: AuditActionsReply } }, preHandler, config },
    async () => ({ actions: await recordedActions(app.store.db) })
  )

  app.get(
    '/api/v1/audit/export',
    {
      schema: { ...common, summary: 'The filtered audit log as CSV', querystring: AuditFilterQuery, produces: ['text/csv'] },
      preHandler,
      config
    },
    async (request, reply) => {
      const body = Readable.from(auditCsv(app, request.query))
      const day = new Date().toISOString().slice(0, 10)
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="patchmon-audit-${day}.csv"`)
        .send(body)
    }
  )
}
