// The rules behind the agent's ping and report: which facts a check-in carries, when a report is
// refused (no packages, too many), and what the agent is told back. The routes only parse and reply.
import type { FastifyInstance } from 'fastify'
import { badRequest, COMMON, unauthorized } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { emitCommitted } from '../events/event-outbox.js'
import { recordPing } from '../hosts/record-ping.js'
import { hostColumnsFromFacts } from './agent-facts.js'
import { MAX_REPORT_PACKAGES, type PingBody, type ReportBody } from './report-schema.js'

const REPORT_ERRORS = ERROR_MESSAGES.agentReports

function executionSeconds(value: number | string | null | undefined): number | null {
  const n = typeof value === 'string' ? Number.parseFloat(value) : value
  return typeof n === 'number' && Number.isFinite(n) ? n : null
}

/** A heartbeat (and the metrics of a 2.x check-in); 401 when the host went away meanwhile. */
export async function acceptPing(app: FastifyInstance, hostId: string, body: PingBody) {
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

/**
 * Replaces the host's package set with the report (one transaction) and emits the security event
 * after commit (and host_report_ingested for every report). `declaredLength` is the request's Content-Length, kept as the report's size.
 */
export async function acceptReport(app: FastifyInstance, hostId: string, body: ReportBody, declaredLength: number) {
  const packages = body?.packages
  if (!packages || packages.length === 0) throw badRequest(REPORT_ERRORS.packagesRequired.message)
  if (packages.length > MAX_REPORT_PACKAGES) throw badRequest(REPORT_ERRORS.tooManyPackages.message)
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
  app.events.emit('host_report_ingested', {
    hostId,
    outdatedCount: outcome.updatesAvailable,
    securityPackages: outcome.securityPackages
  })
  if (outcome.packagesChanged) app.events.emit('host_packages_changed', { hostId })
  return {
    message: 'Host updated successfully',
    packagesProcessed: outcome.packagesProcessed,
    updatesAvailable: outcome.updatesAvailable,
    securityUpdates: outcome.securityUpdates
  }
}
