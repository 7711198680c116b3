// Packages across the fleet: which are installed where, and how many hosts need an update or a
// security update for each. Needs can_view_packages.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { notFound } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { SECURITY } from '../http/openapi.js'
import { Pagination } from './host-schemas.js'
import { ErrorReply, IdParams } from '../http/schema-fragments.js'
import { fleetPackagesPage, packageHostsPage } from './fleet-package-queries.js'

const nullableString = Type.Union([Type.String(), Type.Null()])

const FleetPackage = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: nullableString,
  category: nullableString,
  host_count: Type.Integer({ description: 'hosts with the package installed' }),
  hosts_needing_update: Type.Integer(),
  hosts_needing_security_update: Type.Integer()
})

const FleetQuery = Type.Object({
  search: Type.Optional(Type.String({ maxLength: 255 })),
  updates_only: Type.Optional(Type.Boolean()),
  security_only: Type.Optional(Type.Boolean()),
  ...Pagination
})

const PackageHost = Type.Object({
  id: Type.String(),
  friendly_name: Type.String(),
  hostname: nullableString,
  current_version: Type.String(),
  available_version: nullableString,
  needs_update: Type.Boolean(),
  is_security_update: Type.Boolean(),
  last_checked: Type.String()
})

export const fleetPackageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.store.db
  const config = { rateLimit: app.rateLimitBucket('general') }
  const view = app.requirePermission('can_view_packages')

  app.get(
    '/api/v1/packages',
    {
      schema: {
        tags: ['packages'],
        summary: 'Packages across the fleet, most hosts needing an update first',
        security: SECURITY.bearer,
        querystring: FleetQuery,
        response: {
          200: Type.Object({ packages: Type.Array(FleetPackage), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() })
        }
      },
      preHandler: view,
      config
    },
    async (request) => {
      const { search, updates_only: updatesOnly, security_only: securityOnly } = request.query
      const limit = request.query.limit ?? 50
      const offset = request.query.offset ?? 0
      return { ...(await fleetPackagesPage(db, { search, updatesOnly, securityOnly, limit, offset })), limit, offset }
    }
  )

  app.get(
    '/api/v1/packages/:id/hosts',
    {
      schema: {
        tags: ['packages'],
        summary: 'Hosts that have a package, those needing an update first',
        security: SECURITY.bearer,
        params: IdParams,
        querystring: Type.Object({ updates_only: Type.Optional(Type.Boolean()), ...Pagination }),
        response: {
          200: Type.Object({
            package: Type.Object({ id: Type.String(), name: Type.String(), description: nullableString, category: nullableString }),
            hosts: Type.Array(PackageHost),
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
      const page = await packageHostsPage(db, request.params.id, { updatesOnly: request.query.updates_only, limit, offset })
      if (!page) throw notFound(ERROR_MESSAGES.hosts.packageNotFound.message)
      return { ...page, limit, offset }
    }
  )
}
