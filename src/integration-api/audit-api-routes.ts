// The audit log on the Integration API (issue 18 part 4): Basic auth with an `api` credential whose
// scopes grant `audit: ["get"]`, the same filters and paging as the dashboard's GET /api/v1/audit.
//   GET /api/v1/api/audit
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SECURITY } from '../http/openapi.js'
import { ErrorMessageReply } from '../http/schema-fragments.js'
import { integrationBasicAuth } from '../integration-tokens/basic-auth.js'
import { AuditListQuery, AuditListReply } from '../audit/audit-schemas.js'
import { auditList } from '../audit/audit-service.js'
import { requireScope } from './scope-guard.js'

const errors = { 401: ErrorMessageReply, 403: ErrorMessageReply }

export const auditApiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/api/audit',
    {
      schema: {
        tags: ['integration api'],
        security: SECURITY.basic,
        summary: 'Audit log entries, newest first, filtered and paged (audit:get)',
        querystring: AuditListQuery,
        response: { 200: AuditListReply, ...errors }
      },
      preHandler: [integrationBasicAuth(app, 'api'), requireScope('audit', 'get')],
      config: { rateLimit: app.rateLimitBucket('general') }
    },
    async (request) => auditList(app, request.query)
  )
}
