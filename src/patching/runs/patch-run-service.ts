// The patch-run launcher (PATCHING-INTERFACES.md): every way of starting a run — the trigger route,
// approval, schedules, bulk — goes through launchPatchRun. It runs the registered preparers (holds,
// maintenance windows), validates with the agent's own name rule (400 instead of a frame the agent
// would silently drop), refuses agents that cannot patch, applies the host's timing policy, stores
// the run and hands it to the dispatcher. Runs itself knows nothing of holds or windows.
import type { FastifyInstance } from 'fastify'
import { ApiError } from '../../http/errors.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import { newId } from '../../security/random-tokens.js'
import { hostById, hostRefs } from '../../hosts/host-read-queries.js'
import { userNamesByIds } from '../../users/user-queries.js'
import type { HostRow, PatchRunRow } from '../../store/database-types.js'
import { runTiming, serverTimeZone } from '../policies/run-timing.js'
import { recordPatchAudit } from '../audit/patch-audit.js'
import { insertRun, runById } from './run-queries.js'
import { runView, type PatchRunView } from './run-view.js'

export type { PatchRunView } from './run-view.js'

export type PatchType = 'patch_all' | 'patch_package' | 'reboot'
export type TriggerSource = 'user' | 'approval' | 'schedule' | 'bulk' | 'api'

export interface PatchRunOptions {
  reboot?: 'never' | 'after' | 'if_required'
  /** Recorded; the caller turns it into a package list. */
  securityOnly?: boolean
  /** The run fails unless the agent reports a pre-patch hook that exited 0 (patching-beyond, schedules). */
  requirePrePatchHook?: boolean
  /** Set by the reboot-exemption preparer when it turned `reboot` to never (shown in the run detail). */
  rebootSkipped?: string
}

export interface LaunchPatchRun {
  hostId: string
  patchType: PatchType
  /** patch_package: 1..100 names, each matching the agent's rule. */
  packageNames?: string[]
  dryRun?: boolean
  pendingApproval?: boolean
  /** null/undefined = now, subject to the host's policy unless scheduleOverride is 'immediate'. */
  runAt?: Date | null
  options?: PatchRunOptions
  triggeredBy: { userId: string | null; source: TriggerSource }
  scheduleId?: string | null
  bulkId?: string | null
  /** Extension: `schedule_override: "immediate"` of the trigger and approve routes. */
  scheduleOverride?: 'immediate' | null
  /** Extension: set by approval (the run this one was approved from). */
  validationRunId?: string | null
  approvedByUserId?: string | null
}

/** A pre-launch hook: returns the (possibly changed) input, or an ApiError that refuses the launch. */
export type PatchRunPreparer = (input: LaunchPatchRun) => LaunchPatchRun | ApiError | Promise<LaunchPatchRun | ApiError>

/**
 * A last check right before a due run is sent (maintenance windows: a run whose window closed while
 * it waited): a message fails the run instead of sending it; undefined lets it go.
 */
export type DispatchGuard = (run: PatchRunRow, now: Date) => Promise<string | undefined>

/** The agent's own package-name rule (agent serve.go), 1..256 characters. */
export const PACKAGE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._+-]*$/
export const MAX_PACKAGES_PER_RUN = 100
const E = ERROR_MESSAGES.patching
const fail = (e: { message: string; status: number }, detail?: string) =>
  new ApiError(e.status, detail ? { error: e.message, message: detail } : { error: e.message })

export function isValidPackageName(name: string): boolean {
  return name.length >= 1 && name.length <= 256 && PACKAGE_NAME.test(name)
}

/** Checks what does not depend on the database; throws the upstream 400s. */
export function validateLaunch(input: LaunchPatchRun): void {
  if (!['patch_all', 'patch_package', 'reboot'].includes(input.patchType)) throw fail(E.patchTypeInvalid)
  if (input.dryRun && input.pendingApproval) throw fail(E.dryRunAndApproval)
  if (input.dryRun && input.patchType !== 'patch_package') throw fail(E.dryRunPackageOnly)
  const names = input.packageNames ?? []
  if (input.patchType === 'patch_package') {
    if (names.length === 0) throw fail(E.packageRequired)
    if (names.length > MAX_PACKAGES_PER_RUN) throw fail(E.tooManyPackages)
    if (!names.every(isValidPackageName)) throw fail(E.packageNameInvalid)
  }
}

