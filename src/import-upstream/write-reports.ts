// Writes scheduled reports through the reports feature: the schedule mapped from upstream's cron,
// the destinations that came over, our standard sections, the next run computed as ours are.
import { insertReportRow } from '../reports/scheduled-report-queries.js'
import { scheduleOf } from '../reports/scheduled-report-service.js'
import { nextRunAfter } from '../reports/schedule.js'
import { REPORT_SECTIONS } from '../reports/report-data.js'
import { newId } from '../security/random-tokens.js'
import type { ImportContext } from './import-context.js'
import { scheduleFromCron } from './map-reports.js'
import type { UpstreamScheduledReport } from './read-alerts.js'

export async function writeScheduledReports(ctx: ImportContext, reports: UpstreamScheduledReport[]): Promise<void> {
  const now = new Date()
  for (const r of reports) {
    const what = `scheduled report "${r.name}"`
    const schedule = scheduleFromCron(r.cron_expr)
    if (!schedule) {
      ctx.summary.note(
        `${what}: its schedule "${r.cron_expr}" has no counterpart here (daily, weekdays, weekly or monthly at a time); recreate it under Reports`
      )
      continue
    }
    const upstreamIds = Array.isArray(r.destination_ids) ? r.destination_ids.filter((d): d is string => typeof d === 'string') : []
    const destinations = upstreamIds.map((d) => ctx.destinationIds.get(d)).filter((d): d is string => d !== undefined)
    if (destinations.length === 0) {
      ctx.summary.note(`${what}: none of its destinations came over; recreate it under Reports`)
      continue
    }
    ctx.summary.note(
      `${what}: schedule kept (${r.cron_expr}, in this server's time zone); it sends this appliance's standard sections, not upstream's report definition`
    )
    ctx.summary.count('scheduled reports')
    if (ctx.dryRun) continue
    const row = {
      frequency: schedule.frequency,
      days: JSON.stringify(schedule.days),
      day_of_month: schedule.dayOfMonth,
      time: schedule.time
    }
    const enabled = r.enabled !== false
    await insertReportRow(ctx.store.db, {
      id: newId(),
      name: r.name.trim().slice(0, 200),
      ...row,
      sections: JSON.stringify([...REPORT_SECTIONS]),
      destination_ids: JSON.stringify([...new Set(destinations)]),
      attach_csv: 0,
      enabled: enabled ? 1 : 0,
      next_run_at: enabled ? nextRunAfter(scheduleOf(row), now).toISOString() : null,
      last_run_at: null,
      created_at: now.toISOString(),
      updated_at: now.toISOString()
    })
  }
}
