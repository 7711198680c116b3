// Sends due runs to agents and keeps runs from getting stuck (facts §9 items 1-3, issue 17 item 2):
// - one run at a time per host: the next due run goes out when the previous one settles;
// - a run becomes `running` only on the agent's `started`; one that was sent and never
//   acknowledged fails after the acknowledgement timeout with a message naming the likely cause;
// - `running` runs silent for longer than the stall timeout become `timed_out`;
// - a run whose agent drops while running becomes `agent_disconnected` (a late report still settles it);
// - due times live in patch_runs, so the periodic tick re-arms delayed runs after a restart.
import type { FastifyInstance } from 'fastify'
import type { PatchRunRow } from '../../store/database-types.js'
import { hostById } from '../../hosts/host-read-queries.js'
import {
  changeStatus,
  clearDispatched,
  hostHasRunInFlight,
  hostsWithDueRuns,
  markDispatched,
  nextDueRun,
  runById,
  runningRunsOfHost,
  stalledRuns,
  unacknowledgedRuns,
  WAITING_STATUSES
} from './run-queries.js'
import { agentRefusal, type PatchRuns } from './patch-run-service.js'
import { emitRunEvent, publishDone, terminalEventOf } from './run-events.js'
import type { RunStreamHub } from './run-stream-hub.js'
import { parseJson } from './run-view.js'

export const DISPATCH_TIMER = 'patch-run-dispatch'
export const DISPATCH_EVERY_MS = 10_000
export const STALL_FLOOR_MINUTES = 5
export const DISCONNECTED_MESSAGE = 'Agent disconnected during patch run'
export const REBOOT_DELAY_SECONDS = 60

export function unacknowledgedMessage(timeoutSeconds: number): string {
  const span = timeoutSeconds % 60 === 0 ? `${timeoutSeconds / 60} minute${timeoutSeconds === 60 ? '' : 's'}` : `${timeoutSeconds} seconds`
  return `agent did not acknowledge the patch run within ${span} (agent older than 2.0, or not listening)`
}

export function stalledMessage(minutes: number): string {
  return `Marked as timed_out after ${minutes} minutes with no progress from the agent`
}

/** The frame the agent gets (facts §4; `reboot` and `reboot_host` are our extensions, ignored by stock agents). */
export function frameOf(run: PatchRunRow): { type: string; [key: string]: unknown } {
  if (run.patch_type === 'reboot') return { type: 'reboot_host', patch_run_id: run.id, delay_seconds: REBOOT_DELAY_SECONDS }
  const options = parseJson<{ reboot?: string; requirePrePatchHook?: boolean }>(run.options)
  const names = parseJson<string[]>(run.package_names)
  return {
    type: 'run_patch',
    patch_run_id: run.id,
    patch_type: run.patch_type,
    dry_run: run.dry_run === 1,
    ...(run.patch_type === 'patch_package' && names ? { package_names: names } : {}),
    ...(options?.reboot ? { reboot: options.reboot } : {}),
    ...(options?.requirePrePatchHook ? { require_pre_patch_hook: true } : {})
  }
}

export class RunDispatcher {
  private readonly chains = new Map<string, Promise<void>>()
  /**
   * How long a dropped agent may take to reconnect before its running runs count as disconnected
   * (upstream re-checks twice; a WebSocket reconnect usually takes a second or two).
   */
  disconnectGraceMs = 5_000
  private readonly graceTimers = new Set<NodeJS.Timeout>()

  constructor(
    private readonly app: FastifyInstance,
    private readonly runs: PatchRuns,
    private readonly hub: RunStreamHub
  ) {}

  /** Sends the host's next due run if nothing is in flight; calls for one host never overlap. */
  pump(hostId: string): Promise<void> {
    const previous = this.chains.get(hostId) ?? Promise.resolve()
    const next = previous
      .then(() => this.pumpNow(hostId))
      .catch((err: unknown) => this.app.log.error({ err, hostId }, 'patch run dispatch failed'))
    this.chains.set(hostId, next)
    void next.then(() => {
      if (this.chains.get(hostId) === next) this.chains.delete(hostId)
    })
    return next
  }

