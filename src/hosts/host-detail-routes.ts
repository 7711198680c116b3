// What a host reported: its packages (filters, paging), its repositories and its report history.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { COMMON, notFound } from '../http/errors.js'
import { SECURITY } from '../http/openapi.js'
import { hostPackagesPage, hostReportsPage, hostRepositories } from './host-detail-queries.js'
import { HostPackage, HostRepository, Pagination, ReportHistoryItem } from './host-schemas.js'
import { ErrorReply, IdParams } from '../http/schema-fragments.js'

const PackageQuery = Type.Object({
  updates_only: Type.Optional(Type.Boolean()),
  security_only: Type.Optional(Type.Boolean()),
  search: Type.Optional(Type.String({ maxLength: 255 })),
  ...Pagination
})

export const hostDetailRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.store.db
  const config = { rateLimit: app.rateLimitBucket('general') }
  const view = app.requirePermission('can_view_hosts')

  app.get(
    '/api/v1/hosts/:id/packages',
    {
      schema: {
        tags: ['hosts'],
        summary: 'Packages of a host: security updates first, then other updates, then by name',
        security: SECURITY.bearer,
        params: IdParams,
        querystring: PackageQuery,
        response: {
          200: Type.Object({ packages: Type.Array(HostPackage), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }),
          404: ErrorReply
        }
      },
      preHandler: view,
      config
    },
    async (request) => {
      const { updates_only: updatesOnly, security_only: securityOnly, search } = request.query
      const limit = request.query.limit ?? 50
      const offset = request.query.offset ?? 0
      const page = await hostPackagesPage(db, request.params.id, { updatesOnly, securityOnly, search, limit, offset })
      if (!page) throw notFound(COMMON.hostNotFound)
      return { ...page, limit, offset }
    }
  )

  app.get(
    '/api/v1/hosts/:id/repositories',
    {
      schema: {
        tags: ['hosts'],
        summary: 'Repositories a host reported',
        security: SECURITY.bearer,
        params: IdParams,
        response: { 200: Type.Object({ repositories: Type.Array(HostRepository) }), 404: ErrorReply }
      },
      preHandler: view,
      config
    },
    async (request) => {
      const repositories = await hostRepositories(db, request.params.id)
      if (!repositories) throw notFound(COMMON.hostNotFound)
      return { repositories }
    }
  )

  app.get(
    '/api/v1/hosts/:id/reports',
    {
      schema: {
        tags: ['hosts'],
        summary: 'Report history of a host, newest first',
        security: SECURITY.bearer,
        params: IdParams,
        querystring: Type.Object(Pagination),
        response: {
          200: Type.Object({
            reports: Type.Array(ReportHistoryItem),
            total: Type.Integer(),
            limit: Type.Integer(),
            offset: Type.Integer()
          }),
          404: ErrorReply
        }
      },
      preHandler: view,
      config
    },
    async (request) => {
      const limit = request.query.limit ?? 50
      const offset = request.query.offset ?? 0
      const page = await hostReportsPage(db, request.params.id, limit, offset)
      if (!page) throw notFound(COMMON.hostNotFound)
      return { ...page, limit, offset }
    }
  )
}
