// When schedules fire and windows open: a croner expression (five fields, minute precision) or the
// day/time picker scheduled reports use, turned into one. Times are wall-clock times in the server's
// time zone (reports/schedule.ts serverTimeZone), DST included: croner runs a time that does not
// exist on the spring-forward day at the first minute after the gap, and a repeated autumn hour once.
import { Cron } from 'croner'
import { Type, type Static } from '@fastify/type-provider-typebox'
import { ApiError } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { cronPattern, ScheduleError, serverTimeZone, TIME_PATTERN, type Frequency } from '../reports/schedule.js'

/** FREQUENCIES spelled out as literals, so the static type is the union (a mapped array is not). */
const FrequencySchema = Type.Union([Type.Literal('daily'), Type.Literal('weekdays'), Type.Literal('weekly'), Type.Literal('monthly')])
// Checked both ways, so the literals and reports/schedule.ts FREQUENCIES cannot drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const _frequenciesMatch: Same<Frequency, Static<typeof FrequencySchema>> = true

/** Either `cron` or the picker (`frequency`, `days`, `day_of_month`, `time`). */
export const CronOrPicker = {
  cron: Type.Optional(Type.String({ minLength: 9, maxLength: 100, description: 'Five-field cron expression, server time zone' })),
  frequency: Type.Optional(FrequencySchema),
  days: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { maxItems: 7, description: 'weekly: Sunday = 0' })),
  day_of_month: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 31 }), Type.Literal('last')])),
  time: Type.Optional(Type.String({ pattern: TIME_PATTERN, description: 'HH:MM in the server time zone' }))
}
const _cronOrPickerObject = Type.Object(CronOrPicker)
export type CronOrPickerInput = Static<typeof _cronOrPickerObject>

function invalid(detail: string): ApiError {
  const e = ERROR_MESSAGES.patchSchedules.cronInvalid
  return new ApiError(e.status, { error: e.message, message: detail })
}

/** The cron expression a body asks for; 400 when neither form is usable. */
export function cronFromInput(input: CronOrPickerInput): string {
  let pattern: string
  if (input.cron !== undefined) pattern = input.cron.trim()
  else if (input.frequency !== undefined && input.time !== undefined) {
    try {
      pattern = cronPattern({
        frequency: input.frequency,
        time: input.time,
        ...(input.days ? { days: input.days } : {}),
        ...(input.day_of_month !== undefined ? { dayOfMonth: input.day_of_month } : {})
      })
    } catch (err) {
      if (err instanceof ScheduleError) throw invalid(err.message)
      throw err
    }
  } else throw invalid('give cron, or frequency and time')
  if (pattern.split(/\s+/).length !== 5) throw invalid('cron must have five fields: minute hour day-of-month month day-of-week')
  try {
    if (!nextAfter(pattern, new Date())) throw invalid('cron never fires')
  } catch (err) {
    if (err instanceof ApiError) throw err
    throw invalid(err instanceof Error ? err.message : String(err))
  }
  return pattern
}

/** The first firing strictly after `after` (null: never again). */
export function nextAfter(pattern: string, after: Date, timeZone = serverTimeZone()): Date | null {
  const cron = new Cron(pattern, { timezone: timeZone, paused: true })
  const next = cron.nextRun(after)
  cron.stop()
  return next
}