  private async pumpNow(hostId: string): Promise<void> {
    const db = this.app.store.db
    const connections = this.app.agentConnections
    for (;;) {
      if (!connections.isConnected(hostId)) return // sent when the agent connects
      if (await hostHasRunInFlight(db, hostId)) return
      const nowIso = this.runs.now().toISOString()
      const run = await nextDueRun(db, hostId, nowIso)
      if (!run) return
      const host = await hostById(db, hostId)
      const refusal = host ? agentRefusal(host, connections.capabilities(hostId), run.patch_type) : undefined
      if (refusal) {
        const detail = 'message' in refusal.body && refusal.body.message ? refusal.body.message : refusal.message
        await this.settle(run.id, WAITING_STATUSES, { status: 'failed', error_message: detail, completed_at: nowIso })
        continue
      }
      const guarded = await this.runs.dispatchRefusal(run)
      if (guarded) {
        await this.settle(run.id, WAITING_STATUSES, { status: 'failed', error_message: guarded, completed_at: nowIso })
        continue
      }
      if (!(await markDispatched(db, run.id, nowIso))) continue
      if (connections.send(hostId, frameOf(run)) === 0) await clearDispatched(db, run.id)
      else this.app.log.info({ runId: run.id, hostId }, 'patch run dispatched')
      return
    }
  }

  /**
   * Moves a run to a terminal status (when it is still in one of `from`), then tells browsers,
   * raises the event and sends the host's next run. Returns the updated row, or undefined.
   */
  async settle(
    runId: string,
    from: readonly string[],
    change: Parameters<typeof changeStatus>[3],
    opts: { event?: boolean } = {}
  ): Promise<PatchRunRow | undefined> {
    const db = this.app.store.db
    if (!(await changeStatus(db, runId, from, change, this.runs.now().toISOString()))) return undefined
    const row = (await runById(db, runId)) as PatchRunRow
    publishDone(this.hub, row)
    const event = terminalEventOf(row.status)
    if (event && opts.event !== false) await emitRunEvent(this.app, event, row)
    void this.pump(row.host_id)
    return row
  }

  /** One round of the timer: acknowledgement timeouts, the stall sweep, then every due run. */
  async tick(): Promise<void> {
    const db = this.app.store.db
    const now = this.runs.now()
    const ackSeconds = this.app.config.patchAckTimeoutSeconds
    for (const run of await unacknowledgedRuns(db, new Date(now.getTime() - ackSeconds * 1000).toISOString())) {
      await this.settle(run.id, WAITING_STATUSES, {
        status: 'failed',
        error_message: unacknowledgedMessage(ackSeconds),
        completed_at: now.toISOString()
      })
    }
    const stallMinutes = await this.stallMinutes()
    for (const run of await stalledRuns(db, new Date(now.getTime() - stallMinutes * 60_000).toISOString())) {
      await this.settle(run.id, ['running'], {
        status: 'timed_out',
        error_message: stalledMessage(stallMinutes),
        completed_at: now.toISOString()
      })
    }
    for (const hostId of await hostsWithDueRuns(db, now.toISOString())) await this.pump(hostId)
  }

  /** Environment (PATCH_RUN_STALL_TIMEOUT_MIN) first, then the dashboard setting, floor 5 minutes. */
  async stallMinutes(): Promise<number> {
    const fromEnv = this.app.config.patchRunStallTimeoutMinutes
    const minutes = fromEnv > 0 ? fromEnv : await this.app.settings.get('patch_run_stall_timeout_minutes')
    return Math.max(STALL_FLOOR_MINUTES, Number.isFinite(minutes) ? minutes : 30)
  }

  /** The agent's last link closed: after the grace period, agentGone() settles its running runs. */
  agentDropped(hostId: string): void {
    const timer = setTimeout(() => {
      this.graceTimers.delete(timer)
      this.agentGone(hostId).catch((err: unknown) => this.app.log.error({ err, hostId }, 'patch run disconnect handling failed'))
    }, this.disconnectGraceMs)
    timer.unref()
    this.graceTimers.add(timer)
  }

  /** Stops pending grace checks (the app is closing). */
  stop(): void {
    for (const timer of this.graceTimers) clearTimeout(timer)
    this.graceTimers.clear()
  }

  /** The agent's last link closed and it did not come back: its running runs become agent_disconnected (facts §7). */
  async agentGone(hostId: string): Promise<void> {
    if (this.app.agentConnections.isConnected(hostId)) return
    for (const run of await runningRunsOfHost(this.app.store.db, hostId)) {
      await this.settle(run.id, ['running'], { status: 'agent_disconnected', error_message: DISCONNECTED_MESSAGE })
    }
  }
}
