// Schemas of /api/v1/notifications/scheduled-reports.
import { Type, type Static } from '@fastify/type-provider-typebox'
import { FREQUENCIES, TIME_PATTERN } from './schedule.js'
import { REPORT_SECTIONS } from './report-data.js'
import { ERROR_MESSAGES, fillMessage } from '../http/error-messages.js'

const Lit = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)))

export const CreateReportBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  frequency: Lit(FREQUENCIES),
  days: Type.Optional(
    Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { maxItems: 7, description: 'weekly: days of the week, Sunday = 0' })
  ),
  day_of_month: Type.Optional(
    Type.Union([Type.Integer({ minimum: 1, maximum: 31 }), Type.Literal('last')], {
      description: 'monthly: 1-31 (months without that day are skipped) or "last"'
    })
  ),
  time: Type.String({ pattern: TIME_PATTERN, description: 'HH:MM in the server time zone (TZ)' }),
  sections: Type.Array(Lit(REPORT_SECTIONS), { minItems: 1, maxItems: REPORT_SECTIONS.length }),
  destination_ids: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 20 }),
  attach_csv: Type.Optional(Type.Boolean()),
  enabled: Type.Optional(Type.Boolean())
})
export type CreateReportInput = Static<typeof CreateReportBody>
export const UpdateReportBody = Type.Partial(CreateReportBody)
export type UpdateReportInput = Static<typeof UpdateReportBody>

export const ReportView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  frequency: Type.String(),
  days: Type.Array(Type.Integer()),
  day_of_month: Type.Union([Type.Integer(), Type.Literal('last'), Type.Null()]),
  time: Type.String(),
  timezone: Type.String(),
  sections: Type.Array(Type.String()),
  destination_ids: Type.Array(Type.String()),
  attach_csv: Type.Boolean(),
  enabled: Type.Boolean(),
  next_run_at: Type.Union([Type.String(), Type.Null()]),
  last_run_at: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String()
})

const REPORT_ERRORS = ERROR_MESSAGES.scheduledReports
export const REPORT_MESSAGES = {
  name: REPORT_ERRORS.name.message,
  frequency: REPORT_ERRORS.frequency.message,
  days: REPORT_ERRORS.days.message,
  day_of_month: REPORT_ERRORS.day_of_month.message,
  time: REPORT_ERRORS.time.message,
  sections: fillMessage(REPORT_ERRORS.sections, { sections: REPORT_SECTIONS.join(', ') }),
  destination_ids: REPORT_ERRORS.destination_ids.message,
  attach_csv: REPORT_ERRORS.attach_csv.message,
  enabled: REPORT_ERRORS.enabled.message
}
