// The patching feature, one plugin (issue 17): patch runs (launcher, dispatch over the agent's live
// channel, agent output, browser stream), the upstream timing policies, and the audit trail.
// Schedules, holds, windows, reboots and bulk build on the launcher (runs/patch-run-service.ts).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { PatchRuns } from './runs/patch-run-service.js'
import { RunStreamHub } from './runs/run-stream-hub.js'
import { DISPATCH_EVERY_MS, DISPATCH_TIMER, RunDispatcher } from './runs/run-dispatcher.js'
import { runRoutes } from './runs/run-routes.js'
import { runStreamRoutes } from './runs/run-stream-routes.js'
import { policyRoutes } from './policies/policy-routes.js'
import { auditRoutes } from './audit/audit-routes.js'
import { patchingIntegrationRoutes } from './runs/integration-routes.js'
import { deleteAssignmentsOfTarget } from './policies/policy-queries.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Dispatch, settling and the periodic sweep of patch runs. */
    patchRunDispatcher: RunDispatcher
    /** Live output of runs for browser streams. */
    patchRunStreams: RunStreamHub
  }
}

async function patching(app: FastifyInstance): Promise<void> {
  const runs = new PatchRuns(app)
  const hub = new RunStreamHub()
  const dispatcher = new RunDispatcher(app, runs, hub)
  runs.pump = (hostId) => dispatcher.pump(hostId)
  app.decorate('patchRuns', runs)
  app.decorate('patchRunStreams', hub)
  app.decorate('patchRunDispatcher', dispatcher)

  // Runs wait in SQLite; the tick (also once at start) sends the due ones, so a restart re-arms them.
  app.timers.add({ name: DISPATCH_TIMER, everyMs: DISPATCH_EVERY_MS, runOnStart: true, run: () => dispatcher.tick() })
  const offConnect = app.agentConnections.onConnect((hostId) => void dispatcher.pump(hostId))
  const offDisconnect = app.agentConnections.onDisconnect((hostId) => dispatcher.agentDropped(hostId))
  const offHostDeleted = app.events.on('host_deleted', ({ hostId }) => deleteAssignmentsOfTarget(app.store.db, 'host', hostId))
  app.addHook('onClose', async () => {
    offHostDeleted()
    offConnect()
    offDisconnect()
    dispatcher.stop()
  })

  await app.register(runRoutes)
  await app.register(runStreamRoutes)
  await app.register(policyRoutes)
  await app.register(auditRoutes)
  await app.register(patchingIntegrationRoutes)
}

export default fp(patching, { name: 'patching', dependencies: ['app-context', 'rate-limits', 'session-auth', 'hosts', 'agent'] })
