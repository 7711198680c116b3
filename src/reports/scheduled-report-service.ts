// Running scheduled reports: a due report (next_run_at reached) is rendered once, handed to the
// notification deliveries (logged, retried, re-queued after restarts like any alert), and its next
// run is computed from the schedule — so a run missed while the server was down is sent once on
// start, not once per missed slot.
import type { FastifyInstance } from 'fastify'
import type { ScheduledReportRow } from '../store/database-types.js'
import { nextRunAfter, serverTimeZone, type Frequency, type ReportSchedule } from './schedule.js'
import { collectReportData, type ReportSection } from './report-data.js'
import { buildReportNotice } from './report-render.js'

export function scheduleOf(row: Pick<ScheduledReportRow, 'frequency' | 'days' | 'day_of_month' | 'time'>): ReportSchedule {
  const day = row.day_of_month === null ? undefined : row.day_of_month === 'last' ? 'last' : Number(row.day_of_month)
  return {
    frequency: row.frequency as Frequency,
    days: JSON.parse(row.days) as number[],
    ...(day !== undefined ? { dayOfMonth: day } : {}),
    time: row.time
  }
}

export function reportView(row: ScheduledReportRow) {
  return {
    ...row,
    days: JSON.parse(row.days) as number[],
    day_of_month: row.day_of_month === null ? null : row.day_of_month === 'last' ? ('last' as const) : Number(row.day_of_month),
    timezone: serverTimeZone(),
    sections: JSON.parse(row.sections) as string[],
    destination_ids: JSON.parse(row.destination_ids) as string[],
    attach_csv: row.attach_csv === 1,
    enabled: row.enabled === 1
  }
}

/** Renders and queues one report; returns the delivery ids. */
export async function runReport(app: FastifyInstance, row: ScheduledReportRow): Promise<string[]> {
  const now = app.notifications.now()
  const sections = JSON.parse(row.sections) as ReportSection[]
  const data = await collectReportData(app.store.db, sections)
  const notice = buildReportNotice(row.name, sections, data, row.attach_csv === 1, now)
  const ids = await app.notifications.sendTo(JSON.parse(row.destination_ids) as string[], {
    eventType: 'scheduled_report',
    notice,
    referenceId: row.id
  })
  await app.store.db
    .updateTable('scheduled_reports')
    .set({ last_run_at: now.toISOString(), updated_at: now.toISOString() })
    .where('id', '=', row.id)
    .execute()
  app.log.info(
    { reportId: row.id, deliveries: ids.length },
    ids.length ? 'scheduled report queued' : 'scheduled report has no existing destinations'
  )
  return ids
}

/** The scheduler tick: runs every due report once and moves its next run past now. */
export async function runDueReports(app: FastifyInstance): Promise<number> {
  const now = app.notifications.now()
  const due = await app.store.db
    .selectFrom('scheduled_reports')
    .selectAll()
    .where('enabled', '=', 1)
    .where('next_run_at', '<=', now.toISOString())
    .execute()
  for (const row of due) {
    // Next run first: a report that fails to render is not retried every minute.
    const next = nextRunAfter(scheduleOf(row), now).toISOString()
    await app.store.db.updateTable('scheduled_reports').set({ next_run_at: next }).where('id', '=', row.id).execute()
    try {
      await runReport(app, row)
    } catch (err) {
      app.log.error({ err, reportId: row.id }, 'scheduled report failed')
    }
  }
  return due.length
}
