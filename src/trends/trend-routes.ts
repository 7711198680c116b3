// GET /api/v1/trends/...: fleet and host figures per day, and mean time to patch per host group.
// Reads only; a limited user gets figures over their own hosts (trend-read-queries.ts). The fleet
// figures and the patch times are the overview's (can_view_dashboard), a host's are the host page's.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SECURITY } from '../http/openapi.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { validationMessagesOf } from '../http/errors.js'
import { ErrorReply, IdParams } from '../http/schema-fragments.js'
import { FleetTrendReply, HostTrendReply, PatchTimeReply, TrendWindowQuery } from './trend-schemas.js'
import { fleetTrend, hostTrend, patchTimes } from './trend-service.js'

const DEFAULT_DAYS = 90

export const trendRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = {
    rateLimit: app.rateLimitBucket('general'),
    validationMessages: validationMessagesOf({ days: ERROR_MESSAGES.trends.days })
  }
  const common = { tags: ['trends'], security: SECURITY.bearer, querystring: TrendWindowQuery }

  app.get(
    '/api/v1/trends/fleet',
    {
      schema: {
        ...common,
        summary: 'Fleet figures per day (outdated, security, reboot, CVEs, days since patch)',
        response: { 200: FleetTrendReply }
      },
      preHandler: app.requirePermission('can_view_dashboard'),
      config
    },
    async (request) => fleetTrend(app, request.query.days ?? DEFAULT_DAYS)
  )

  app.get(
    '/api/v1/trends/hosts/:id',
    {
      schema: {
        ...common,
        summary: "One host's figures per day",
        params: IdParams,
        response: { 200: HostTrendReply, 404: ErrorReply }
      },
      preHandler: app.requirePermission('can_view_hosts'),
      config
    },
    async (request) => hostTrend(app, request.params.id, request.query.days ?? DEFAULT_DAYS)
  )

  app.get(
    '/api/v1/trends/mean-time-to-patch',
    {
      schema: { ...common, summary: 'Mean and median time to patch a security update, per host group', response: { 200: PatchTimeReply } },
      preHandler: app.requirePermission('can_view_dashboard'),
      config
    },
    async (request) => patchTimes(app, request.query.days ?? DEFAULT_DAYS)
  )
}
