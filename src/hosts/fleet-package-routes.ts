// Packages across the fleet: which are installed where, and how many hosts need an update or a
// security update for each. Needs can_view_packages.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { notFound } from '../http/errors.js'
import { SECURITY } from '../http/openapi.js'
import { ErrorReply, IdParams, Pagination } from './host-schemas.js'
import { containsText } from './text-search.js'

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
      const base = () => {
        let q = db.selectFrom('packages as p').innerJoin('host_packages as hp', 'hp.package_id', 'p.id')
        if (search && search.trim() !== '') q = q.where((eb) => containsText(eb.ref('p.name'), search.trim()))
        if (updatesOnly || securityOnly) q = q.where('hp.needs_update', '=', 1)
        if (securityOnly) q = q.where('hp.is_security_update', '=', 1)
        return q
      }
      // With an update filter the counts are of the matching rows only; the per-package totals below
      // therefore come from one grouped pass over the filtered rows.
      const rows = await base()
        .select(['p.id', 'p.name', 'p.description', 'p.category'])
        .select((eb) => [
          eb.fn.count<number>('hp.host_id').as('host_count'),
          eb.fn.sum<number>('hp.needs_update').as('hosts_needing_update'),
          eb.fn.sum<number>(eb('hp.needs_update', '*', eb.ref('hp.is_security_update'))).as('hosts_needing_security_update')
        ])
        .groupBy('p.id')
        .orderBy('hosts_needing_security_update', 'desc')
        .orderBy('hosts_needing_update', 'desc')
        .orderBy('p.name')
        .limit(limit)
        .offset(offset)
        .execute()
      const count = await base()
        .select((eb) => eb.fn.count<number>('p.id').distinct().as('n'))
        .executeTakeFirstOrThrow()
      return {
        packages: rows.map((r) => ({
          ...r,
          host_count: Number(r.host_count),
          hosts_needing_update: Number(r.hosts_needing_update ?? 0),
          hosts_needing_security_update: Number(r.hosts_needing_security_update ?? 0)
        })),
        total: Number(count.n),
        limit,
        offset
      }
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
      const pkg = await db
        .selectFrom('packages')
        .select(['id', 'name', 'description', 'category'])
        .where('id', '=', request.params.id)
        .executeTakeFirst()
      if (!pkg) throw notFound('Package not found')
      const limit = request.query.limit ?? 50
      const offset = request.query.offset ?? 0
      const base = () => {
        let q = db.selectFrom('host_packages as hp').innerJoin('hosts as h', 'h.id', 'hp.host_id').where('hp.package_id', '=', pkg.id)
        if (request.query.updates_only) q = q.where('hp.needs_update', '=', 1)
        return q
      }
      const rows = await base()
        .select([
          'h.id',
          'h.friendly_name',
          'h.hostname',
          'hp.current_version',
          'hp.available_version',
          'hp.needs_update',
          'hp.is_security_update',
          'hp.last_checked'
        ])
        .orderBy('hp.needs_update', 'desc')
        .orderBy('hp.is_security_update', 'desc')
        .orderBy('h.friendly_name')
        .limit(limit)
        .offset(offset)
        .execute()
      const count = await base()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      return {
        package: pkg,
        hosts: rows.map((r) => ({ ...r, needs_update: r.needs_update === 1, is_security_update: r.is_security_update === 1 })),
        total: Number(count.n),
        limit,
        offset
      }
    }
  )
}
