// /api/v1/patching/windows (list, add, remove) and /api/v1/patching/hosts/:hostId/window (is the host
// inside a window now, and when does the next one open). Reading needs can_view_hosts, changing
// can_manage_patching.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { ErrorMessageReply, IdParams } from '../../http/schema-fragments.js'
import { SECURITY } from '../../http/openapi.js'
import { userOf } from '../../http/session-auth.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import { serverTimeZone } from '../../reports/schedule.js'
import type { TargetType as Target } from '../patch-targets.js'
import { nextAfter } from '../patch-cron.js'
import { recordPatchingChange } from '../patching-audit.js'
import { HostIdParams } from '../holds/hold-schemas.js'
import { listWindows, type WindowRow } from './window-queries.js'
import { createWindow, hostWindowState, removeWindow } from './window-service.js'
import { CreateWindowBody, HostWindowView, WindowListView, WindowView } from './window-schemas.js'

const TAGS = ['patching']

export const windowRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.store.db
  const view = { preHandler: app.requirePermission('can_view_hosts') }
  const manage = { preHandler: app.requirePermission('can_manage_patching') }
  const config = {
    rateLimit: app.rateLimitBucket('general'),
    validationShape: 'single' as const,
    validationMessages: { duration_minutes: ERROR_MESSAGES.patchWindows.durationInvalid.message }
  }
  const windowView = (row: WindowRow) => ({
    ...row,
    target_type: row.target_type as Target,
    timezone: serverTimeZone(),
    next_opening_at: nextAfter(row.cron, app.patchRuns.now())?.toISOString() ?? null
  })

  app.get(
    '/api/v1/patching/windows',
    {
      schema: {
        tags: TAGS,
        summary: 'List maintenance windows',
        security: SECURITY.bearer,
        response: { 200: WindowListView }
      },
      ...view,
      config
    },
    async () => ({ windows: (await listWindows(db, {})).map(windowView) })
  )

  app.post(
    '/api/v1/patching/windows',
    {
      schema: {
        tags: TAGS,
        summary: 'Add a maintenance window to a host or host group',
        security: SECURITY.bearer,
        body: CreateWindowBody,
        response: { 201: WindowView, 400: ErrorMessageReply, 404: ErrorMessageReply }
      },
      ...manage,
      config: { ...config, audit: { action: 'patch_window.create', target: 'patch_window' } }
    },
    async (request, reply) => {
      const { row, targetName } = await createWindow(db, request.body, userOf(request).id)
      const { id: window_id, name, target_type, target_id, cron, duration_minutes } = row
      const audit = { window_id, name, target_type, target_id, target_name: targetName, cron, duration_minutes }
      await recordPatchingChange(app, request, 'window_added', audit)
      return reply.code(201).send(windowView(row))
    }
  )

  app.delete(
    '/api/v1/patching/windows/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Remove a maintenance window',
        security: SECURITY.bearer,
        params: IdParams,
        response: { 204: Type.Null(), 404: ErrorMessageReply }
      },
      ...manage,
      config: { ...config, audit: { action: 'patch_window.delete', target: 'patch_window' } }
    },
    async (request, reply) => {
      const row = await removeWindow(db, request.params.id)
      await recordPatchingChange(app, request, 'window_removed', {
        window_id: row.id,
        name: row.name,
        target_type: row.target_type,
        target_id: row.target_id
      })
      return reply.code(204).send(null)
    }
  )

  app.get(
    '/api/v1/patching/hosts/:hostId/window',
    {
      schema: {
        tags: TAGS,
        summary: 'Whether a host is inside a maintenance window now, and the next opening',
        security: SECURITY.bearer,
        params: HostIdParams,
        response: { 200: HostWindowView, 404: ErrorMessageReply }
      },
      ...view,
      config
    },
    async (request) => {
      return hostWindowState(db, request.params.hostId, app.patchRuns.now())
    }
  )
}
