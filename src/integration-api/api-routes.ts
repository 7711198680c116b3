// The scoped Integration API under /api/v1/api/ (chapter 6): Basic auth with an `api` credential,
// then the route's scope, then the handler. Trailing slashes are tolerated app-wide (Ansible's
// documented URL ends in `/`). There is deliberately no GET /hosts/:id (upstream has none).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { ApiError, badRequest, notFound, COMMON } from '../http/errors.js'
import { SECURITY } from '../http/openapi.js'
import { ERROR_MESSAGES, type FixedErrorEntry } from '../http/error-messages.js'
import { deletedHostView, deleteHostThroughApi } from './host-deletion.js'
import { integrationBasicAuth } from '../integration-tokens/basic-auth.js'
import { requireScope } from './scope-guard.js'
import { listHosts } from './host-list.js'
import {
  historyLimit,
  hostAgentQueue,
  hostInfo,
  hostIntegrations,
  hostNetwork,
  hostNotes,
  hostPackageReports,
  hostPackages,
  hostStats,
  hostSystem
} from './host-details.js'
import {
  AgentQueueResponse,
  DeleteHostResponse,
  ErrorBody,
  HistoryQuery,
  HostIdParams,
  HostInfoResponse,
  HostListQuery,
  HostListResponse,
  HostNetworkResponse,
  HostPackagesResponse,
  HostStatsResponse,
  HostSystemResponse,
  IntegrationsResponse,
  NotesResponse,
  PackageReportsResponse,
  PackagesQuery
} from './api-schemas.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const TAGS = ['integration api']
const API_ERRORS = ERROR_MESSAGES.integrationApi
const ERRORS = { 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 500: ErrorBody }

/** Runs a handler; an unexpected failure is logged and answered with the endpoint's documented 500. */
async function orFail<T>(request: FastifyRequest, failure: FixedErrorEntry, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    if (err instanceof ApiError) throw err
    request.log.error({ err }, failure.message)
    throw new ApiError(failure.status, { error: failure.message })
  }
}

function found<T>(value: T | undefined): T {
  if (value === undefined) throw notFound(COMMON.hostNotFound)
  return value
}

