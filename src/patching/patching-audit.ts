// Who changed which schedule, window, hold or reboot exemption, and who launched which bulk batch:
// written to the patching audit trail (audit/patch-audit.ts) next to triggers, approvals and stops.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { recordPatchAudit, type PatchAuditAction } from './audit/patch-audit.js'

/** A change a signed-in user made (the user comes from the request). */
export async function recordPatchingChange(
  app: FastifyInstance,
  request: FastifyRequest,
  action: PatchAuditAction,
  details: Record<string, unknown>
): Promise<void> {
  const hostId = typeof details.host_id === 'string' ? details.host_id : details.target_type === 'host' ? String(details.target_id) : null
  await recordPatchAudit(app.store.db, { action, userId: request.currentUser?.id ?? null, hostId, details }, app.patchRuns.now())
}

/** Something the server decided on its own (a skipped schedule slot). */
export async function recordPatchingEvent(app: FastifyInstance, action: PatchAuditAction, details: Record<string, unknown>): Promise<void> {
  await recordPatchAudit(app.store.db, { action, userId: null, details }, app.patchRuns.now())
}
