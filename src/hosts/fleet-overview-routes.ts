// GET /api/v1/dashboard/stats, the fleet overview in one call: hosts by status, update and security counts, OS distribution,
// hosts needing a reboot and the latest reports. Every figure comes from the denormalised host
// counts or indexed columns, so the call stays cheap on large fleets.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { SECURITY } from '../http/openapi.js'
import { inactiveCutoff } from './host-status.js'

const RECENT_REPORTS = 10

const DashboardStats = Type.Object({
  total_hosts: Type.Integer(),
  hosts_by_status: Type.Object({ pending: Type.Integer(), active: Type.Integer(), inactive: Type.Integer() }),
  hosts_needing_updates: Type.Integer(),
  hosts_with_security_updates: Type.Integer(),
  total_outdated_packages: Type.Integer({ description: 'sum over hosts of packages needing an update' }),
  total_security_updates: Type.Integer({ description: 'sum over hosts of packages needing a security update' }),
  hosts_needing_reboot: Type.Integer(),
  os_distribution: Type.Array(Type.Object({ os_type: Type.String(), os_version: Type.String(), count: Type.Integer() })),
  recent_reports: Type.Array(
    Type.Object({
      id: Type.String(),
      host_id: Type.String(),
      friendly_name: Type.String(),
      status: Type.String(),
      total_packages: Type.Integer(),
      outdated_packages: Type.Integer(),
      security_updates: Type.Integer(),
      created_at: Type.String()
    })
  ),
  update_interval: Type.Integer(),
  generated_at: Type.String()
})

export const fleetOverviewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.store.db

  app.get(
    '/api/v1/dashboard/stats',
    {
      schema: { tags: ['dashboard'], summary: 'Fleet overview', security: SECURITY.bearer, response: { 200: DashboardStats } },
      preHandler: app.requirePermission('can_view_dashboard'),
      config: { rateLimit: app.rateLimitBucket('general') }
    },
    async () => {
      const updateInterval = await app.settings.get('update_interval')
      const now = Date.now()
      const cutoff = inactiveCutoff(updateInterval, now)
      const totals = await db
        .selectFrom('hosts')
        .select((eb) => [
          eb.fn.countAll<number>().as('total'),
          eb.fn
            .sum<number>(
              eb
                .case()
                .when(eb.or([eb('status', '=', 'pending'), eb('last_update', 'is', null)]))
                .then(1)
                .else(0)
                .end()
            )
            .as('pending'),
          eb.fn
            .sum<number>(
              eb
                .case()
                .when(eb.and([eb('status', '!=', 'pending'), eb('last_update', '>=', cutoff)]))
                .then(1)
                .else(0)
                .end()
            )
            .as('active'),
          eb.fn.sum<number>(eb.case().when('outdated_packages', '>', 0).then(1).else(0).end()).as('needing_updates'),
          eb.fn.sum<number>(eb.case().when('security_updates', '>', 0).then(1).else(0).end()).as('with_security'),
          eb.fn.sum<number>('outdated_packages').as('outdated'),
          eb.fn.sum<number>('security_updates').as('security'),
          eb.fn.sum<number>(eb.case().when('needs_reboot', '=', 1).then(1).else(0).end()).as('reboot')
        ])
        .executeTakeFirstOrThrow()
      const os = await db
        .selectFrom('hosts')
        .select((eb) => [
          eb.fn.coalesce('os_type', eb.val('Unknown')).as('os_type'),
          eb.fn.coalesce('os_version', eb.val('')).as('os_version'),
          eb.fn.countAll<number>().as('count')
        ])
        .where('os_type', 'is not', null)
        .groupBy(['os_type', 'os_version'])
        .orderBy('count', 'desc')
        .orderBy('os_type')
        .execute()
      const recent = await db
        .selectFrom('report_history as r')
        .innerJoin('hosts as h', 'h.id', 'r.host_id')
        .select([
          'r.id',
          'r.host_id',
          'h.friendly_name',
          'r.status',
          'r.total_packages',
          'r.outdated_packages',
          'r.security_updates',
          'r.created_at'
        ])
        .orderBy('r.created_at', 'desc')
        .limit(RECENT_REPORTS)
        .execute()
      const total = Number(totals.total)
      const pending = Number(totals.pending ?? 0)
      const active = Number(totals.active ?? 0)
      return {
        total_hosts: total,
        hosts_by_status: { pending, active, inactive: total - pending - active },
        hosts_needing_updates: Number(totals.needing_updates ?? 0),
        hosts_with_security_updates: Number(totals.with_security ?? 0),
        total_outdated_packages: Number(totals.outdated ?? 0),
        total_security_updates: Number(totals.security ?? 0),
        hosts_needing_reboot: Number(totals.reboot ?? 0),
        os_distribution: os.map((r) => ({ os_type: r.os_type, os_version: r.os_version, count: Number(r.count) })),
        recent_reports: recent,
        update_interval: updateInterval,
        generated_at: new Date(now).toISOString()
      }
    }
  )
}
