// The hosts feature: host groups, hosts, their packages/repositories/history, fleet packages,
// the dashboard overview, report ingestion (shared with the agent routes through
// app.reportIngest) and the report-history retention timer.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { ReportIngest } from './report-ingest.js'
import { pruneReportHistory, RETENTION_EVERY_MS, RETENTION_TIMER } from './report-retention.js'
import { hostGroupRoutes } from './host-group-routes.js'
import { hostRoutes } from './host-routes.js'
import { hostDetailRoutes } from './host-detail-routes.js'
import { fleetPackageRoutes } from './fleet-package-routes.js'
import { fleetRepositoryRoutes } from './fleet-repository-routes.js'
import { fleetOverviewRoutes } from './fleet-overview-routes.js'
import { hostById } from './host-read-queries.js'
import { groupView } from './host-group-queries.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Applies agent reports to the database (report-ingest.ts). */
    reportIngest: ReportIngest
  }
}

async function hostsPlugin(app: FastifyInstance): Promise<void> {
  // Built on the first report, not at start: preparing its statements is a noticeable part of a
  // cold start, and a server that has just started answers its health check before any report.
  let reportIngest: ReportIngest | undefined
  app.decorate('reportIngest', {
    getter: () => (reportIngest ??= new ReportIngest(app.store.db, app.store.sqlite))
  })
  // The audit log keeps a host's or group's name beside its id (read before a delete).
  app.auditLabels.set('host', async (id) => (await hostById(app.store.db, id))?.friendly_name)
  app.auditLabels.set('host_group', async (id) => (await groupView(app.store.db, id))?.name)
  app.timers.add({
    name: RETENTION_TIMER,
    everyMs: RETENTION_EVERY_MS,
    run: async () => {
      const removed = await pruneReportHistory(app.store.db, app.config.reportRetentionDays)
      if (removed > 0) app.log.info({ removed }, 'report history pruned')
    }
  })
  await app.register(hostGroupRoutes)
  await app.register(hostRoutes)
  await app.register(hostDetailRoutes)
  await app.register(fleetPackageRoutes)
  await app.register(fleetRepositoryRoutes)
  await app.register(fleetOverviewRoutes)
}

export default fp(hostsPlugin, { name: 'hosts', dependencies: ['app-context', 'session-auth', 'rate-limits', 'audit'] })
