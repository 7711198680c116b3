// Scheduled reports: the routes and the scheduler timer (every minute; once right after start so a
// run missed while the server was down goes out then).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { runDueReports } from './scheduled-report-service.js'
import { scheduledReportRoutes } from './scheduled-report-routes.js'

export const REPORT_SCHEDULER_TIMER = 'reports:scheduler'

async function reportsPlugin(app: FastifyInstance): Promise<void> {
  app.timers.add({ name: REPORT_SCHEDULER_TIMER, everyMs: 60_000, runOnStart: true, run: () => runDueReports(app).then(() => undefined) })
  await app.register(scheduledReportRoutes)
}

export default fp(reportsPlugin, { name: 'reports', dependencies: ['notifications'] })
