// The Docker screen's API (issue 20 part 3): containers, images and the stopped-container history
// across the fleet or of one host (host_id), with counts; and per host, whether its agent is told
// to collect Docker data. Every read is limited to the user's host scope (docker-queries.ts).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { COMMON, notFound } from '../http/errors.js'
import { SECURITY } from '../http/openapi.js'
import { ErrorReply, IdParams } from '../http/schema-fragments.js'
import { hostRefs } from '../hosts/host-read-queries.js'
import { containersPage, dockerCounts, imagesPage } from './docker-queries.js'
import { containerEventsPage } from './docker-history.js'
import { dockerIntegrationEnabled, setDockerIntegration } from './docker-integration.js'
import {
  ContainerQuery,
  ContainersReply,
  CountsQuery,
  DockerCounts,
  EventQuery,
  EventsReply,
  HostDocker,
  ImageQuery,
  ImagesReply
} from './docker-schemas.js'

const TAGS = ['docker']

export const dockerDashboardRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.store.db
  const config = { rateLimit: app.rateLimitBucket('general') }
  const view = app.requirePermission('can_view_hosts')
  const manage = app.requirePermission('can_manage_hosts')

  /** Rows carry host ids; the names come from the hosts feature (and only for hosts in scope). */
  async function withHostNames<T extends { host_id: string }>(rows: T[]) {
    const hosts = await hostRefs(
      db,
      rows.map((r) => r.host_id)
    )
    return rows.flatMap((r) => {
      const host = hosts.get(r.host_id)
      return host ? [{ ...r, host_name: host.friendly_name }] : []
    })
  }

  app.get(
    '/api/v1/docker/counts',
    {
      schema: {
        tags: TAGS,
        summary: 'Docker counts across the fleet (or of one host)',
        security: SECURITY.bearer,
        querystring: CountsQuery,
        response: { 200: DockerCounts }
      },
      preHandler: view,
      config
    },
    async (request) => dockerCounts(db, request.query.host_id)
  )

  app.get(
    '/api/v1/docker/containers',
    {
      schema: {
        tags: TAGS,
        summary: 'Containers across the fleet: stopped first, then by name',
        security: SECURITY.bearer,
        querystring: ContainerQuery,
        response: { 200: ContainersReply }
      },
      preHandler: view,
      config
    },
    async (request) => {
      const { state, updates_only: updatesOnly, host_id: hostId, search } = request.query
      const limit = request.query.limit ?? 50
      const offset = request.query.offset ?? 0
      const page = await containersPage(db, { state, updatesOnly, hostId, search, limit, offset })
      return { containers: await withHostNames(page.rows), total: page.total, limit, offset }
    }
  )

  app.get(
    '/api/v1/docker/images',
    {
      schema: {
        tags: TAGS,
        summary: 'Images across the fleet with the hosts and containers using them; updates first',
        security: SECURITY.bearer,
        querystring: ImageQuery,
        response: { 200: ImagesReply }
      },
      preHandler: view,
      config
    },
    async (request) => {
      const { updates_only: updatesOnly, host_id: hostId, search } = request.query
      const limit = request.query.limit ?? 50
      const offset = request.query.offset ?? 0
      const page = await imagesPage(db, { updatesOnly, hostId, search, limit, offset })
      return { images: page.rows, total: page.total, limit, offset }
    }
  )

  app.get(
    '/api/v1/docker/events',
    {
      schema: {
        tags: TAGS,
        summary: 'Containers that stopped (running in one inventory, exited/dead/stopped in the next), newest first',
        security: SECURITY.bearer,
        querystring: EventQuery,
        response: { 200: EventsReply }
      },
      preHandler: view,
      config
    },
    async (request) => {
      const limit = request.query.limit ?? 50
      const offset = request.query.offset ?? 0
      const page = await containerEventsPage(db, { hostId: request.query.host_id, search: request.query.search, limit, offset })
      return { events: await withHostNames(page.rows), total: page.total, limit, offset }
    }
  )

  app.get(
    '/api/v1/hosts/:id/docker',
    {
      schema: {
        tags: TAGS,
        summary: "A host's Docker counts and whether its agent is told to collect Docker data",
        security: SECURITY.bearer,
        params: IdParams,
        response: { 200: HostDocker, 404: ErrorReply }
      },
      preHandler: view,
      config
    },
    async (request) => {
      const id = request.params.id
      if (!(await hostRefs(db, [id])).has(id)) throw notFound(COMMON.hostNotFound)
      return { host_id: id, integration_enabled: await dockerIntegrationEnabled(db, id), counts: await dockerCounts(db, id) }
    }
  )

  app.put(
    '/api/v1/hosts/:id/docker/integration',
    {
      schema: {
        tags: TAGS,
        summary: "Turn the host agent's Docker collection on or off",
        description: 'The 2.x agent reads this at start-up (GET /api/v1/hosts/integrations) and rewrites its config to match.',
        security: SECURITY.bearer,
        params: IdParams,
        body: Type.Object({ enabled: Type.Boolean() }),
        response: { 200: HostDocker, 404: ErrorReply }
      },
      preHandler: manage,
      config: { ...config, audit: { action: 'host.docker_integration', target: 'host' } }
    },
    async (request) => {
      const id = request.params.id
      if (!(await hostRefs(db, [id])).has(id)) throw notFound(COMMON.hostNotFound)
      await setDockerIntegration(db, id, request.body.enabled, new Date())
      return { host_id: id, integration_enabled: request.body.enabled, counts: await dockerCounts(db, id) }
    }
  )
}
