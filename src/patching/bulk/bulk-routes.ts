// /api/v1/patching/bulk: patch a selection of hosts or a host group with a concurrency limit, and
// follow the batch (progress and a summary of completed, failed and skipped hosts with reasons).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorMessageReply, IdParams } from '../../http/schema-fragments.js'
import { SECURITY } from '../../http/openapi.js'
import { notFound } from '../../http/errors.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import { findVisibleBatch, listVisibleBatches } from './bulk-queries.js'
import { batchView, launchBulk } from './bulk-service.js'
import { BatchListView, BatchView, BulkBody } from './bulk-schemas.js'

const TAGS = ['patching']
const M = ERROR_MESSAGES.patchBulk

export const bulkRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.store.db
  const view = { preHandler: app.requirePermission('can_view_hosts') }
  const manage = { preHandler: app.requirePermission('can_manage_patching') }
  const config = { rateLimit: app.rateLimitBucket('general') }

  app.post(
    '/api/v1/patching/bulk',
    {
      schema: {
        tags: TAGS,
        summary: 'Patch several hosts or a host group, a few at a time',
        security: SECURITY.bearer,
        body: BulkBody,
        response: { 202: BatchView, 400: ErrorMessageReply, 404: ErrorMessageReply }
      },
      ...manage,
      config: { ...config, audit: { action: 'patch_bulk.launch', target: 'patch_bulk' } }
    },
    async (request, reply) => {
      const batch = await launchBulk(app, request, request.body)
      return reply.code(202).send(await batchView(app, (await findVisibleBatch(db, batch.id)) ?? batch))
    }
  )

  app.get(
    '/api/v1/patching/bulk',
    {
      schema: {
        tags: TAGS,
        summary: 'Recent bulk patch batches',
        security: SECURITY.bearer,
        response: { 200: BatchListView }
      },
      ...view,
      config
    },
    async () => ({ batches: await Promise.all((await listVisibleBatches(db, 50)).map((b) => batchView(app, b))) })
  )

  app.get(
    '/api/v1/patching/bulk/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'One bulk patch batch with progress and summary',
        security: SECURITY.bearer,
        params: IdParams,
        response: { 200: BatchView, 404: ErrorMessageReply }
      },
      ...view,
      config
    },
    async (request) => {
      const batch = await findVisibleBatch(db, request.params.id)
      if (!batch) throw notFound(M.notFound.message)
      return batchView(app, batch)
    }
  )
}
