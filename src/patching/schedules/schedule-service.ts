// Recurring patch schedules. Each schedule keeps its next slot in SQLite (next_run_at); a timer tick
// (src/jobs timers, every 30 s, once right after start) sends the notice N minutes before a slot
// (event patch_window_upcoming), fires due slots once (claimSlot: a slot moves forward before its runs
// launch) and computes the next slot from the cron in the server's time zone. A slot missed while the
// server was down fires once if it is at most SCHEDULE_GRACE_MINUTES late; older ones are skipped,
// logged and audited with the reason. Start-up re-arms future slots from the cron.
import type { FastifyInstance } from 'fastify'
import { ApiError } from '../../http/errors.js'
import { hostById, hostPackageRows } from '../../hosts/host-read-queries.js'
import { nextAfter } from '../patch-cron.js'
import { checkedTargetName, hostsOfTarget, type TargetType } from '../patch-targets.js'
import { recordPatchingEvent } from '../patching-audit.js'
import { openWindowAt, windowsOfHost } from '../windows/window-service.js'
import { launchPatchRun, type LaunchPatchRun } from '../runs/patch-run-service.js'
import { claimSlot, enabledSchedules, updateSchedule, type ScheduleRow } from './schedule-queries.js'

/** How late a missed slot may still fire after a restart. */
export const SCHEDULE_GRACE_MINUTES = 30
const MINUTE = 60_000

export type ScheduleScope = 'security' | 'all' | 'packages'
export type ScheduleReboot = 'never' | 'after' | 'if_required' | 'window_end'

/** Start-up: every future or unset slot is recomputed from the cron (a past one is left to the tick). */
export async function rearmSchedules(app: FastifyInstance): Promise<void> {
  const now = app.patchRuns.now()
  for (const row of await enabledSchedules(app.store.db)) {
    if (row.next_run_at !== null && new Date(row.next_run_at) <= now) continue
    const next = nextAfter(row.cron, now)?.toISOString() ?? null
    if (next !== row.next_run_at) await updateSchedule(app.store.db, row.id, { next_run_at: next })
  }
}

export interface TickResult {
  notices: number
  fired: number
  skipped: number
}

export async function tickSchedules(app: FastifyInstance): Promise<TickResult> {
  const db = app.store.db
  const now = app.patchRuns.now()
  const result: TickResult = { notices: 0, fired: 0, skipped: 0 }
  for (const row of await enabledSchedules(db)) {
    if (row.next_run_at === null) {
      await updateSchedule(db, row.id, { next_run_at: nextAfter(row.cron, now)?.toISOString() ?? null })
      continue
    }
    const slot = new Date(row.next_run_at)
    if (slot > now) {
      if (
        row.notice_minutes > 0 &&
        slot.getTime() - now.getTime() <= row.notice_minutes * MINUTE &&
        row.notice_sent_for !== row.next_run_at
      ) {
        await updateSchedule(db, row.id, { notice_sent_for: row.next_run_at })
        await sendNotice(app, row, slot, now)
        result.notices++
      }
      continue
    }
    const next = nextAfter(row.cron, now)?.toISOString() ?? null
    const lateMinutes = Math.floor((now.getTime() - slot.getTime()) / MINUTE)
    if (lateMinutes > SCHEDULE_GRACE_MINUTES) {
      const reason = `slot ${row.next_run_at} skipped: missed by ${lateMinutes} minutes (grace ${SCHEDULE_GRACE_MINUTES}), server was not running`
      if (!(await claimSlot(db, row.id, row.next_run_at, { next_run_at: next, last_result: reason }))) continue
      app.log.warn({ scheduleId: row.id, slot: row.next_run_at, lateMinutes }, 'patch schedule slot skipped')
      await recordPatchingEvent(app, 'schedule_slot_skipped', { schedule_id: row.id, name: row.name, slot: row.next_run_at, reason })
      result.skipped++
      continue
    }
    if (!(await claimSlot(db, row.id, row.next_run_at, { next_run_at: next, last_run_at: now.toISOString() }))) continue
    const summary = await fireSchedule(app, row)
    await updateSchedule(db, row.id, { last_result: summary })
    app.log.info({ scheduleId: row.id, slot: row.next_run_at, summary }, 'patch schedule fired')
    result.fired++
  }
  return result
}

