// Patching beyond upstream (issue 17 items 4-5), one plugin on top of the runs plugin: package holds,
// maintenance windows and reboot exemptions as pre-launch hooks of every run, recurring schedules
// and bulk batches on the timers table, and their routes under /api/v1/patching/.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { registerPatchRunPreparer } from './runs/patch-run-service.js'
import { withoutHeldPackages } from './holds/hold-service.js'
import { checkWindow, windowClosedReason } from './windows/window-service.js'
import { withRebootExemption } from './reboots/reboot-service.js'
import { rearmSchedules, tickSchedules } from './schedules/schedule-service.js'
import { BulkBatches } from './bulk/bulk-service.js'
import { enforcePrePatchHook, requireHookCapability } from './pre-patch-hook.js'
import { holdRoutes } from './holds/hold-routes.js'
import { windowRoutes } from './windows/window-routes.js'
import { scheduleRoutes } from './schedules/schedule-routes.js'
import { rebootRoutes } from './reboots/reboot-routes.js'
import { bulkRoutes } from './bulk/bulk-routes.js'

export const SCHEDULE_TIMER = 'patching:schedules'
export const BULK_TIMER = 'patching:bulk'

declare module 'fastify' {
  interface FastifyInstance {
    /** Bulk patch batches: create, advance (src/patching/bulk/bulk-service.ts). */
    bulkBatches: BulkBatches
  }
}

async function patchingBeyond(app: FastifyInstance): Promise<void> {
  const db = app.store.db
  registerPatchRunPreparer(app, (input) => withoutHeldPackages(db, input))
  registerPatchRunPreparer(app, async (input) => {
    // A dry run or a submission for approval installs nothing, so it may happen outside a window.
    if (input.dryRun || input.pendingApproval) return input
    const mayWait = input.triggeredBy.source === 'schedule' || Boolean(input.runAt)
    const verdict = await checkWindow(db, input.hostId, input.runAt ?? app.patchRuns.now(), mayWait)
    return verdict.kind === 'moved' ? { ...input, runAt: verdict.open.opensAt } : input
  })
  registerPatchRunPreparer(app, (input) =>
    withRebootExemption(db, input, app.agentConnections.capabilities(input.hostId).has('reboot_host'))
  )
  registerPatchRunPreparer(app, (input) => requireHookCapability(app, input))
  app.patchRuns.registerDispatchGuard((run, now) => windowClosedReason(db, run, now))

  app.events.on('patch_run_started', (event) => enforcePrePatchHook(app, event.runId))
  app.decorate('bulkBatches', new BulkBatches(app))
  for (const name of ['patch_run_completed', 'patch_run_failed', 'patch_run_cancelled'] as const) {
    app.events.on(name, (event) => app.bulkBatches.runSettled(event.runId))
  }

  // The first tick after start re-arms future slots from the cron (a changed TZ moves them).
  let armed = false
  app.timers.add({
    name: SCHEDULE_TIMER,
    everyMs: 30_000,
    runOnStart: true,
    run: async () => {
      if (!armed) await rearmSchedules(app)
      armed = true
      await tickSchedules(app)
    }
  })
  app.timers.add({ name: BULK_TIMER, everyMs: 30_000, runOnStart: true, run: () => app.bulkBatches.advanceAll() })

  await app.register(holdRoutes)
  await app.register(windowRoutes)
  await app.register(scheduleRoutes)
  await app.register(rebootRoutes)
  await app.register(bulkRoutes)
}

export default fp(patchingBeyond, { name: 'patching-beyond', dependencies: ['patching', 'notifications', 'agent', 'hosts'] })
