// GET /api/v1/patching/audit (can_view_hosts): who triggered, approved, stopped or deleted which
// run, and who changed which policy, newest first; filters run_id, host_id, action; paged.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SECURITY } from '../../http/openapi.js'
import { ErrorReply } from '../../http/schema-fragments.js'
import { auditPage } from './patch-audit.js'

const Entry = Type.Object({
  id: Type.String(),
  action: Type.String({
    description:
      'trigger, approve, stop, delete, retry_validation, policy_create, policy_update, policy_delete, policy_assign, policy_unassign, policy_exclude, policy_unexclude'
  }),
  user_id: Type.Union([Type.String(), Type.Null()]),
  username: Type.Union([Type.String(), Type.Null()]),
  run_id: Type.Union([Type.String(), Type.Null()]),
  host_id: Type.Union([Type.String(), Type.Null()]),
  policy_id: Type.Union([Type.String(), Type.Null()]),
  details: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  created_at: Type.String()
})

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/patching/audit',
    {
      schema: {
        tags: ['patching'],
        summary: 'Patching audit trail, newest first',
        security: SECURITY.bearer,
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          run_id: Type.Optional(Type.String({ maxLength: 64 })),
          host_id: Type.Optional(Type.String({ maxLength: 64 })),
          action: Type.Optional(Type.String({ maxLength: 32 }))
        }),
        response: {
          200: Type.Object({ entries: Type.Array(Entry), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }),
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
