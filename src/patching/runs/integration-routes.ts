// Read-only patch runs on the Integration API (issue 17 item 7): Basic auth with an `api` credential
// whose scopes grant `patching: ["get"]`. Existing `host` scopes are unchanged and do not reach these.
//   GET /api/v1/api/patching/runs            all runs, filtered and paged like the dashboard list
//   GET /api/v1/api/patching/runs/{id}       one run with its output
//   GET /api/v1/api/hosts/{id}/patch-runs    the runs of one host
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SECURITY } from '../../http/openapi.js'
import { ErrorMessageReply } from '../../http/schema-fragments.js'
import { integrationBasicAuth } from '../../integration-tokens/basic-auth.js'
import { requireScope } from '../../integration-api/scope-guard.js'
import { runDetail, runList, UUID } from './run-reads.js'
import { PatchRunDetail, RunIdParams, RunListQuery, RunListReply } from './run-schemas.js'
import { hostById } from '../../hosts/host-read-queries.js'
import { ApiError } from '../../http/errors.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'

const E = ERROR_MESSAGES.patching
const errors = { 400: ErrorMessageReply, 401: ErrorMessageReply, 403: ErrorMessageReply, 404: ErrorMessageReply }

export const patchingIntegrationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const canGet = [integrationBasicAuth(app, 'api'), requireScope('patching', 'get')]
  const config = { rateLimit: app.rateLimitBucket('general') }
  const common = { tags: ['integration api'], security: SECURITY.basic }

  app.get(
    '/api/v1/api/patching/runs',
    {
      schema: {
        ...common,
        summary: 'Patch runs, filtered and paged (patching:get)',
        querystring: RunListQuery,
        response: { 200: RunListReply, ...errors }
      },
      preHandler: canGet,
      config
    },
    async (request) => runList(app, request.query)
  )

  app.get(
    '/api/v1/api/patching/runs/:id',
    {
      schema: {
        ...common,
        summary: 'One patch run with its output (patching:get)',
        params: RunIdParams,
        response: { 200: PatchRunDetail, ...errors }
      },
      preHandler: canGet,
      config
    },
    async (request) => runDetail(app, request.params.id)
  )

  app.get(
    '/api/v1/api/hosts/:id/patch-runs',
    {
      schema: {
        ...common,
        summary: 'Patch runs of one host, newest first (patching:get)',
        params: RunIdParams,
        querystring: Type.Omit(RunListQuery, ['host_id']),
        response: { 200: RunListReply, ...errors }
      },
      preHandler: canGet,
      config
    },
    async (request) => {
      const host = UUID.test(request.params.id) ? await hostById(app.store.db, request.params.id.toLowerCase()) : undefined
      if (!host) throw new ApiError(E.hostNotFound.status, { error: E.hostNotFound.message })
      return runList(app, { ...request.query, host_id: host.id })
    }
  )
}
