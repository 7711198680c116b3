// Repositories across the fleet (issue 20 part 4): which hosts use which repository, insecure
// (plain http/ftp) ones flagged. Needs can_view_hosts; limited to the user's host scope.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { notFound } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { SECURITY } from '../http/openapi.js'
import { ErrorReply, IdParams } from '../http/schema-fragments.js'
import { Pagination } from './host-schemas.js'
import { fleetRepositoriesPage, repositoryHosts } from './fleet-repository-queries.js'
import { FleetRepositoriesReply, RepositoryHostsReply } from './fleet-repository-schemas.js'

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
