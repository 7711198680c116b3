// POST /api/v1/auto-enrollment/enroll and /enroll/bulk: token-authenticated host creation.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SECURITY } from '../http/openapi.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { validationMessagesOf } from '../http/errors.js'
import { enrollmentGuard, enrollmentTokenOf } from './enrollment-auth.js'
import { enrollMany, enrollOne } from './enroll-service.js'
import { BulkEnrollBody, BulkEnrollReply, ENROLL_ERROR_REPLIES, EnrollBody, EnrollReply } from './enroll-schemas.js'

const TAGS = ['Auto-enrollment']
const E = ERROR_MESSAGES.enrollment

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
      config: {
        audit: { action: 'host.enroll', target: 'host' },
        rateLimit: app.rateLimitBucket('auth'),
        validationMessages: validationMessagesOf({
          friendly_name: E.friendly_name,
          machine_id: E.machine_id,
          metadata: E.metadata,
          hosts: E.hosts,
          eachHostName: E.eachHostName
        })
      },
      preValidation: enrollmentGuard(app, { checkDailyCap: true })
    },
    async (request, reply) => reply.code(201).send(await enrollOne(app, enrollmentTokenOf(request), request.body))
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
      config: {
        audit: { action: 'host.enroll_bulk' },
        rateLimit: app.rateLimitBucket('auth'),
        validationMessages: validationMessagesOf({ hosts: E.hosts })
      },
      preValidation: enrollmentGuard(app, { checkDailyCap: false })
    },
    async (request, reply) => reply.code(201).send(await enrollMany(app, enrollmentTokenOf(request), request.body.hosts))
  )
}
