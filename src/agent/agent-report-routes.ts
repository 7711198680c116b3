// The routes the real PatchMon agents call with X-API-ID / X-API-KEY (facts: agent-protocol §2):
// ping (heartbeat and 2.x check-in), update (the package report) and the update interval.
// Success is always exactly 200 with compact JSON; errors are the single {"error"} shape.
// Credentials are checked in onRequest, before a (possibly 16 MB) body is read or validated.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorReply } from '../http/schema-fragments.js'
import { Type } from '@fastify/type-provider-typebox'
import { badRequest, COMMON, unauthorized } from '../http/errors.js'
import { SECURITY } from '../http/openapi.js'
import { emitCommitted } from '../events/event-outbox.js'
import { agentAuth, agentHostIdOf } from './agent-auth.js'
import { hostColumnsFromFacts } from './agent-facts.js'
import { recordPing } from '../hosts/record-ping.js'
import { MAX_REPORT_PACKAGES, PingBody, ReportBody } from './report-schema.js'
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

const REPORT_ERRORS = ERROR_MESSAGES.agentReports
const REPORT_MESSAGES = { packages: REPORT_ERRORS.packagesInvalid.message }

function executionSeconds(value: number | string | null | undefined): number | null {
  const n = typeof value === 'string' ? Number.parseFloat(value) : value
  return typeof n === 'number' && Number.isFinite(n) ? n : null
}

export const agentReportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const requireAgent = agentAuth(app)
  const agentConfig = { rateLimit: app.rateLimitBucket('agent'), validationShape: 'single' as const }
  const errors = { 400: ErrorReply, 401: ErrorReply }

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
      config: agentConfig
    },
    async (request) => {
      const hostId = agentHostIdOf(request)
      const body = request.body
      const columns = hostColumnsFromFacts({ ...(body?.metrics ?? {}), agentVersion: body?.agentVersion ?? null })
      const now = new Date()
      const host = await recordPing(app.store.db, hostId, columns, now)
      if (!host) throw unauthorized(COMMON.agentCredentialsInvalid)
      return {
        message: 'Ping successful',
        timestamp: now.toISOString(),
        friendlyName: host.friendly_name || host.hostname || host.api_id,
        agentStartup: true,
        // We do not collect Docker or compliance data: false keeps 2.x agents from gathering it.
        integrations: { docker: false, compliance: false }
      }
    }
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
        response: { 200: UpdateReply, ...errors }
      },
      onRequest: requireAgent,
      config: { ...agentConfig, validationMessages: REPORT_MESSAGES }
    },
    async (request) => {
      const hostId = agentHostIdOf(request)
      const body = request.body
      const packages = body?.packages
      if (!packages || packages.length === 0) throw badRequest(REPORT_ERRORS.packagesRequired.message)
      if (packages.length > MAX_REPORT_PACKAGES) throw badRequest(REPORT_ERRORS.tooManyPackages.message)
      const declaredLength = Number(request.headers['content-length'])
      const outcome = await app.reportIngest.ingest({
        hostId,
        packages,
        repositories: body.repositories,
        facts: hostColumnsFromFacts(body),
        payloadBytes: Number.isFinite(declaredLength) && declaredLength > 0 ? declaredLength : Buffer.byteLength(JSON.stringify(body)),
        executionTimeSeconds: executionSeconds(body.executionTime)
      })
      if (!outcome) throw unauthorized(COMMON.agentCredentialsInvalid)
      if (outcome.securityEvent) emitCommitted(app.events, outcome.securityEvent)
      request.log.info(
        { hostId, packages: outcome.packagesProcessed, updates: outcome.updatesAvailable, security: outcome.securityUpdates },
        'report ingested'
      )
      return {
        message: 'Host updated successfully',
        packagesProcessed: outcome.packagesProcessed,
        updatesAvailable: outcome.updatesAvailable,
        securityUpdates: outcome.securityUpdates
      }
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
