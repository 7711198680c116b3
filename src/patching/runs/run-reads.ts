// Read services of the run routes: dashboard, lists, detail, preview, and the trigger body turned
// into a launch (upstream's decoding: unknown keys ignored, wrong values → its exact 400s).
import type { FastifyInstance } from 'fastify'
import { ApiError } from '../../http/errors.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import { hostById, hostRefs } from '../../hosts/host-read-queries.js'
import { userNamesByIds } from '../../users/user-queries.js'
import { runTiming, serverTimeZone } from '../policies/run-timing.js'
import { runById } from './run-queries.js'
import { activeRuns, recentRuns, runsPage, SORT_COLUMNS, statusCounts } from './run-list-queries.js'
import { parseJson } from './run-view.js'
import type { LaunchPatchRun } from './patch-run-service.js'
import { SUMMARY_STATUSES, type PatchRunDetail, type RunListQuery, type TriggerBody } from './run-schemas.js'

const E = ERROR_MESSAGES.patching
const err = (e: { message: string; status: number }) => new ApiError(e.status, { error: e.message })
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function requireRunId(id: string): string {
  if (!UUID.test(id)) throw err(E.invalidRunId)
  return id.toLowerCase()
}

export function launchFromTrigger(body: TriggerBody, userId: string): LaunchPatchRun {
  if (typeof body.host_id !== 'string' || !UUID.test(body.host_id)) throw err(E.hostIdRequired)
  if (body.patch_type !== 'patch_all' && body.patch_type !== 'patch_package') throw err(E.patchTypeInvalid)
  let names: string[] = []
  if (body.patch_type === 'patch_package') {
    if (body.package_names !== undefined && body.package_names !== null) {
      if (!Array.isArray(body.package_names) || !body.package_names.every((n) => typeof n === 'string')) throw err(E.packageNameInvalid)
      names = (body.package_names as string[]).map((n) => n.trim()).filter((n) => n !== '')
    }
    if (names.length === 0 && typeof body.package_name === 'string' && body.package_name.trim() !== '') names = [body.package_name.trim()]
  }
  return {
    hostId: body.host_id.toLowerCase(),
    patchType: body.patch_type,
    packageNames: names,
    dryRun: body.dry_run === true,
    pendingApproval: body.pending_approval === true,
    scheduleOverride: body.schedule_override === 'immediate' ? 'immediate' : null,
    ...(body.reboot ? { options: { reboot: body.reboot } } : {}),
    triggeredBy: { userId, source: 'user' }
  }
}

export async function patchingDashboard(app: FastifyInstance) {
  const db = app.store.db
  const counts = await statusCounts(db)
  const summary: Record<string, number> = { total_runs: Object.values(counts).reduce((a, b) => a + b, 0) }
  for (const status of SUMMARY_STATUSES) summary[status] = counts[status] ?? 0
  return {
    summary,
    recent_runs: await app.patchRuns.views(await recentRuns(db, 10)),
    active_runs: await app.patchRuns.views(await activeRuns(db))
  }
}

export async function activeRunList(app: FastifyInstance) {
  return { runs: await app.patchRuns.views(await activeRuns(app.store.db)) }
}

/** Upstream's list: invalid filters are dropped silently, limit 1-200 (default 50). */
export async function runList(app: FastifyInstance, query: RunListQuery) {
  const limitRaw = Number.parseInt(query.limit ?? '', 10)
  const limit = Number.isFinite(limitRaw) && limitRaw >= 1 && limitRaw <= 200 ? limitRaw : 50
  const offsetRaw = Number.parseInt(query.offset ?? '', 10)
  const offset = Number.isFinite(offsetRaw) && offsetRaw >= 0 ? offsetRaw : 0
  const sortBy = (SORT_COLUMNS as readonly string[]).includes(query.sort_by ?? '')
    ? (query.sort_by as (typeof SORT_COLUMNS)[number])
    : 'created_at'
  const { rows, total } = await runsPage(app.store.db, {
    limit,
    offset,
    hostId: query.host_id && UUID.test(query.host_id) ? query.host_id : undefined,
    status: query.status || undefined,
    patchType:
      query.patch_type === 'patch_all' || query.patch_type === 'patch_package' || query.patch_type === 'reboot'
        ? query.patch_type
        : undefined,
    sortBy,
    sortDir: query.sort_dir === 'asc' ? 'asc' : 'desc'
  })
  return { runs: await app.patchRuns.views(rows), pagination: { total, limit, offset, pages: Math.ceil(total / limit) } }
}

export async function runDetail(app: FastifyInstance, id: string): Promise<PatchRunDetail> {
  const db = app.store.db
  const row = await runById(db, requireRunId(id))
  if (!row) throw err(E.runNotFound)
  const view = await app.patchRuns.view(row)
  const host = (await hostRefs(db, [row.host_id])).get(row.host_id)
  const approver = row.approved_by_user_id ? (await userNamesByIds(db, [row.approved_by_user_id])).get(row.approved_by_user_id) : undefined
  // Upstream keeps hosts.awaiting_post_patch_report_run_id; we derive it: a completed real run whose
  // host has not reported since.
  const awaiting =
    row.status === 'completed' && row.dry_run === 0 && row.completed_at && (!host?.last_update || host.last_update < row.completed_at)
  return {
    ...view,
    policy_snapshot: parseJson<Record<string, unknown>>(row.policy_snapshot),
    approved_by_username: approver?.username ?? null,
    hosts: { ...view.hosts, awaiting_post_patch_report_run_id: awaiting ? row.id : null, last_update: host?.last_update ?? null }
  }
}

export async function previewRun(app: FastifyInstance, hostId: string | undefined) {
  if (!hostId || !UUID.test(hostId)) throw err(E.hostIdRequired)
  const host = await hostById(app.store.db, hostId)
  if (!host) throw err(E.hostNotFound)
  const timing = await runTiming(app.store.db, host.id, app.patchRuns.now(), serverTimeZone())
  return {
    host_id: host.id,
    host_name: host.friendly_name,
    run_at_iso: timing.runAt.toISOString(),
    policy_name: timing.policyName,
    policy_id: timing.policyId ?? '',
    patch_delay_type: timing.patchDelayType
  }
}