/**
 * A full upgrade that a preparer turned into a package list (holds: the outdated packages minus the
 * held ones) may name more packages than one frame carries. It becomes consecutive runs of at most
 * MAX_PACKAGES_PER_RUN names, which the per-host queue sends one after another; only the last keeps
 * the reboot option, so the host reboots once, after everything is installed.
 */
export function splitFullUpgrade(original: LaunchPatchRun, prepared: LaunchPatchRun): LaunchPatchRun[] {
  const names = prepared.packageNames ?? []
  const split =
    original.patchType === 'patch_all' &&
    prepared.patchType === 'patch_package' &&
    !prepared.dryRun &&
    !prepared.pendingApproval &&
    names.length > MAX_PACKAGES_PER_RUN
  if (!split) return [prepared]
  const parts: LaunchPatchRun[] = []
  for (let i = 0; i < names.length; i += MAX_PACKAGES_PER_RUN) {
    const last = i + MAX_PACKAGES_PER_RUN >= names.length
    const options = last || !prepared.options ? prepared.options : { ...prepared.options, reboot: 'never' as const }
    parts.push({ ...prepared, packageNames: names.slice(i, i + MAX_PACKAGES_PER_RUN), ...(options ? { options } : {}) })
  }
  return parts
}

/** Why this host's agent cannot take the run, or undefined when it can. */
export function agentRefusal(
  host: Pick<HostRow, 'agent_version'>,
  capabilities: ReadonlySet<string>,
  patchType: string
): ApiError | undefined {
  if (patchType === 'reboot') {
    if (capabilities.has('reboot_host')) return undefined
    return fail(
      E.agentCannotReboot,
      'Reboot runs need an agent that announces the reboot_host capability (the PatchMon shell agent); stock agents cannot reboot'
    )
  }
  if (capabilities.has('run_patch') || agentMajor(host.agent_version) >= 2) return undefined
  return fail(
    E.agentCannotPatch,
    `This host's agent reports version ${host.agent_version ?? 'unknown'}; patch runs need agent 2.0.0 or later, or the PatchMon shell agent connected with the run_patch capability`
  )
}

function agentMajor(version: string | null): number {
  const m = version ? /^v?(\d+)\./.exec(version.trim()) : null
  return m ? Number(m[1]) : 0
}

export class PatchRuns {
  /** Time source for due times, acknowledgement and stall limits; tests replace it. */
  clock: () => number = Date.now
  private readonly preparers: PatchRunPreparer[] = []
  private readonly dispatchGuards: DispatchGuard[] = []
  /** Set by the dispatcher: sends due runs of a host now. */
  pump: (hostId: string) => Promise<void> = async () => {}

  constructor(private readonly app: FastifyInstance) {}

  now(): Date {
    return new Date(this.clock())
  }

  registerPreparer(preparer: PatchRunPreparer): () => void {
    this.preparers.push(preparer)
    return () => {
      const i = this.preparers.indexOf(preparer)
      if (i >= 0) this.preparers.splice(i, 1)
    }
  }

  registerDispatchGuard(guard: DispatchGuard): void {
    this.dispatchGuards.push(guard)
  }

  /** Why this due run must not be sent now, or undefined. */
  async dispatchRefusal(run: PatchRunRow): Promise<string | undefined> {
    for (const guard of this.dispatchGuards) {
      const reason = await guard(run, this.now())
      if (reason) return reason
    }
    return undefined
  }

  async launch(original: LaunchPatchRun): Promise<PatchRunView> {
    let input = original
    for (const preparer of this.preparers) {
      const out = await preparer(input)
      if (out instanceof ApiError) throw out
      input = out
    }
    const [first, ...rest] = splitFullUpgrade(original, input)
    const view = await this.create(first as LaunchPatchRun)
    for (const part of rest) await this.create(part)
    return view
  }

