// POST /api/v1/auto-enrollment/enroll and /enroll/bulk: token-authenticated host creation.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ApiError, validationFailed, type ValidationIssue } from '../http/errors.js'
import { SECURITY } from '../http/openapi.js'
import { dailyCapReached, enrollmentGuard, enrollmentTokenOf } from './enrollment-auth.js'
import { enrollBatch, type EnrollInput } from './enroll-hosts.js'
import { BulkEnrollBody, BulkEnrollReply, ENROLL_ERROR_REPLIES, ENROLL_MESSAGES, EnrollBody, EnrollReply } from './enroll-schemas.js'

const TAGS = ['Auto-enrollment']

/** Per-item checks of the bulk body, all reported at once like the single route's validation. */
function bulkInputs(hosts: unknown[]): EnrollInput[] {
  const issues: ValidationIssue[] = []
  const inputs = hosts.map((item, i): EnrollInput => {
    const entry = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>
    const name = entry.friendly_name
    const machineId = entry.machine_id
    if (typeof name !== 'string' || name.trim() === '' || name.length > 255) {
      issues.push({ msg: ENROLL_MESSAGES.eachHostName, param: `hosts[${i}].friendly_name`, location: 'body' })
    }
    if (
      machineId !== undefined &&
      machineId !== null &&
      (typeof machineId !== 'string' || machineId.length < 1 || machineId.length > 255)
    ) {
      issues.push({ msg: ENROLL_MESSAGES.machine_id, param: `hosts[${i}].machine_id`, location: 'body' })
    }
    return { friendlyName: String(name), machineId: typeof machineId === 'string' ? machineId : undefined }
  })
  if (issues.length > 0) throw validationFailed(issues)
  return inputs
}

export const enrollRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/v1/auto-enrollment/enroll',
    {
      schema: {
        tags: TAGS,
        summary: 'Enroll one host with an auto-enrollment token',
        description:
          'Creates a pending host and returns its agent credentials once. The daily cap resets at midnight in the server time zone. ' +
          'Only proxmox-lxc and direct-host tokens may enroll.',
        security: SECURITY.enrollment,
        body: EnrollBody,
        response: { 201: EnrollReply, ...ENROLL_ERROR_REPLIES }
      },
      config: { rateLimit: app.rateLimitBucket('auth'), validationMessages: ENROLL_MESSAGES },
      preValidation: enrollmentGuard(app, { checkDailyCap: true })
    },
    async (request, reply) => {
      const token = enrollmentTokenOf(request)
      const now = app.enrollmentClock.now()
      const outcome = await enrollBatch(app, token, [{ friendlyName: request.body.friendly_name, machineId: request.body.machine_id }], now)
      if (!outcome.reservation.ok) throw dailyCapReached(outcome.reservation.max)
      const created = outcome.created[0]
      if (!created) throw new ApiError(500, { error: 'Failed to enroll host' })
      return reply.code(201).send({
        message: 'Host enrolled successfully',
        host: {
          id: created.result.host.id,
          friendly_name: created.result.host.friendly_name,
          api_id: created.result.host.api_id,
          api_key: created.result.apiKey,
          host_group: outcome.group,
          status: created.result.host.status
        }
      })
    }
  )

  app.post(
    '/api/v1/auto-enrollment/enroll/bulk',
    {
      schema: {
        tags: TAGS,
        summary: 'Enroll up to 50 hosts at once',
        description: 'All or nothing against the daily quota; per-host failures are listed in results.failed. No agents are installed.',
        security: SECURITY.enrollment,
        body: BulkEnrollBody,
        response: { 201: BulkEnrollReply, ...ENROLL_ERROR_REPLIES }
      },
      config: { rateLimit: app.rateLimitBucket('auth'), validationMessages: { hosts: ENROLL_MESSAGES.hosts } },
      preValidation: enrollmentGuard(app, { checkDailyCap: false })
    },
    async (request, reply) => {
      const token = enrollmentTokenOf(request)
      const inputs = bulkInputs(request.body.hosts)
      const now = app.enrollmentClock.now()
      const outcome = await enrollBatch(app, token, inputs, now)
      if (!outcome.reservation.ok) {
        throw new ApiError(429, {
          error: 'Rate limit exceeded',
          message: `Only ${outcome.reservation.remaining} hosts remaining in daily quota`
        })
      }
      const success = outcome.created.map(({ result }) => ({
        id: result.host.id,
        friendly_name: result.host.friendly_name,
        api_id: result.host.api_id,
        api_key: result.apiKey
      }))
      const failed = outcome.failed.map(({ input, error }) => ({ friendly_name: input.friendlyName, error }))
      return reply.code(201).send({
        message: `Bulk enrollment completed: ${success.length} succeeded, ${failed.length} failed, 0 skipped`,
        results: { success, failed, skipped: [] }
      })
    }
  )
}