async function sendNotice(app: FastifyInstance, row: ScheduleRow, slot: Date, now: Date): Promise<void> {
  const targetName = await checkedTargetName(app.store.db, { target_type: row.target_type as TargetType, target_id: row.target_id }).catch(
    () => row.target_id
  )
  app.events.emit('patch_window_upcoming', {
    scheduleId: row.id,
    scheduleName: row.name,
    targetType: row.target_type,
    targetName,
    ...(row.target_type === 'host' ? { hostId: row.target_id } : {}),
    runAt: slot.toISOString(),
    minutesBefore: Math.max(1, Math.round((slot.getTime() - now.getTime()) / MINUTE)),
    scope: row.scope
  })
}

/** The run one host gets from a schedule, or a reason why it gets none. */
async function runFor(app: FastifyInstance, row: ScheduleRow, hostId: string): Promise<LaunchPatchRun | string> {
  const scope = row.scope as ScheduleScope
  const reboot = row.reboot as ScheduleReboot
  const base = {
    hostId,
    triggeredBy: { userId: null, source: 'schedule' as const },
    scheduleId: row.id,
    options: {
      reboot: reboot === 'window_end' ? ('never' as const) : reboot,
      securityOnly: scope === 'security',
      ...(row.require_pre_patch_hook === 1 ? { requirePrePatchHook: true } : {})
    }
  }
  if (scope === 'all') return { ...base, patchType: 'patch_all' }
  if (scope === 'packages') return { ...base, patchType: 'patch_package', packageNames: JSON.parse(row.package_names) as string[] }
  const security = (await hostPackageRows(app.store.db, hostId, true)).filter((p) => p.is_security_update === 1).map((p) => p.name)
  if (security.length === 0) return 'no security updates outstanding'
  return { ...base, patchType: 'patch_package', packageNames: security }
}

/** Launches the schedule's runs on every host it covers; returns a one-line summary. */
export async function fireSchedule(app: FastifyInstance, row: ScheduleRow): Promise<string> {
  const hostIds = await hostsOfTarget(app.store.db, { target_type: row.target_type as TargetType, target_id: row.target_id })
  let launched = 0
  const skipped: string[] = []
  for (const hostId of hostIds) {
    const name = (await hostById(app.store.db, hostId))?.friendly_name ?? hostId
    try {
      const input = await runFor(app, row, hostId)
      if (typeof input === 'string') {
        skipped.push(`${name}: ${input}`)
        continue
      }
      await launchPatchRun(app, input)
      launched++
      if (row.reboot === 'window_end') {
        const note = await rebootAtWindowEnd(app, row, hostId)
        if (note) skipped.push(`${name}: ${note}`)
      }
    } catch (err) {
      if (!(err instanceof ApiError)) throw err
      skipped.push(`${name}: ${'error' in err.body ? err.body.error + (err.body.message ? ` (${err.body.message})` : '') : err.message}`)
    }
  }
  const parts = [`launched ${launched} of ${hostIds.length} hosts`]
  if (skipped.length) parts.push(`skipped ${skipped.join('; ')}`)
  return parts.join('; ').slice(0, 2000)
}

/** "Reboot at window end": a separate reboot run due when the host's current window closes. */
async function rebootAtWindowEnd(app: FastifyInstance, row: ScheduleRow, hostId: string): Promise<string | null> {
  const open = openWindowAt(await windowsOfHost(app.store.db, hostId), app.patchRuns.now())
  if (!open) return 'no maintenance window open, so no reboot at window end'
  await launchPatchRun(app, {
    hostId,
    patchType: 'reboot',
    runAt: open.closesAt,
    triggeredBy: { userId: null, source: 'schedule' },
    scheduleId: row.id
  })
  return null
}
