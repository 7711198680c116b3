// /api/v1/notifications/scheduled-reports (CRUD) and …/:id/run-now.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, MessageReply } from '../http/schema-fragments.js'
import { Type } from '@fastify/type-provider-typebox'
import { SECURITY } from '../http/openapi.js'
import { CreateReportBody, REPORT_MESSAGES, ReportView, UpdateReportBody } from './report-schemas.js'
import { changeReport, createReport, deleteReport, listReports, loadReport, runReport } from './scheduled-report-service.js'

export const scheduledReportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const manage = { preHandler: app.requirePermission('can_manage_notifications') }
  const config = { rateLimit: app.rateLimitBucket('general'), validationShape: 'single' as const, validationMessages: REPORT_MESSAGES }
  const TAGS = ['notifications']

  app.get(
    '/api/v1/notifications/scheduled-reports',
    {
      schema: { tags: TAGS, summary: 'List scheduled reports', security: SECURITY.bearer, response: { 200: Type.Array(ReportView) } },
      ...manage,
      config
    },
    async () => listReports(app)
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
      config: { ...config, audit: { action: 'scheduled_report.create', target: 'scheduled_report' } }
    },
    async (request, reply) => reply.code(201).send(await createReport(app, request.body))
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
      config: { ...config, audit: { action: 'scheduled_report.update', target: 'scheduled_report' } }
    },
    async (request) => changeReport(app, request.params.id, request.body)
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
      config: { ...config, audit: { action: 'scheduled_report.delete', target: 'scheduled_report' } }
    },
    async (request) => {
      await deleteReport(app, request.params.id)
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
      config: { ...config, audit: { action: 'scheduled_report.run_now', target: 'scheduled_report' } }
    },
    async (request, reply) => {
      const ids = await runReport(app, await loadReport(app, request.params.id))
      return reply
        .code(202)
        .send({ message: ids.length ? 'Report queued for delivery' : 'Report has no existing destinations', delivery_ids: ids })
    }
  )
}
