// What the agent reports on POST /api/v1/patching/runs/{id}/output (facts §2.2, §2.3, §5):
// - started: the run becomes `running` (the only way it does), output and counters reset;
// - progress: the chunk is appended (size-capped, tail kept) and is the stall sweep's sign of life;
// - completed / failed / cancelled / dry_run_completed: the full output replaces the streamed one.
// Guards as upstream: a terminal report never overwrites cancelled/completed/failed/validated rows,
// but does settle timed_out and agent_disconnected ones (a late report "unwedges" the row).
import type { FastifyInstance } from 'fastify'
import { ApiError } from '../../http/errors.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import type { PatchRunRow } from '../../store/database-types.js'
import { appendOutput, changeStatusUnless, runById, SETTLED_STATUSES, updateOutputOnly, type StatusChange } from './run-queries.js'
import { packagesAffected } from './packages-affected.js'
import { PACKAGE_NAME } from './patch-run-service.js'
import { emitRunEvent } from './run-events.js'
import type { AgentOutputBody as AgentOutputRequest } from './run-schemas.js'

export interface AgentOutputBody {
  stage: string
  output?: string
  error_message?: string
  /** Our shell agent: the local pre-patch hook's result (on `started` or `failed`). */
  pre_patch_hook?: { exit_code: number; output?: string }
  /** Our shell agent: whether the host needs a reboot after the run (on the terminal stage). */
  reboot_required?: boolean
  /** Our shell agent: the packages the run touched, as its package manager named them (terminal stage). */
  packages_affected?: string[]
}

const E = ERROR_MESSAGES.patching

/** The request body as the service takes it: nulls dropped, only the fields of the right type. */
export function agentOutputOf(body: AgentOutputRequest): AgentOutputBody {
  return {
    stage: body.stage,
    ...(typeof body.output === 'string' ? { output: body.output } : {}),
    ...(typeof body.error_message === 'string' ? { error_message: body.error_message } : {}),
    ...(body.pre_patch_hook ? { pre_patch_hook: body.pre_patch_hook } : {}),
    ...(typeof body.reboot_required === 'boolean' ? { reboot_required: body.reboot_required } : {}),
    ...(Array.isArray(body.packages_affected) ? { packages_affected: body.packages_affected } : {})
  }
}
const TERMINAL_STAGES: Record<string, string> = {
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  dry_run_completed: 'validated'
}
const HOOK_OUTPUT_MAX = 64 * 1024

/** Keeps the last `cap` characters; says whether anything was dropped. */
export function capOutput(output: string, cap: number): { text: string; truncated: number } {
  return output.length > cap ? { text: output.slice(-cap), truncated: 1 } : { text: output, truncated: 0 }
}

function hookJson(hook: AgentOutputBody['pre_patch_hook']): string | undefined {
  if (!hook || typeof hook.exit_code !== 'number') return undefined
  return JSON.stringify({ exit_code: hook.exit_code, output: (hook.output ?? '').slice(-HOOK_OUTPUT_MAX) })
}

export async function recordAgentOutput(app: FastifyInstance, hostId: string, runId: string, body: AgentOutputBody): Promise<void> {
  const db = app.store.db
  const run = await runById(db, runId)
  if (!run) throw new ApiError(E.runNotFound.status, { error: E.runNotFound.message })
  if (run.host_id !== hostId) throw new ApiError(E.runOfOtherHost.status, { error: E.runOfOtherHost.message })
  const nowIso = app.patchRuns.now().toISOString()
  const cap = app.config.patchOutputCapBytes
  const hook = hookJson(body.pre_patch_hook)

  if (body.stage === 'started') return started(app, run, nowIso, hook)
  if (body.stage === 'progress') {
    const chunk = body.output ?? ''
    if (chunk === '') return
    if (await appendOutput(db, run.id, chunk, cap, nowIso)) {
      app.patchRunStreams.publish({ type: 'chunk', patch_run_id: run.id, stage: 'progress', chunk })
    }
    return
  }
  const status = TERMINAL_STAGES[body.stage]
  if (!status) return // unknown stages are accepted and ignored, as upstream
  const { text, truncated } = capOutput(body.output ?? '', cap)
  if (status === 'cancelled' && run.status === 'cancelled') {
    // The user stopped it first: keep the status, take the agent's full output.
    await updateOutputOnly(db, run.id, text, truncated, body.error_message ?? null, nowIso)
    return
  }
  const change: StatusChange = {
    status,
    shell_output: text,
    output_truncated: truncated,
    error_message: body.error_message ?? (status === 'completed' || status === 'validated' ? null : run.error_message),
    completed_at: nowIso,
    dispatched_at: null,
    packages_affected: JSON.stringify(affectedPackages(body, text, run.dry_run === 1))
  }
  if (hook) change.pre_patch_hook = hook
  if (typeof body.reboot_required === 'boolean') change.reboot_required = body.reboot_required ? 1 : 0
  // settle() re-checks the guard inside its UPDATE, so a racing stop or approve still wins cleanly.
  const except = [...SETTLED_STATUSES, 'pending_approval']
  if (except.includes(run.status)) return
  await app.patchRunDispatcher.settle(run.id, notIn(except), change)
}

/**
 * The agent's own list when it sends one of valid names (our shell agent knows what zypper, apk and
 * pacman would do, which their output does not say in a parseable way); otherwise read from the output.
 */
function affectedPackages(body: AgentOutputBody, output: string, dryRun: boolean): string[] {
  const listed = body.packages_affected
  if (Array.isArray(listed) && listed.every((name) => PACKAGE_NAME.test(name))) return [...new Set(listed)].sort()
  return packagesAffected(output, dryRun)
}

/** Every status except these (settle() takes the statuses it may change from). */
function notIn(except: readonly string[]): string[] {
  return ['queued', 'pending_validation', 'running', 'timed_out', 'agent_disconnected', 'scheduled'].filter((s) => !except.includes(s))
}

async function started(app: FastifyInstance, run: PatchRunRow, nowIso: string, hook: string | undefined): Promise<void> {
  // `started` refuses every terminal row except agent_disconnected (facts §2.2).
  const except = [...SETTLED_STATUSES, 'pending_approval', 'timed_out']
  const change: StatusChange = {
    status: 'running',
    started_at: nowIso,
    shell_output: '',
    output_truncated: 0,
    packages_affected: null,
    error_message: null,
    completed_at: null
  }
  if (hook) change.pre_patch_hook = hook
  if (!(await changeStatusUnless(app.store.db, run.id, except, change, nowIso))) return
  app.patchRunStreams.publish({ type: 'started', patch_run_id: run.id, stage: 'running' })
  const row = (await runById(app.store.db, run.id)) as PatchRunRow
  await emitRunEvent(app, 'patch_run_started', row)
}
