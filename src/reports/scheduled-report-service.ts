// Scheduled reports' rules. Saving one: its destinations must exist, days and sections are kept once
// each, and the next run is computed from the schedule (400 when the schedule cannot run). Running
// one: a due report (next_run_at reached) is rendered once, handed to the notification deliveries
// (logged, retried, re-queued after restarts like any alert), and its next run is computed from the
// schedule — so a run missed while the server was down is sent once on start, not once per missed
// slot. SQL stays in scheduled-report-queries.ts.
import type { FastifyInstance } from 'fastify'
import type { ScheduledReportRow } from '../store/database-types.js'
import { nextRunAfter, ScheduleError, serverTimeZone, type Frequency, type ReportSchedule } from './schedule.js'
import { collectReportData, type ReportSection } from './report-data.js'
import { buildReportNotice } from './report-render.js'
import {
  deleteReportRow,
  dueReportRows,
  findReportRow,
  insertReportRow,
  listReportRows,
  updateReportRow
} from './scheduled-report-queries.js'
import { badRequest, notFound } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { countExistingDestinations } from '../notifications/destination-store.js'
import { newId } from '../security/random-tokens.js'
import type { CreateReportInput, UpdateReportInput } from './report-schemas.js'

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

const REPORT_ERRORS = ERROR_MESSAGES.scheduledReports

/** Checks a whole report (merged with the stored one on update) and returns its columns, next run included. */
async function reportColumns(app: FastifyInstance, input: CreateReportInput) {
  const found = await countExistingDestinations(app.store.db, input.destination_ids)
  if (found !== new Set(input.destination_ids).size) throw badRequest(REPORT_ERRORS.destinationUnknown.message)
  const row = {
    frequency: input.frequency,
    days: JSON.stringify(input.frequency === 'weekly' ? [...new Set(input.days ?? [])].sort() : []),
    day_of_month: input.frequency === 'monthly' && input.day_of_month !== undefined ? String(input.day_of_month) : null,
    time: input.time
  }
  const enabled = input.enabled !== false
  let next: string | null
  try {
    next = enabled ? nextRunAfter(scheduleOf(row), app.notifications.now()).toISOString() : null
  } catch (err) {
    if (err instanceof ScheduleError) throw badRequest(err.message)
    throw err
  }
  return {
    ...row,
    name: input.name.trim(),
    sections: JSON.stringify([...new Set(input.sections)]),
    destination_ids: JSON.stringify([...new Set(input.destination_ids)]),
    attach_csv: input.attach_csv ? 1 : 0,
    enabled: enabled ? 1 : 0,
    next_run_at: next
  }
}

/** The stored report; 404 when there is none. */
export async function loadReport(app: FastifyInstance, id: string): Promise<ScheduledReportRow> {
  const row = await findReportRow(app.store.db, id)
  if (!row) throw notFound(REPORT_ERRORS.notFound.message)
  return row
}

export async function listReports(app: FastifyInstance) {
  return (await listReportRows(app.store.db)).map(reportView)
}

export async function createReport(app: FastifyInstance, input: CreateReportInput) {
  const now = new Date().toISOString()
  const id = newId()
  await insertReportRow(app.store.db, { id, ...(await reportColumns(app, input)), last_run_at: null, created_at: now, updated_at: now })
  return reportView(await loadReport(app, id))
}

/** Applies the fields sent on top of the stored report; the whole result is checked again. */
export async function changeReport(app: FastifyInstance, id: string, changes: UpdateReportInput) {
  const current = reportView(await loadReport(app, id))
  const merged: CreateReportInput = {
    name: current.name,
    frequency: current.frequency as CreateReportInput['frequency'],
    days: current.days,
    ...(current.day_of_month !== null ? { day_of_month: current.day_of_month } : {}),
    time: current.time,
    sections: current.sections as CreateReportInput['sections'],
    destination_ids: current.destination_ids,
    attach_csv: current.attach_csv,
    enabled: current.enabled,
    ...changes
  }
  await updateReportRow(app.store.db, current.id, { ...(await reportColumns(app, merged)), updated_at: new Date().toISOString() })
  return reportView(await loadReport(app, current.id))
}

export async function deleteReport(app: FastifyInstance, id: string): Promise<void> {
  if (!(await deleteReportRow(app.store.db, id))) throw notFound(REPORT_ERRORS.notFound.message)
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
  await updateReportRow(app.store.db, row.id, { last_run_at: now.toISOString(), updated_at: now.toISOString() })
  app.log.info(
    { reportId: row.id, deliveries: ids.length },
    ids.length ? 'scheduled report queued' : 'scheduled report has no existing destinations'
  )
  return ids
}

/** The scheduler tick: runs every due report once and moves its next run past now. */
export async function runDueReports(app: FastifyInstance): Promise<number> {
  const now = app.notifications.now()
  const due = await dueReportRows(app.store.db, now.toISOString())
  for (const row of due) {
    // Next run first: a report that fails to render is not retried every minute.
    const next = nextRunAfter(scheduleOf(row), now).toISOString()
    await updateReportRow(app.store.db, row.id, { next_run_at: next })
    try {
      await runReport(app, row)
    } catch (err) {
      app.log.error({ err, reportId: row.id }, 'scheduled report failed')
    }
  }
  return due.length
}
