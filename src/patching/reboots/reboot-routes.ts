// POST /api/v1/patching/reboots: reboot a host now or later (a run of patch_type `reboot`: the
// reboot_host frame, only to agents that announce the reboot_host capability; 409 otherwise).
// /api/v1/patching/reboot-exemptions[/:hostId]: hosts that never get a reboot frame.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { ErrorMessageReply } from '../../http/schema-fragments.js'
import { SECURITY } from '../../http/openapi.js'
import { userOf } from '../../http/session-auth.js'
import { notFound } from '../../http/errors.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import { recordPatchingChange } from '../patching-audit.js'
import { HostIdParams } from '../holds/hold-schemas.js'
import { launchPatchRun } from '../runs/patch-run-service.js'
import { deleteExemption, listExemptions } from './exemption-queries.js'
import { exemptHost } from './reboot-service.js'
import { ExemptionListView, ExemptionView, RebootBody, RebootReply } from './reboot-schemas.js'

const TAGS = ['patching']

export const rebootRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.store.db
  const view = { preHandler: app.requirePermission('can_view_hosts') }
  const manage = { preHandler: app.requirePermission('can_manage_patching') }
  const config = { rateLimit: app.rateLimitBucket('general') }

  app.post(
    '/api/v1/patching/reboots',
    {
      schema: {
        tags: TAGS,
        summary: 'Reboot a host (reboot_host frame; agents with the reboot_host capability only)',
        security: SECURITY.bearer,
        body: RebootBody,
        response: { 200: RebootReply, 404: ErrorMessageReply, 409: ErrorMessageReply }
      },
      ...manage,
      config: { ...config, audit: { action: 'host.reboot' } }
    },
    async (request) => {
      const { host_id, run_at } = request.body
      const run = await launchPatchRun(app, {
        hostId: host_id,
        patchType: 'reboot',
        runAt: run_at ? new Date(run_at) : null,
        triggeredBy: { userId: userOf(request).id, source: 'user' }
      })
      return { message: run_at ? 'Reboot scheduled' : 'Reboot queued', patch_run_id: run.id, run_at: run.run_at ?? null }
    }
  )

  app.get(
    '/api/v1/patching/reboot-exemptions',
    {
      schema: {
        tags: TAGS,
        summary: 'Hosts exempt from reboots',
        security: SECURITY.bearer,
        response: { 200: ExemptionListView }
      },
      ...view,
      config
    },
    async () => ({ exemptions: await listExemptions(db) })
  )

  app.put(
    '/api/v1/patching/reboot-exemptions/:hostId',
    {
      schema: {
        tags: TAGS,
        summary: 'Exempt a host from reboots',
        security: SECURITY.bearer,
        params: HostIdParams,
        body: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }),
        response: { 200: ExemptionView, 404: ErrorMessageReply }
      },
      ...manage,
      config: { ...config, audit: { action: 'host.reboot_exempt', target: 'host', idParam: 'hostId' } }
    },
    async (request) => {
      return exemptHost(app, request, request.params.hostId, request.body.reason ?? null)
    }
  )

  app.delete(
    '/api/v1/patching/reboot-exemptions/:hostId',
    {
      schema: {
        tags: TAGS,
        summary: 'End a reboot exemption',
        security: SECURITY.bearer,
        params: HostIdParams,
        response: { 204: Type.Null(), 404: ErrorMessageReply }
      },
      ...manage,
      config: { ...config, audit: { action: 'host.reboot_unexempt', target: 'host', idParam: 'hostId' } }
    },
    async (request, reply) => {
      if (!(await deleteExemption(db, request.params.hostId))) throw notFound(ERROR_MESSAGES.patchReboots.exemptionNotFound.message)
      await recordPatchingChange(app, request, 'reboot_unexempt', { host_id: request.params.hostId })
      return reply.code(204).send(null)
    }
  )
}