export const integrationApiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.store.db
  const auth = integrationBasicAuth(app, 'api')
  const canGet = [auth, requireScope('host', 'get')]
  const config = { rateLimit: app.rateLimitBucket('general') }
  const common = { tags: TAGS, security: SECURITY.basic }

  app.get(
    '/api/v1/api/hosts',
    {
      schema: {
        ...common,
        summary: 'List hosts with IP and groups; optional group filter and inline stats (host:get)',
        querystring: HostListQuery,
        response: { 200: HostListResponse, ...ERRORS }
      },
      // The list can be megabytes (10,000 hosts ≈ 5 MB); native JSON.stringify writes it several times
      // faster than the generated serialiser. listHosts builds every object field by field from the
      // documented keys, so nothing beyond the schema can leak.
      serializerCompiler: () => (data) => JSON.stringify(data),
      preHandler: canGet,
      config
    },
    async (request) =>
      orFail(request, API_ERRORS.hostsFailed, async () =>
        listHosts(db, {
          hostgroup: request.query.hostgroup,
          include: request.query.include,
          updateIntervalMinutes: await app.settings.get('update_interval')
        })
      )
  )

  app.get(
    '/api/v1/api/hosts/:id/stats',
    {
      schema: {
        ...common,
        summary: 'Package and repository counts of a host (host:get)',
        params: HostIdParams,
        response: { 200: HostStatsResponse, ...ERRORS }
      },
      preHandler: canGet,
      config
    },
    async (request) => found(await orFail(request, API_ERRORS.statsFailed, () => hostStats(db, request.params.id)))
  )

  app.get(
    '/api/v1/api/hosts/:id/info',
    {
      schema: {
        ...common,
        summary: 'OS, agent and groups of a host (host:get)',
        params: HostIdParams,
        response: { 200: HostInfoResponse, ...ERRORS }
      },
      preHandler: canGet,
      config
    },
    async (request) => found(await orFail(request, API_ERRORS.infoFailed, () => hostInfo(db, request.params.id)))
  )

  app.get(
    '/api/v1/api/hosts/:id/network',
    {
      schema: {
        ...common,
        summary: 'Network configuration of a host (host:get)',
        params: HostIdParams,
        response: { 200: HostNetworkResponse, ...ERRORS }
      },
      preHandler: canGet,
      config
    },
    async (request) => found(await orFail(request, API_ERRORS.networkFailed, () => hostNetwork(db, request.params.id)))
  )

  app.get(
    '/api/v1/api/hosts/:id/system',
    {
      schema: {
        ...common,
        summary: 'Hardware, kernel and reboot state of a host (host:get)',
        params: HostIdParams,
        response: { 200: HostSystemResponse, ...ERRORS }
      },
      preHandler: canGet,
      config
    },
    async (request) => found(await orFail(request, API_ERRORS.systemFailed, () => hostSystem(db, request.params.id)))
  )

  app.get(
    '/api/v1/api/hosts/:id/packages',
    {
      schema: {
        ...common,
        summary: 'Packages of a host, security updates first (host:get)',
        params: HostIdParams,
        querystring: PackagesQuery,
        response: { 200: HostPackagesResponse, ...ERRORS }
      },
      preHandler: canGet,
      config
    },
    async (request) =>
      found(
        await orFail(request, API_ERRORS.packagesFailed, () => hostPackages(db, request.params.id, request.query.updates_only === 'true'))
      )
  )

  app.get(
    '/api/v1/api/hosts/:id/package_reports',
    {
      schema: {
        ...common,
        summary: 'Report history of a host, newest first (host:get)',
        params: HostIdParams,
        querystring: HistoryQuery,
        response: { 200: PackageReportsResponse, ...ERRORS }
      },
      preHandler: canGet,
      config
    },
    async (request) =>
      found(
        await orFail(request, API_ERRORS.packageReportsFailed, () =>
          hostPackageReports(db, request.params.id, historyLimit(request.query.limit))
        )
      )
  )

  app.get(
    '/api/v1/api/hosts/:id/agent_queue',
    {
      schema: {
        ...common,
        summary: 'Agent job queue of a host (host:get)',
        params: HostIdParams,
        querystring: HistoryQuery,
        response: { 200: AgentQueueResponse, ...ERRORS }
      },
      preHandler: canGet,
      config
    },
    async (request) =>
      found(
        await orFail(request, API_ERRORS.agentQueueFailed, () => hostAgentQueue(db, request.params.id, historyLimit(request.query.limit)))
      )
  )

  app.get(
    '/api/v1/api/hosts/:id/notes',
    {
      schema: { ...common, summary: 'Notes of a host (host:get)', params: HostIdParams, response: { 200: NotesResponse, ...ERRORS } },
      preHandler: canGet,
      config
    },
    async (request) => found(await orFail(request, API_ERRORS.notesFailed, () => hostNotes(db, request.params.id)))
  )

  app.get(
    '/api/v1/api/hosts/:id/integrations',
    {
      schema: {
        ...common,
        summary: 'Integration status of a host (host:get)',
        params: HostIdParams,
        response: { 200: IntegrationsResponse, ...ERRORS }
      },
      preHandler: canGet,
      config
    },
    async (request) => found(await orFail(request, API_ERRORS.integrationsFailed, () => hostIntegrations(db, request.params.id)))
  )

  app.delete(
    '/api/v1/api/hosts/:id',
    {
      schema: {
        ...common,
        summary: 'Delete a host and everything recorded about it (host:delete)',
        params: HostIdParams,
        response: { 200: DeleteHostResponse, 400: ErrorBody, ...ERRORS }
      },
      preHandler: [auth, requireScope('host', 'delete')],
      config: { ...config, audit: { action: 'host.delete', target: 'host' } }
    },
    async (request) => {
      // Validated here, after the scope check: without host:delete the answer is 403 whatever the id.
      if (!UUID.test(request.params.id)) throw badRequest(API_ERRORS.invalidHostId.message)
      const host = await orFail(request, API_ERRORS.deleteFailed, () => deleteHostThroughApi(app, request.params.id))
      if (!host) throw notFound(COMMON.hostNotFound)
      request.log.info({ hostId: host.id, tokenId: request.integrationCredential?.id }, 'host deleted through the Integration API')
      return { message: 'Host deleted successfully', deleted: deletedHostView(host) }
    }
  )
}
