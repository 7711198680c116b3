// The routes the real PatchMon agents call with X-API-ID / X-API-KEY (facts: agent-protocol §2):
// ping (heartbeat and 2.x check-in), update (the package report) and the update interval.
// Success is always exactly 200 with compact JSON; errors are the single {"error"} shape.
// Credentials are checked in onRequest, before a (possibly 16 MB) body is read or validated.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorReply } from '../http/schema-fragments.js'
import { Type } from '@fastify/type-provider-typebox'
import { SECURITY } from '../http/openapi.js'
import { agentAuth, agentHostIdOf } from './agent-auth.js'
import { acceptPing, acceptReport } from './agent-report-service.js'
import { PingBody, ReportBody } from './report-schema.js'
import { REPORT_ADMISSION, ReportAdmission } from './report-admission.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'

const PingReply = Type.Object({
  message: Type.String(),
  timestamp: Type.String({ description: 'RFC 3339' }),
  friendlyName: Type.String(),
  agentStartup: Type.Boolean(),
  integrations: Type.Object({ docker: Type.Boolean(), compliance: Type.Boolean() })
})

const UpdateReply = Type.Object({
  message: Type.String(),
  packagesProcessed: Type.Integer(),
  updatesAvailable: Type.Integer(),
  securityUpdates: Type.Integer()
})

/** Upstream caps the check-in at 8 KiB; allow more so a host with many disks is never refused. */
const PING_BODY_LIMIT = 64 * 1024

const REPORT_MESSAGES = { packages: ERROR_MESSAGES.agentReports.packagesInvalid.message }

export const agentReportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const requireAgent = agentAuth(app)
  const agentConfig = { rateLimit: app.rateLimitBucket('agent'), validationShape: 'single' as const }
  const errors = { 400: ErrorReply, 401: ErrorReply }
  const admission = new ReportAdmission({
    ...REPORT_ADMISSION,
    concurrency: app.config.reportConcurrency,
    maxWaiting: app.config.reportQueueLimit
  })
  const admitReport = admission.admitRequest.bind(admission)

  app.post(
    '/api/v1/hosts/ping',
    {
      bodyLimit: PING_BODY_LIMIT,
      schema: {
        tags: ['agent'],
        summary: 'Agent heartbeat; a 2.x check-in body updates the metrics it carries',
        security: SECURITY.agent,
        body: PingBody,
        response: { 200: PingReply, ...errors }
      },
      onRequest: requireAgent,
      config: { ...agentConfig, audit: { notAudited: 'agent traffic (reports, pings, run output): kept in report history and patch runs' } }
    },
    async (request) => acceptPing(app, agentHostIdOf(request), request.body)
  )

  app.post(
    '/api/v1/hosts/update',
    {
      bodyLimit: app.config.agentUpdateBodyLimit,
      schema: {
        tags: ['agent'],
        summary: "Agent package report (replaces the host's package set)",
        security: SECURITY.agent,
        body: ReportBody,
        response: { 200: UpdateReply, ...errors, 503: ErrorReply }
      },
      // Authenticated first, then admitted (report-admission.ts), both before the body is read.
      onRequest: [requireAgent, admitReport],
      config: {
        audit: { notAudited: 'agent traffic (reports, pings, run output): kept in report history and patch runs' },
        ...agentConfig,
        validationMessages: REPORT_MESSAGES
      }
    },
    async (request) => {
      const hostId = agentHostIdOf(request)
      const reply = await acceptReport(app, hostId, request.body, Number(request.headers['content-length']))
      const { packagesProcessed: packages, updatesAvailable: updates, securityUpdates: security } = reply
      request.log.info({ hostId, packages, updates, security }, 'report ingested')
      return reply
    }
  )

  app.get(
    '/api/v1/settings/update-interval',
    {
      schema: {
        tags: ['agent'],
        summary: 'Minutes between agent reports',
        security: SECURITY.agent,
        response: { 200: Type.Object({ updateInterval: Type.Integer() }), 401: ErrorReply }
      },
      onRequest: requireAgent,
      config: agentConfig
    },
    async () => ({ updateInterval: await app.settings.get('update_interval') })
  )
}
