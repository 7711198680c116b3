// POST /api/v1/hosts/bulk/preview and POST /api/v1/hosts/bulk: select hosts (ids or the host list's
// filters) and assign or remove groups, ask for a report, update the agent, rotate credentials or
// delete. The preview names what will happen; the action returns what happened, per host.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { SECURITY } from '../http/openapi.js'
import { forbidden } from '../http/errors.js'
import { userOf } from '../http/session-auth.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { ErrorMessageReply } from '../http/schema-fragments.js'
import { Type } from '@fastify/type-provider-typebox'
import { auditDetail, auditTarget } from '../audit/audit-hooks.js'
import { planBatch } from './bulk-plan.js'
import { previewBatch } from './bulk-describe.js'
import { runBatch } from './bulk-run.js'
import { BulkBody, PreviewReply, RunReply, type BulkAction } from './bulk-schemas.js'

const E = ERROR_MESSAGES.hostBulk
const MESSAGES = {
  action: E.action.message,
  host_ids: E.hostIds.message,
  filter: E.filter.message,
  host_group_ids: E.hostGroupIds.message
}

/** A rule of the route ({error, message?}, with the limit and the count for too large a selection) or the validation list. */
const BulkBadRequest = Type.Union([
  Type.Object({
    error: Type.String(),
    message: Type.Optional(Type.String()),
    max: Type.Optional(Type.Integer()),
    selected: Type.Optional(Type.Integer())
  }),
  Type.Object({ errors: Type.Array(Type.Object({ msg: Type.String(), param: Type.String(), location: Type.String() })) })
])

/**
 * The permission each action's single-host route checks (host-routes.ts for groups, credentials and
 * delete; agent-control-routes.ts for report-now and update-agent). The route guard is their common
 * one; this map keeps the rule per action if one of them ever changes.
 */
const ACTION_PERMISSION = {
  assign_groups: 'can_manage_hosts',
  remove_groups: 'can_manage_hosts',
  report_now: 'can_manage_hosts',
  update_agent: 'can_manage_hosts',
  rotate_credentials: 'can_manage_hosts',
  delete: 'can_manage_hosts'
} as const satisfies Record<BulkAction, string>

function checkActionPermission(request: FastifyRequest, action: BulkAction): void {
  if (!userOf(request).permissions.has(ACTION_PERMISSION[action])) throw forbidden()
}

/** The batch's own audit entry (written by the route hook): the batch id, its sentence and its counts. */
function auditBatch(request: FastifyRequest, result: Awaited<ReturnType<typeof runBatch>>): void {
  auditTarget(request, { type: 'host_bulk', id: result.id, label: result.summary })
  auditDetail(request, {
    bulk_action: result.action,
    hosts: result.total,
    succeeded: result.succeeded,
    skipped: result.skipped,
    failed: result.failed
  })
}

export const bulkActionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = { rateLimit: app.rateLimitBucket('general'), validationMessages: MESSAGES }
  const manage = app.requirePermission('can_manage_hosts')
  const errors = { 400: BulkBadRequest, 403: ErrorMessageReply }

  app.post(
    '/api/v1/hosts/bulk/preview',
    {
      schema: {
        tags: ['hosts'],
        summary: 'What a bulk host action would do, per host, without doing it',
        security: SECURITY.bearer,
        body: BulkBody,
        response: { 200: PreviewReply, ...errors }
      },
      preHandler: manage,
      config: { ...config, audit: { notAudited: 'a read-only preview: nothing changes' } }
    },
    async (request) => {
      checkActionPermission(request, request.body.action)
      return previewBatch(await planBatch(app, request.body))
    }
  )

  app.post(
    '/api/v1/hosts/bulk',
    {
      schema: {
        tags: ['hosts'],
        summary: 'Run a bulk host action; the reply lists what happened to each host',
        description: 'rotate_credentials returns each new API key once, in `credentials`.',
        security: SECURITY.bearer,
        body: BulkBody,
        response: { 200: RunReply, ...errors }
      },
      preHandler: manage,
      config: { ...config, audit: { action: 'host.bulk' } }
    },
    async (request) => {
      checkActionPermission(request, request.body.action)
      const result = await runBatch(app, request, request.body)
      auditBatch(request, result)
      return result
    }
  )
}
