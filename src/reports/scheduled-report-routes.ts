// /api/v1/notifications/scheduled-reports (CRUD) and …/:id/run-now.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, MessageReply } from '../http/schema-fragments.js'
import { Type } from '@fastify/type-provider-typebox'
import { badRequest, notFound } from '../http/errors.js'
import { SECURITY } from '../http/openapi.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { countExistingDestinations } from '../notifications/destination-store.js'
import { newId } from '../security/random-tokens.js'
import { CreateReportBody, REPORT_MESSAGES, ReportView, UpdateReportBody, type CreateReportInput } from './report-schemas.js'
import { nextRunAfter, ScheduleError } from './schedule.js'
import { reportView, runReport, scheduleOf } from './scheduled-report-service.js'

const REPORT_ERRORS = ERROR_MESSAGES.scheduledReports
const REPORT_NOT_FOUND = REPORT_ERRORS.notFound.message

export const scheduledReportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.store.db
  const manage = { preHandler: app.requirePermission('can_manage_notifications') }
  const config = { rateLimit: app.rateLimitBucket('general'), validationShape: 'single' as const, validationMessages: REPORT_MESSAGES }
  const TAGS = ['notifications']

  /** Checks the merged report and returns its columns, next run included. */
  async function columns(input: CreateReportInput) {
    const found = await countExistingDestinations(db, input.destination_ids)
    if (found !== new Set(input.destination_ids).size) throw badRequest(REPORT_ERRORS.destinationUnknown.message)
    const row = {
      frequency: input.frequency,
      days: JSON.stringify(input.frequency === 'weekly' ? [...new Set(input.days ?? [])].sort() : []),
      day_of_month: input.frequency === 'monthly' && input.day_of_month !== undefined ? String(input.day_of_month) : null,
      time: input.time
    }
    const enabled = input.enabled !== false
    let next: string | null
    try {
      next = enabled ? nextRunAfter(scheduleOf(row), app.notifications.now()).toISOString() : null
    } catch (err) {
      if (err instanceof ScheduleError) throw badRequest(err.message)
      throw err
    }
    return {
      ...row,
      name: input.name.trim(),
      sections: JSON.stringify([...new Set(input.sections)]),
      destination_ids: JSON.stringify([...new Set(input.destination_ids)]),
      attach_csv: input.attach_csv ? 1 : 0,
      enabled: enabled ? 1 : 0,
      next_run_at: next
    }
  }

  async function load(id: string) {
    const row = await db.selectFrom('scheduled_reports').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw notFound(REPORT_NOT_FOUND)
    return row
  }

  app.get(
    '/api/v1/notifications/scheduled-reports',
    {
      schema: { tags: TAGS, summary: 'List scheduled reports', security: SECURITY.bearer, response: { 200: Type.Array(ReportView) } },
      ...manage,
      config
    },
    async () => (await db.selectFrom('scheduled_reports').selectAll().orderBy('name').execute()).map(reportView)
  )

  app.post(
    '/api/v1/notifications/scheduled-reports',
    {
      schema: {
        tags: TAGS,
        summary: 'Add a scheduled report (delivery time in the server time zone)',
        security: SECURITY.bearer,
        body: CreateReportBody,
        response: { 201: ReportView }
      },
      ...manage,
      config
    },
    async (request, reply) => {
      const now = new Date().toISOString()
      const id = newId()
      await db
        .insertInto('scheduled_reports')
        .values({ id, ...(await columns(request.body)), last_run_at: null, created_at: now, updated_at: now })
        .execute()
      return reply.code(201).send(reportView(await load(id)))
    }
  )

  app.put(
    '/api/v1/notifications/scheduled-reports/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Update a scheduled report',
        security: SECURITY.bearer,
        params: IdParams,
        body: UpdateReportBody,
        response: { 200: ReportView }
      },
      ...manage,
      config
    },
    async (request) => {
      const current = reportView(await load(request.params.id))
      const merged: CreateReportInput = {
        name: current.name,
        frequency: current.frequency as CreateReportInput['frequency'],
        days: current.days,
        ...(current.day_of_month !== null ? { day_of_month: current.day_of_month } : {}),
        time: current.time,
        sections: current.sections as CreateReportInput['sections'],
        destination_ids: current.destination_ids,
        attach_csv: current.attach_csv,
        enabled: current.enabled,
        ...request.body
      }
      await db
        .updateTable('scheduled_reports')
        .set({ ...(await columns(merged)), updated_at: new Date().toISOString() })
        .where('id', '=', current.id)
        .execute()
      return reportView(await load(current.id))
    }
  )

  app.delete(
    '/api/v1/notifications/scheduled-reports/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete a scheduled report',
        security: SECURITY.bearer,
        params: IdParams,
        response: { 200: MessageReply }
      },
      ...manage,
      config
    },
    async (request) => {
      const result = await db.deleteFrom('scheduled_reports').where('id', '=', request.params.id).executeTakeFirst()
      if (Number(result.numDeletedRows) === 0) throw notFound(REPORT_NOT_FOUND)
      return { message: 'Scheduled report deleted successfully' }
    }
  )

  app.post(
    '/api/v1/notifications/scheduled-reports/:id/run-now',
    {
      schema: {
        tags: TAGS,
        summary: 'Send a report now (the schedule is unchanged)',
        security: SECURITY.bearer,
        params: IdParams,
        response: { 202: Type.Object({ message: Type.String(), delivery_ids: Type.Array(Type.String()) }) }
      },
      ...manage,
      config
    },
    async (request, reply) => {
      const ids = await runReport(app, await load(request.params.id))
      return reply
        .code(202)
        .send({ message: ids.length ? 'Report queued for delivery' : 'Report has no existing destinations', delivery_ids: ids })
    }
  )
}
