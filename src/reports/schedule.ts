// When a scheduled report runs next. The schedule is kept as the user chose it (frequency, days,
// day of month or "last", HH:MM) and turned into a cron pattern for croner, which computes the
// next instant in the server's time zone, DST included: a time that does not exist on a
// spring-forward day runs at the first valid minute after it, a repeated autumn hour runs once.
// Monthly on day 29-31 skips months that lack the day; "last" means the last day of every month.
import { Cron } from 'croner'
import { ERROR_MESSAGES } from '../http/error-messages.js'

const SCHEDULE_ERRORS = ERROR_MESSAGES.scheduledReports

export const FREQUENCIES = ['daily', 'weekdays', 'weekly', 'monthly'] as const
export type Frequency = (typeof FREQUENCIES)[number]

export interface ReportSchedule {
  frequency: Frequency
  /** 0-6, Sunday = 0; weekly only. */
  days?: number[]
  /** 1-31 or "last"; monthly only. */
  dayOfMonth?: number | 'last'
  /** HH:MM, 24-hour, in timeZone. */
  time: string
}

export class ScheduleError extends Error {
  override name = 'ScheduleError'
}

export const TIME_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]$'

export function serverTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

export function cronPattern(schedule: ReportSchedule): string {
  const match = new RegExp(TIME_PATTERN).exec(schedule.time)
  if (!match) throw new ScheduleError(SCHEDULE_ERRORS.timeInvalid.message)
  const [hour, minute] = schedule.time.split(':').map(Number)
  const at = `${minute} ${hour}`
  switch (schedule.frequency) {
    case 'daily':
      return `${at} * * *`
    case 'weekdays':
      return `${at} * * 1-5`
    case 'weekly': {
      const days = [...new Set(schedule.days ?? [])].sort()
      if (days.length === 0 || days.some((d) => !Number.isInteger(d) || d < 0 || d > 6))
        throw new ScheduleError(SCHEDULE_ERRORS.weeklyNeedsDays.message)
      return `${at} * * ${days.join(',')}`
    }
    case 'monthly': {
      const day = schedule.dayOfMonth
      if (day === 'last') return `${at} L * *`
      if (typeof day !== 'number' || !Number.isInteger(day) || day < 1 || day > 31)
        throw new ScheduleError(SCHEDULE_ERRORS.monthlyNeedsDay.message)
      return `${at} ${day} * *`
    }
  }
}

/** The first run strictly after `after`. */
export function nextRunAfter(schedule: ReportSchedule, after: Date, timeZone = serverTimeZone()): Date {
  const cron = new Cron(cronPattern(schedule), { timezone: timeZone, paused: true })
  const next = cron.nextRun(after)
  cron.stop()
  if (!next) throw new ScheduleError(SCHEDULE_ERRORS.neverRuns.message)
  return next
}
