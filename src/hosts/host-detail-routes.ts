// What a host reported: its packages (filters, paging), its repositories and its report history.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { COMMON, notFound } from '../http/errors.js'
import { SECURITY } from '../http/openapi.js'
import { containsText } from './text-search.js'
import { ErrorReply, HostPackage, HostRepository, IdParams, Pagination, ReportHistoryItem } from './host-schemas.js'

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

  async function assertHost(id: string): Promise<void> {
    const host = await db.selectFrom('hosts').select('id').where('id', '=', id).executeTakeFirst()
    if (!host) throw notFound(COMMON.hostNotFound)
  }

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
      const hostId = request.params.id
      await assertHost(hostId)
      const { updates_only: updatesOnly, security_only: securityOnly, search } = request.query
      const limit = request.query.limit ?? 50
      const offset = request.query.offset ?? 0
      const base = () => {
        let q = db.selectFrom('host_packages as hp').innerJoin('packages as p', 'p.id', 'hp.package_id').where('hp.host_id', '=', hostId)
        if (updatesOnly || securityOnly) q = q.where('hp.needs_update', '=', 1)
        if (securityOnly) q = q.where('hp.is_security_update', '=', 1)
        if (search && search.trim() !== '') q = q.where((eb) => containsText(eb.ref('p.name'), search.trim()))
        return q
      }
      const rows = await base()
        .select([
          'p.id',
          'p.name',
          'p.description',
          'p.category',
          'hp.current_version',
          'hp.available_version',
          'hp.needs_update',
          'hp.is_security_update',
          'hp.last_checked'
        ])
        .orderBy((eb) => eb('hp.needs_update', '*', eb.ref('hp.is_security_update')), 'desc')
        .orderBy('hp.needs_update', 'desc')
        .orderBy('p.name')
        .limit(limit)
        .offset(offset)
        .execute()
      const count = await base()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      return {
        packages: rows.map((r) => ({ ...r, needs_update: r.needs_update === 1, is_security_update: r.is_security_update === 1 })),
        total: Number(count.n),
        limit,
        offset
      }
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
      await assertHost(request.params.id)
      const rows = await db
        .selectFrom('host_repositories as hr')
        .innerJoin('repositories as r', 'r.id', 'hr.repository_id')
        // name and is_secure as this host reported them, never another host's version.
        .select([
          'r.id',
          'hr.name',
          'r.url',
          'r.distribution',
          'r.components',
          'r.repo_type',
          'hr.is_secure',
          'hr.is_enabled',
          'hr.last_checked'
        ])
        .where('hr.host_id', '=', request.params.id)
        .orderBy('hr.name')
        .execute()
      return { repositories: rows.map((r) => ({ ...r, is_secure: r.is_secure === 1, is_enabled: r.is_enabled === 1 })) }
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
      const hostId = request.params.id
      await assertHost(hostId)
      const limit = request.query.limit ?? 50
      const offset = request.query.offset ?? 0
      const reports = await db
        .selectFrom('report_history')
        .select([
          'id',
          'status',
          'total_packages',
          'outdated_packages',
          'security_updates',
          'payload_kb',
          'execution_time_seconds',
          'error_message',
          'created_at'
        ])
        .where('host_id', '=', hostId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute()
      const count = await db
        .selectFrom('report_history')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('host_id', '=', hostId)
        .executeTakeFirstOrThrow()
      return { reports, total: Number(count.n), limit, offset }
    }
  )
}
