// /api/v1/patching/schedules: list, add, change, remove recurring patch schedules. Reading needs
// can_view_hosts, changing can_manage_patching; every change is audited.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { ErrorMessageReply, IdParams } from '../../http/schema-fragments.js'
import { SECURITY } from '../../http/openapi.js'
import { userOf } from '../../http/session-auth.js'
import { notFound } from '../../http/errors.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import { recordPatchingChange } from '../patching-audit.js'
import { CreateScheduleBody, ScheduleView, UpdateScheduleBody } from './schedule-schemas.js'
import { deleteSchedule, findSchedule, listSchedules } from './schedule-queries.js'
import { auditOfSchedule, createSchedule, changeSchedule, scheduleView } from './schedule-admin.js'

const TAGS = ['patching']
const M = ERROR_MESSAGES.patchSchedules

export const scheduleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.store.db
  const view = { preHandler: app.requirePermission('can_view_hosts') }
  const manage = { preHandler: app.requirePermission('can_manage_patching') }
  const config = { rateLimit: app.rateLimitBucket('general') }
  const load = async (id: string) => {
    const row = await findSchedule(db, id)
    if (!row) throw notFound(M.notFound.message)
    return row
  }

  app.get(
    '/api/v1/patching/schedules',
    {
      schema: {
        tags: TAGS,
        summary: 'List patch schedules',
        security: SECURITY.bearer,
        response: { 200: Type.Object({ schedules: Type.Array(ScheduleView) }) }
      },
      ...view,
      config
    },
    async () => ({ schedules: (await listSchedules(db)).map(scheduleView) })
  )

  app.get(
    '/api/v1/patching/schedules/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'One patch schedule',
        security: SECURITY.bearer,
        params: IdParams,
        response: { 200: ScheduleView, 404: ErrorMessageReply }
      },
      ...view,
      config
    },
    async (request) => scheduleView(await load(request.params.id))
  )

  app.post(
    '/api/v1/patching/schedules',
    {
      schema: {
        tags: TAGS,
        summary: 'Add a recurring patch schedule (server time zone)',
        security: SECURITY.bearer,
        body: CreateScheduleBody,
        response: { 201: ScheduleView, 400: ErrorMessageReply, 404: ErrorMessageReply }
      },
      ...manage,
      config: { ...config, audit: { action: 'patch_schedule.create', target: 'patch_schedule' } }
    },
    async (request, reply) => {
      const row = await createSchedule(app, request.body, userOf(request).id)
      await recordPatchingChange(app, request, 'schedule_create', auditOfSchedule(row))
      return reply.code(201).send(scheduleView(row))
    }
  )

  app.put(
    '/api/v1/patching/schedules/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Change a patch schedule',
        security: SECURITY.bearer,
        params: IdParams,
        body: UpdateScheduleBody,
        response: { 200: ScheduleView, 400: ErrorMessageReply, 404: ErrorMessageReply }
      },
      ...manage,
      config: { ...config, audit: { action: 'patch_schedule.update', target: 'patch_schedule' } }
    },
    async (request) => {
      const row = await changeSchedule(app, await load(request.params.id), request.body)
      await recordPatchingChange(app, request, 'schedule_update', {
        schedule_id: row.id,
        name: row.name,
        changes: Object.keys(request.body)
      })
      return scheduleView(row)
    }
  )

  app.delete(
    '/api/v1/patching/schedules/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Remove a patch schedule',
        security: SECURITY.bearer,
        params: IdParams,
        response: { 204: Type.Null(), 404: ErrorMessageReply }
      },
      ...manage,
      config: { ...config, audit: { action: 'patch_schedule.delete', target: 'patch_schedule' } }
    },
    async (request, reply) => {
      const row = await load(request.params.id)
      if (!(await deleteSchedule(db, row.id))) throw notFound(M.notFound.message)
      await recordPatchingChange(app, request, 'schedule_delete', { schedule_id: row.id, name: row.name })
      return reply.code(204).send(null)
    }
  )
}
