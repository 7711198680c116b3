// Repositories across the fleet (issue 20 part 4): which hosts use which repository, insecure
// (plain http/ftp) ones flagged. Needs can_view_hosts; limited to the user's host scope.
import { Type, type FastifyPluginAsyncTypebox, type Static } from '@fastify/type-provider-typebox'
import { notFound } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { SECURITY } from '../http/openapi.js'
import { ErrorReply, IdParams } from '../http/schema-fragments.js'
import { Pagination } from './host-schemas.js'
import { fleetRepositoriesPage, repositoryHosts } from './fleet-repository-queries.js'

const nullableString = Type.Union([Type.String(), Type.Null()])
const Insecure = Type.Boolean({ description: 'fetched over plain http:// or ftp:// (docs/docker-and-repositories.md)' })

const Repository = {
  id: Type.String(),
  name: Type.String({ description: 'the name the first reporting host gave it; each host keeps its own' }),
  url: Type.String(),
  distribution: Type.String(),
  components: Type.String(),
  repo_type: Type.String(),
  host_count: Type.Integer({ description: 'hosts (in your scope) that have it configured' }),
  insecure: Insecure
}

export const FleetRepository = Type.Object({ ...Repository, enabled_host_count: Type.Integer() })
export const FleetRepositoriesReply = Type.Object({
  repositories: Type.Array(FleetRepository),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  counts: Type.Object({ repositories: Type.Integer(), insecure: Type.Integer(), hosts_with_insecure: Type.Integer() })
})
export const RepositoryHostsReply = Type.Object({
  repository: Type.Object(Repository),
  hosts: Type.Array(
    Type.Object({
      id: Type.String(),
      friendly_name: Type.String(),
      hostname: nullableString,
      name: Type.String({ description: 'the name this host reported' }),
      is_enabled: Type.Boolean(),
      is_secure: Type.Boolean({ description: "the agent's own isSecure for this host" }),
      last_checked: Type.String()
    })
  )
})
export type FleetRepositoriesReply = Static<typeof FleetRepositoriesReply>
export type RepositoryHostsReply = Static<typeof RepositoryHostsReply>

export const fleetRepositoryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.store.db
  const config = { rateLimit: app.rateLimitBucket('general') }
  const view = app.requirePermission('can_view_hosts')

  app.get(
    '/api/v1/repositories',
    {
      schema: {
        tags: ['repositories'],
        summary: 'Repositories across the fleet: insecure first, then most hosts',
        security: SECURITY.bearer,
        querystring: Type.Object({
          search: Type.Optional(Type.String({ maxLength: 255 })),
          insecure_only: Type.Optional(Type.Boolean()),
          ...Pagination
        }),
        response: { 200: FleetRepositoriesReply }
      },
      preHandler: view,
      config
    },
    async (request) => {
      const limit = request.query.limit ?? 50
      const offset = request.query.offset ?? 0
      const page = await fleetRepositoriesPage(db, {
        search: request.query.search,
        insecureOnly: request.query.insecure_only,
        limit,
        offset
      })
      return { ...page, limit, offset }
    }
  )

  app.get(
    '/api/v1/repositories/:id',
    {
      schema: {
        tags: ['repositories'],
        summary: 'One repository and the hosts that use it',
        security: SECURITY.bearer,
        params: IdParams,
        response: { 200: RepositoryHostsReply, 404: ErrorReply }
      },
      preHandler: view,
      config
    },
    async (request) => {
      const found = await repositoryHosts(db, request.params.id)
      if (!found) throw notFound(ERROR_MESSAGES.inventory.repositoryNotFound.message)
      return found
    }
  )
}
