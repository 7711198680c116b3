// What people do to existing runs: approve (a new real run pointing back at the source), re-queue a
// validation, stop, delete. Each is a guarded status change (the loser of a race gets 409) and an
// audit record.
import type { FastifyInstance } from 'fastify'
import { ApiError } from '../../http/errors.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import type { PatchRunRow } from '../../store/database-types.js'
import { recordPatchAudit } from '../audit/patch-audit.js'
import { changeStatus, deleteRun, requeueValidation, runById } from './run-queries.js'
import { emitRunEvent, publishDone } from './run-events.js'
import type { PatchRunOptions, PatchType } from './patch-run-service.js'
import { parseJson } from './run-view.js'
import { launchFromTrigger } from './run-reads.js'
import type { TriggerBody } from './run-schemas.js'

const E = ERROR_MESSAGES.patching
const err = (e: { message: string; status: number }) => new ApiError(e.status, { error: e.message })
const APPROVABLE = ['validated', 'pending_validation', 'pending_approval']
const STOPPABLE = ['queued', 'pending_validation', 'pending_approval', 'running', 'scheduled']
const DELETABLE = ['queued', 'pending_validation', 'pending_approval', 'validated', 'approved', 'scheduled']
export const CANCELLED_BY_USER = 'Cancelled by user'

async function existingRun(app: FastifyInstance, id: string): Promise<PatchRunRow> {
  const run = await runById(app.store.db, id)
  if (!run) throw err(E.runNotFound)
  return run
}

/** The reply's message for a new run (facts §3 trigger answers). */
export function launchMessage(run: { status: string; dry_run: boolean; scheduled_at: string }): string {
  if (run.status === 'pending_approval') return 'Submitted for approval'
  if (run.dry_run) return 'Dry run queued'
  return run.scheduled_at ? `Patch scheduled for ${run.scheduled_at}` : 'Patch queued'
}

/** POST /patching/trigger: launches the run and answers as upstream, plus whether the agent is connected. */
export async function triggerRun(app: FastifyInstance, body: TriggerBody, userId: string) {
  const run = await app.patchRuns.launch(launchFromTrigger(body, userId))
  const pending = run.status === 'pending_approval'
  return {
    message: launchMessage(run),
    patch_run_id: run.id,
    job_id: run.job_id,
    run_at: run.run_at,
    queued: !pending,
    ...(pending ? { pending_approval: true } : {}),
    agent_connected: app.agentConnections.isConnected(run.host_id)
  }
}

export async function approveRun(app: FastifyInstance, id: string, userId: string, scheduleOverride: 'immediate' | undefined) {
  const db = app.store.db
  const source = await existingRun(app, id)
  if (source.status === 'approved') throw err(E.alreadyApproved)
  if (!APPROVABLE.includes(source.status)) throw err(E.notApprovable)
  const now = app.patchRuns.now()
  // The guarded UPDATE is the concurrency control: of two approvals, one gets 409.
  if (
    !(await changeStatus(
      db,
      id,
      [source.status],
      { status: 'approved', approved_by_user_id: userId, dispatched_at: null },
      now.toISOString()
    ))
  ) {
    throw err(E.alreadyApproved)
  }
  publishDone(app.patchRunStreams, { ...source, status: 'approved' })
  let launched
  try {
    launched = await app.patchRuns.launch({
      hostId: source.host_id,
      patchType: source.patch_type as PatchType,
      packageNames: parseJson<string[]>(source.package_names) ?? [],
      options: parseJson<PatchRunOptions>(source.options) ?? {},
      triggeredBy: { userId: source.triggered_by_user_id, source: 'approval' },
      validationRunId: source.id,
      approvedByUserId: userId,
      scheduleOverride: scheduleOverride ?? null,
      scheduleId: source.schedule_id,
      bulkId: source.bulk_id
    })
  } catch (e) {
    // The new run could not be created (a hold, a window, the agent): the source stays approvable.
    await changeStatus(db, id, ['approved'], { status: source.status, approved_by_user_id: null }, now.toISOString())
    throw e
  }
  await recordPatchAudit(
    db,
    { action: 'approve', userId, runId: source.id, hostId: source.host_id, details: { new_run_id: launched.id } },
    now
  )
  await emitRunEvent(app, 'patch_run_approved', (await runById(db, launched.id)) as PatchRunRow)
  return { message: launchMessage(launched), patch_run_id: launched.id, validation_run_id: source.id, run_at: launched.run_at }
}

export async function retryValidation(app: FastifyInstance, id: string, userId: string) {
  const run = await existingRun(app, id)
  const now = app.patchRuns.now()
  if (!(await requeueValidation(app.store.db, run.id, now.toISOString()))) throw err(E.notRevalidatable)
  await recordPatchAudit(app.store.db, { action: 'retry_validation', userId, runId: run.id, hostId: run.host_id }, now)
  await app.patchRunDispatcher.pump(run.host_id)
  return { message: 'Validation re-queued', patch_run_id: run.id }
}

/** DB first (facts §4), then the agent is told if it may be working on the run. */
export async function stopRun(app: FastifyInstance, id: string, userId: string) {
  const run = await existingRun(app, id)
  if (!STOPPABLE.includes(run.status)) throw err(E.runFinished)
  const now = app.patchRuns.now()
  const settled = await app.patchRunDispatcher.settle(run.id, STOPPABLE, {
    status: 'cancelled',
    error_message: CANCELLED_BY_USER,
    completed_at: now.toISOString(),
    dispatched_at: null
  })
  if (!settled) throw err(E.runFinished)
  const agentMayHaveIt = run.status === 'running' || run.dispatched_at !== null
  const delivered = agentMayHaveIt ? app.agentConnections.send(run.host_id, { type: 'patch_run_stop', patch_run_id: run.id }) : 0
  const cancelledVia = delivered > 0 ? 'agent_signal' : 'db_only'
  await recordPatchAudit(
    app.store.db,
    { action: 'stop', userId, runId: run.id, hostId: run.host_id, details: { previous_status: run.status, cancelled_via: cancelledVia } },
    now
  )
  return { ok: true, cancelled_via: cancelledVia }
}

export async function deletePatchRun(app: FastifyInstance, id: string, userId: string) {
  const run = await existingRun(app, id)
  if (!DELETABLE.includes(run.status)) throw err(E.notDeletable)
  if (!(await deleteRun(app.store.db, run.id, DELETABLE))) throw err(E.notDeletable)
  if (run.dispatched_at !== null) app.agentConnections.send(run.host_id, { type: 'patch_run_stop', patch_run_id: run.id })
  const now = app.patchRuns.now()
  const gone = { ...run, status: 'cancelled', error_message: 'Deleted by user' }
  publishDone(app.patchRunStreams, gone)
  await recordPatchAudit(
    app.store.db,
    { action: 'delete', userId, runId: run.id, hostId: run.host_id, details: { previous_status: run.status } },
    now
  )
  await emitRunEvent(app, 'patch_run_cancelled', gone)
  void app.patchRunDispatcher.pump(run.host_id)
  return { message: 'Patch run deleted' }
}
