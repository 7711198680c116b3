// Reboots: an exempt host never gets a reboot frame. A reboot run (POST /patching/reboots, a
// schedule's "reboot at window end") is refused for it; a patch run asking the agent to reboot after
// patching is kept, with its reboot option turned to `never` and the reason recorded on the run.
// The same happens when the host's agent cannot reboot (no reboot_host capability: stock agents
// ignore the frame's `reboot` field), so a run never promises a reboot that will not happen.
import type { Kysely } from 'kysely'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { DB } from '../../store/database-types.js'
import { ApiError, COMMON, notFound } from '../../http/errors.js'
import { userOf } from '../../http/session-auth.js'
import { hostById } from '../../hosts/host-read-queries.js'
import { recordPatchingChange } from '../patching-audit.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import { findExemption, upsertExemption, type ExemptionRow } from './exemption-queries.js'

export const EXEMPT_NOTE = 'reboot skipped: this host is exempt from reboots'
export const INCAPABLE_NOTE = "reboot skipped: this host's agent cannot reboot (no reboot_host capability)"

export interface RebootableRun {
  hostId: string
  patchType: string
  options?: { reboot?: 'never' | 'after' | 'if_required'; rebootSkipped?: string } | undefined
}

export async function withRebootExemption<T extends RebootableRun>(db: Kysely<DB>, run: T, canReboot: boolean): Promise<T> {
  const wantsReboot = run.patchType === 'reboot' || (run.options?.reboot !== undefined && run.options.reboot !== 'never')
  if (!wantsReboot) return run
  const exemption = await findExemption(db, run.hostId)
  if (!exemption)
    return run.patchType === 'reboot' || canReboot
      ? run
      : { ...run, options: { ...run.options, reboot: 'never', rebootSkipped: INCAPABLE_NOTE } }
  if (run.patchType === 'reboot') {
    const e = ERROR_MESSAGES.patchReboots.exempt
    throw new ApiError(e.status, exemption.reason ? { error: e.message, message: `Reason: ${exemption.reason}` } : { error: e.message })
  }
  return { ...run, options: { ...run.options, reboot: 'never', rebootSkipped: EXEMPT_NOTE } }
}

/** PUT /reboot-exemptions/:hostId: adds or updates the exemption and audits it. */
export async function exemptHost(
  app: FastifyInstance,
  request: FastifyRequest,
  hostId: string,
  reason: string | null
): Promise<ExemptionRow> {
  if (!(await hostById(app.store.db, hostId))) throw notFound(COMMON.hostNotFound)
  const row = { host_id: hostId, reason, created_by_user_id: userOf(request).id, created_at: app.patchRuns.now().toISOString() }
  await upsertExemption(app.store.db, row)
  await recordPatchingChange(app, request, 'reboot_exempt', { host_id: hostId, reason })
  return row
}
