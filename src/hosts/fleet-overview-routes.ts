// GET /api/v1/dashboard/stats, the fleet overview in one call: hosts by status, update and security counts, OS distribution,
// hosts needing a reboot and the latest reports. Every figure comes from the denormalised host
// counts or indexed columns, so the call stays cheap on large fleets.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import { SECURITY } from '../http/openapi.js'
import { fleetOverview } from './fleet-overview.js'

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
  app.get(
    '/api/v1/dashboard/stats',
    {
      schema: { tags: ['dashboard'], summary: 'Fleet overview', security: SECURITY.bearer, response: { 200: DashboardStats } },
      preHandler: app.requirePermission('can_view_dashboard'),
      config: { rateLimit: app.rateLimitBucket('general') }
    },
    async () => fleetOverview(app.store.db, await app.settings.get('update_interval'), Date.now(), RECENT_REPORTS)
  )
}
