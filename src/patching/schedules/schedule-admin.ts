// Saving schedules: the merged body is checked as a whole (target exists, cron valid, a package list
// for scope packages) and the next slot is computed at once from the cron.
import type { FastifyInstance } from 'fastify'
import { ApiError } from '../../http/errors.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import { serverTimeZone } from '../../reports/schedule.js'
import { newId } from '../../security/random-tokens.js'
import { checkedTargetName } from '../patch-targets.js'
import { cronFromInput, nextAfter } from '../patch-cron.js'
import type { CreateScheduleInput } from './schedule-schemas.js'
import { findSchedule, insertSchedule, updateSchedule, type ScheduleRow } from './schedule-queries.js'
import type { ScheduleReboot, ScheduleScope } from './schedule-service.js'

export function scheduleView(row: ScheduleRow) {
  return {
    ...row,
    scope: row.scope as ScheduleScope,
    reboot: row.reboot as ScheduleReboot,
    target_type: row.target_type as 'host' | 'host_group',
    timezone: serverTimeZone(),
    package_names: JSON.parse(row.package_names) as string[],
    require_pre_patch_hook: row.require_pre_patch_hook === 1,
    enabled: row.enabled === 1
  }
}

async function columns(app: FastifyInstance, input: CreateScheduleInput) {
  await checkedTargetName(app.store.db, input)
  const names = [...new Set(input.package_names ?? [])]
  if (input.scope === 'packages' && names.length === 0) {
    const e = ERROR_MESSAGES.patchSchedules.packagesRequired
    throw new ApiError(e.status, { error: e.message })
  }
  const cron = cronFromInput(input)
  const enabled = input.enabled !== false
  return {
    name: input.name.trim(),
    target_type: input.target_type,
    target_id: input.target_id,
    cron,
    scope: input.scope,
    package_names: JSON.stringify(input.scope === 'packages' ? names : []),
    reboot: input.reboot ?? 'never',
    notice_minutes: input.notice_minutes ?? 0,
    require_pre_patch_hook: input.require_pre_patch_hook ? (1 as const) : (0 as const),
    enabled: enabled ? (1 as const) : (0 as const),
    next_run_at: enabled ? (nextAfter(cron, app.patchRuns.now())?.toISOString() ?? null) : null,
    notice_sent_for: null
  }
}

export async function createSchedule(app: FastifyInstance, input: CreateScheduleInput, userId: string): Promise<ScheduleRow> {
  const now = app.patchRuns.now().toISOString()
  const row: ScheduleRow = {
    id: newId(),
    ...(await columns(app, input)),
    last_run_at: null,
    last_result: null,
    created_by_user_id: userId,
    created_at: now,
    updated_at: now
  }
  await insertSchedule(app.store.db, row)
  return row
}

export async function changeSchedule(
  app: FastifyInstance,
  current: ScheduleRow,
  changes: Partial<CreateScheduleInput>
): Promise<ScheduleRow> {
  const view = scheduleView(current)
  // A new time replaces the old one whichever form it comes in.
  const timing = changes.cron !== undefined || changes.frequency !== undefined || changes.time !== undefined ? {} : { cron: view.cron }
  const merged: CreateScheduleInput = {
    name: view.name,
    target_type: view.target_type,
    target_id: view.target_id,
    scope: view.scope,
    package_names: view.package_names,
    reboot: view.reboot,
    notice_minutes: view.notice_minutes,
    require_pre_patch_hook: view.require_pre_patch_hook,
    enabled: view.enabled,
    ...timing,
    ...changes
  }
  await updateSchedule(app.store.db, current.id, { ...(await columns(app, merged)), updated_at: app.patchRuns.now().toISOString() })
  return (await findSchedule(app.store.db, current.id)) as ScheduleRow
}

/** What the audit trail keeps of a new schedule. */
export function auditOfSchedule(row: ScheduleRow) {
  const { id: schedule_id, name, target_type, target_id, cron, scope, reboot } = row
  return { schedule_id, name, target_type, target_id, cron, scope, reboot }
}
