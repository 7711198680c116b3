// /api/v1/patching/* for people (facts/patching.md §3): dashboard, preview, run lists and detail,
// trigger, approve, retry-validation, stop, delete. Reading needs can_view_hosts, changing needs
// can_manage_patching. Handlers translate HTTP only; rules live in the services.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { userOf } from '../../http/session-auth.js'
import { SECURITY } from '../../http/openapi.js'
import { ErrorMessageReply, ErrorReply, MessageReply } from '../../http/schema-fragments.js'
import {
  ApproveBody,
  ApproveReply,
  DashboardReply,
  PatchRunDetail,
  PreviewReply,
  RunIdParams,
  RunListQuery,
  RunListReply,
  TriggerBody,
  TriggerReply,
  PatchRun,
  StopReply
} from './run-schemas.js'
import { activeRunList, patchingDashboard, previewRun, requireRunId, runDetail, runList } from './run-reads.js'
import { approveRun, deletePatchRun, retryValidation, stopRun, triggerRun } from './run-actions.js'

const TAGS = ['patching']
const errors = { 400: ErrorMessageReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorMessageReply }

export const runRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const view = app.requirePermission('can_view_hosts')
  const manage = app.requirePermission('can_manage_patching')
  const config = { rateLimit: app.rateLimitBucket('general'), validationShape: 'single' as const }
  const base = { tags: TAGS, security: SECURITY.bearer }

  app.get(
    '/api/v1/patching/dashboard',
    {
      schema: { ...base, summary: 'Run counts by status, recent and active runs', response: { 200: DashboardReply, ...errors } },
      preHandler: view,
      config
    },
    async () => patchingDashboard(app)
  )

  app.get(
    '/api/v1/patching/preview-run',
    {
      schema: {
        ...base,
        summary: "When a run triggered now would start (the host's effective policy)",
        querystring: Type.Object({ host_id: Type.Optional(Type.String({ maxLength: 64 })) }),
        response: { 200: PreviewReply, ...errors }
      },
      preHandler: view,
      config
    },
    async (request) => previewRun(app, request.query.host_id)
  )

  app.get(
    '/api/v1/patching/runs/active',
    {
      schema: {
        ...base,
        summary: 'Runs queued, running or awaiting validation/approval, oldest first',
        response: { 200: Type.Object({ runs: Type.Array(PatchRun) }), ...errors }
      },
      preHandler: view,
      config
    },
    async () => activeRunList(app)
  )

  app.get(
    '/api/v1/patching/runs',
    {
      schema: {
        ...base,
        summary: 'Runs, filtered, sorted and paged',
        querystring: RunListQuery,
        response: { 200: RunListReply, ...errors }
      },
      preHandler: view,
      config
    },
    async (request) => runList(app, request.query)
  )

  app.get(
    '/api/v1/patching/runs/:id',
    {
      schema: {
        ...base,
        summary: 'One run with its output, policy snapshot and host',
        params: RunIdParams,
        response: { 200: PatchRunDetail, ...errors }
      },
      preHandler: view,
      config
    },
    async (request) => runDetail(app, request.params.id)
  )

  app.post(
    '/api/v1/patching/trigger',
    {
      schema: {
        ...base,
        summary: 'Start a patch run (or a dry run, or submit one for approval)',
        body: TriggerBody,
        response: { 200: TriggerReply, ...errors }
      },
      preHandler: manage,
      config: { ...config, audit: { action: 'patch_run.trigger', target: 'patch_run' } }
    },
    async (request) => triggerRun(app, request.body, userOf(request).id)
  )

  app.post(
    '/api/v1/patching/runs/:id/approve',
    {
      schema: {
        ...base,
        summary: 'Approve a validated or pending run: creates the real run',
        params: RunIdParams,
        body: ApproveBody,
        response: { 200: ApproveReply, ...errors }
      },
      preHandler: manage,
      preValidation: async (request) => {
        request.body ??= null
      },
      config: { ...config, audit: { action: 'patch_run.approve', target: 'patch_run' } }
    },
    async (request) => {
      const override = request.body?.schedule_override === 'immediate' ? 'immediate' : undefined
      return approveRun(app, requireRunId(request.params.id), userOf(request).id, override)
    }
  )

  app.post(
    '/api/v1/patching/runs/:id/retry-validation',
    {
      schema: {
        ...base,
        summary: 'Send a pending dry run to the agent again',
        params: RunIdParams,
        response: { 200: Type.Object({ message: Type.String(), patch_run_id: Type.String() }), ...errors }
      },
      preHandler: manage,
      config: { ...config, audit: { action: 'patch_run.retry_validation', target: 'patch_run' } }
    },
    async (request) => retryValidation(app, requireRunId(request.params.id), userOf(request).id)
  )

  app.post(
    '/api/v1/patching/runs/:id/stop',
    {
      schema: {
        ...base,
        summary: 'Stop a run: cancelled at once, the agent is told if it may be running it',
        params: RunIdParams,
        response: { 200: StopReply, ...errors }
      },
      preHandler: manage,
      config: { ...config, audit: { action: 'patch_run.stop', target: 'patch_run' } }
    },
    async (request) => stopRun(app, requireRunId(request.params.id), userOf(request).id)
  )

  app.delete(
    '/api/v1/patching/runs/:id',
    {
      schema: { ...base, summary: 'Delete a run that has not started', params: RunIdParams, response: { 200: MessageReply, ...errors } },
      preHandler: manage,
      config: { ...config, audit: { action: 'patch_run.delete', target: 'patch_run' } }
    },
    async (request) => deletePatchRun(app, requireRunId(request.params.id), userOf(request).id)
  )
}
