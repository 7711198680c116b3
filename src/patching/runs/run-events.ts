// Patch-run events on the app's event bus (routed by notifications like every other event), and the
// matching frames for browsers watching the run live.
import type { FastifyInstance } from 'fastify'
import type { AppEventName, PatchRunEvent } from '../../events/app-events.js'
import type { PatchRunRow } from '../../store/database-types.js'
import { friendlyNames } from '../../hosts/host-read-queries.js'
import type { RunStreamHub } from './run-stream-hub.js'
import { parseJson } from './run-view.js'

type PatchRunEventName = Extract<AppEventName, `patch_run_${string}`>

export async function emitRunEvent(app: FastifyInstance, name: PatchRunEventName, row: PatchRunRow): Promise<void> {
  const hostName = (await friendlyNames(app.store.db, [row.host_id])).get(row.host_id) ?? row.host_id
  const payload: PatchRunEvent = {
    runId: row.id,
    hostId: row.host_id,
    hostName,
    patchType: row.patch_type,
    dryRun: row.dry_run === 1,
    stage: row.status,
    packages: parseJson<string[]>(row.package_names),
    policyName: row.policy_name,
    errorMessage: row.error_message
  }
  app.events.emit(name, payload)
}

/** The event a terminal status raises, if any (facts §8: stop raises none upstream; we raise cancelled). */
export function terminalEventOf(status: string): PatchRunEventName | undefined {
  if (status === 'completed' || status === 'validated') return 'patch_run_completed'
  if (status === 'failed' || status === 'timed_out' || status === 'agent_disconnected') return 'patch_run_failed'
  if (status === 'cancelled') return 'patch_run_cancelled'
  return undefined
}

/** Tells browsers watching the run that it ended. */
export function publishDone(hub: RunStreamHub, row: PatchRunRow): void {
  hub.publish({ type: 'done', patch_run_id: row.id, stage: row.status, ...(row.error_message ? { error_message: row.error_message } : {}) })
}
