// "Patch after backup": a run may require the host's pre-patch hook (our shell agent runs
// /etc/patchmon/pre-patch before patching and reports its exit code). Such a run is only launched
// for an agent that announces the pre_patch_hook capability, the frame carries
// `require_pre_patch_hook: true` so the agent can refuse on its own, and when the agent says `started`
// without a hook result that exited 0 the server fails the run and tells the agent to stop.
import type { FastifyInstance } from 'fastify'
import { ApiError } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import type { LaunchPatchRun } from './runs/patch-run-service.js'
import { runById } from './runs/run-queries.js'
import { parseJson } from './runs/run-view.js'

export const PRE_PATCH_CAPABILITY = 'pre_patch_hook'

export function requireHookCapability(app: FastifyInstance, input: LaunchPatchRun): LaunchPatchRun {
  if (!input.options?.requirePrePatchHook || app.agentConnections.capabilities(input.hostId).has(PRE_PATCH_CAPABILITY)) return input
  const e = ERROR_MESSAGES.patchSchedules.hookUnsupported
  throw new ApiError(e.status, {
    error: e.message,
    message: 'Only an agent that announces the pre_patch_hook capability (the PatchMon shell agent) reports its pre-patch hook'
  })
}

/** On `started`: a run that requires a passing hook and reported none (or a failing one) fails and is stopped. */
export async function enforcePrePatchHook(app: FastifyInstance, runId: string): Promise<void> {
  const run = await runById(app.store.db, runId)
  if (!run || run.status !== 'running') return
  if (!parseJson<{ requirePrePatchHook?: boolean }>(run.options)?.requirePrePatchHook) return
  const hook = parseJson<{ exit_code: number }>(run.pre_patch_hook)
  if (hook && hook.exit_code === 0) return
  const reason = hook ? `pre-patch hook exited ${hook.exit_code}` : 'pre-patch hook required, but the agent reported none'
  const settled = await app.patchRunDispatcher.settle(run.id, ['running'], {
    status: 'failed',
    error_message: reason,
    completed_at: app.patchRuns.now().toISOString()
  })
  if (settled) app.agentConnections.send(run.host_id, { type: 'patch_run_stop', patch_run_id: run.id })
}
