// /api/v1/patching/holds: list, add, remove; /api/v1/patching/hosts/:hostId/holds: what holds keep
// back on one host ("3 held"). Reading needs can_view_hosts, changing can_manage_patching.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { ErrorMessageReply, IdParams } from '../../http/schema-fragments.js'
import { SECURITY } from '../../http/openapi.js'
import { userOf } from '../../http/session-auth.js'
import { COMMON, notFound } from '../../http/errors.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import { hostById } from '../../hosts/host-read-queries.js'
import { checkedTargetName, type TargetType } from '../patch-targets.js'
import { recordPatchingChange } from '../patching-audit.js'
import { listHolds, type HoldRow } from './hold-queries.js'
import { addHold, heldCounts, outdatedSplit, removeHold } from './hold-service.js'
import { CreateHoldBody, HoldListQuery, HoldListView, HoldView, HostHoldsView, HostIdParams } from './hold-schemas.js'

const TAGS = ['patching']
const holdView = (row: HoldRow) => ({ ...row, target_type: row.target_type as TargetType })

export const holdRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.store.db
  const view = { preHandler: app.requirePermission('can_view_hosts') }
  const manage = { preHandler: app.requirePermission('can_manage_patching') }
  const config = {
    rateLimit: app.rateLimitBucket('general'),
    validationShape: 'single' as const,
    validationMessages: { pattern: ERROR_MESSAGES.patchHolds.patternInvalid.message }
  }

  app.get(
    '/api/v1/patching/holds',
    {
      schema: {
        tags: TAGS,
        summary: 'List package holds with the outdated packages each keeps back ("N held")',
        security: SECURITY.bearer,
        querystring: HoldListQuery,
        response: { 200: HoldListView }
      },
      ...view,
      config
    },
    async (request) => {
      const holds = await listHolds(db, request.query)
      const counts = await heldCounts(db, holds)
      return { holds: holds.map((h) => ({ ...holdView(h), held_count: counts.perHold.get(h.id) ?? 0 })), held_count: counts.total }
    }
  )

  app.post(
    '/api/v1/patching/holds',
    {
      schema: {
        tags: TAGS,
        summary: 'Hold packages (names or globs) on a host or host group',
        security: SECURITY.bearer,
        body: CreateHoldBody,
        response: { 201: HoldView, 404: ErrorMessageReply, 409: ErrorMessageReply }
      },
      ...manage,
      config: { ...config, audit: { action: 'patch_hold.create', target: 'patch_hold' } }
    },
    async (request, reply) => {
      const { reason, pattern, ...target } = request.body
      const targetName = await checkedTargetName(db, target)
      const hold = await addHold(db, target, pattern, reason ?? null, userOf(request).id)
      await recordPatchingChange(app, request, 'hold_added', { ...target, target_name: targetName, pattern })
      return reply.code(201).send(holdView(hold))
    }
  )

  app.delete(
    '/api/v1/patching/holds/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Remove a package hold',
        security: SECURITY.bearer,
        params: IdParams,
        response: { 204: Type.Null(), 404: ErrorMessageReply }
      },
      ...manage,
      config: { ...config, audit: { action: 'patch_hold.delete', target: 'patch_hold' } }
    },
    async (request, reply) => {
      const hold = await removeHold(db, request.params.id)
      await recordPatchingChange(app, request, 'hold_removed', {
        target_type: hold.target_type,
        target_id: hold.target_id,
        pattern: hold.pattern
      })
      return reply.code(204).send(null)
    }
  )

  app.get(
    '/api/v1/patching/hosts/:hostId/holds',
    {
      schema: {
        tags: TAGS,
        summary: "A host's effective holds and the outdated packages they keep back",
        security: SECURITY.bearer,
        params: HostIdParams,
        response: { 200: HostHoldsView, 404: ErrorMessageReply }
      },
      ...view,
      config
    },
    async (request) => {
      const { hostId } = request.params
      if (!(await hostById(db, hostId))) throw notFound(COMMON.hostNotFound)
      const { holds, held, free } = await outdatedSplit(db, hostId)
      return {
        host_id: hostId,
        holds: holds.map(holdView),
        held_count: held.length,
        held_packages: held.map((p) => p.name),
        installable_count: free.length
      }
    }
  )
}