  /** Validates one prepared run, refuses what its agent cannot take, stores it and sends it when due. */
  private async create(input: LaunchPatchRun): Promise<PatchRunView> {
    const db = this.app.store.db
    validateLaunch(input)
    const host = await hostById(db, input.hostId)
    if (!host) throw fail(E.hostNotFound)
    const refusal = agentRefusal(host, this.app.agentConnections.capabilities(host.id), input.patchType)
    if (refusal) throw refusal

    const now = this.now()
    const timing = await runTiming(db, host.id, now, serverTimeZone())
    const followsPolicy = !input.runAt && !input.dryRun && !input.pendingApproval && input.scheduleOverride !== 'immediate'
    const runAt = input.runAt ?? (followsPolicy ? timing.runAt : now)
    const delayed = runAt.getTime() > now.getTime() + 1000
    const names = input.patchType === 'patch_package' ? (input.packageNames ?? []) : []
    const id = newId()
    const nowIso = now.toISOString()
    await insertRun(db, {
      id,
      host_id: host.id,
      job_id: `patch-run-${id}`,
      patch_type: input.patchType,
      package_name: names.length === 1 ? (names[0] as string) : null,
      package_names: names.length > 0 ? JSON.stringify(names) : null,
      status: input.pendingApproval ? 'pending_approval' : input.dryRun ? 'pending_validation' : 'queued',
      error_message: null,
      started_at: null,
      completed_at: null,
      scheduled_at: delayed ? runAt.toISOString() : null,
      run_at: runAt.toISOString(),
      dispatched_at: null,
      triggered_by_user_id: input.triggeredBy.userId,
      approved_by_user_id: input.approvedByUserId ?? null,
      trigger_source: input.triggeredBy.source,
      dry_run: input.dryRun ? 1 : 0,
      packages_affected: null,
      policy_id: timing.policyId,
      policy_name: timing.policyName,
      policy_snapshot: JSON.stringify(timing.snapshot),
      validation_run_id: input.validationRunId ?? null,
      options: input.options ? JSON.stringify(input.options) : null,
      schedule_id: input.scheduleId ?? null,
      bulk_id: input.bulkId ?? null,
      pre_patch_hook: null,
      reboot_required: null,
      created_at: nowIso,
      updated_at: nowIso
    })
    if (input.triggeredBy.source !== 'approval') {
      await recordPatchAudit(
        db,
        {
          action: 'trigger',
          userId: input.triggeredBy.userId,
          runId: id,
          hostId: host.id,
          details: { patch_type: input.patchType, package_names: names, dry_run: Boolean(input.dryRun), source: input.triggeredBy.source }
        },
        now
      )
    }
    this.app.log.info({ runId: id, hostId: host.id, patchType: input.patchType, runAt: runAt.toISOString() }, 'patch run created')
    if (!input.pendingApproval && !delayed) await this.pump(host.id)
    return this.view((await runById(db, id)) as PatchRunRow)
  }

  /** The wire view of one row (host names and the triggering user's name looked up). */
  async view(row: PatchRunRow): Promise<PatchRunView> {
    return (await this.views([row]))[0] as PatchRunView
  }

  async views(rows: PatchRunRow[]): Promise<PatchRunView[]> {
    const db = this.app.store.db
    const hosts = await hostRefs(
      db,
      rows.map((r) => r.host_id)
    )
    const users = await userNamesByIds(
      db,
      rows.map((r) => r.triggered_by_user_id).filter((id): id is string => id !== null)
    )
    return rows.map((r) =>
      runView(r, hosts.get(r.host_id), r.triggered_by_user_id ? (users.get(r.triggered_by_user_id)?.username ?? null) : null)
    )
  }
}

/** Starts a patch run (see LaunchPatchRun); throws ApiError (4xx) on bad input. */
export function launchPatchRun(app: FastifyInstance, input: LaunchPatchRun): Promise<PatchRunView> {
  return app.patchRuns.launch(input)
}

/** Adds a pre-launch hook (holds, maintenance windows); returns a function that removes it. */
export function registerPatchRunPreparer(app: FastifyInstance, preparer: PatchRunPreparer): () => void {
  return app.patchRuns.registerPreparer(preparer)
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The patch-run service: launcher, preparers, clock (src/patching/runs/patch-run-service.ts). */
    patchRuns: PatchRuns
  }
}
