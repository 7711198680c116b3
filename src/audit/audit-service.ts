// Reading the audit log: filters checked and turned into a query filter, a page for the dashboard
// and the Integration API, the CSV export, and pruning by the retention setting.
import type { FastifyInstance } from 'fastify'
import { stringify } from 'csv-stringify/sync'
import { invalidField } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import type { AuditLogRow } from '../store/audit-table-types.js'
import { auditPage, auditRowsInBatches, pruneAuditRows, type AuditFilter } from './audit-queries.js'
import type { AuditEntryView, AuditFilterInput, AuditListView } from './audit-schemas.js'

const E = ERROR_MESSAGES.audit
const DAY_MS = 86_400_000

/** A date (YYYY-MM-DD, the start of that UTC day) or a date-time as ISO-8601 UTC; 400 otherwise. */
function isoBound(field: 'from' | 'to', raw: string | undefined, endOfDay: boolean): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined
  const value = raw.trim()
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value)
  const ms = Date.parse(dateOnly ? `${value}T00:00:00Z` : value)
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(value)) throw invalidField(field, E.invalidDate.message, 'query')
  // A bare `to` date includes that whole day.
  return new Date(dateOnly && endOfDay ? ms + DAY_MS : ms).toISOString()
}

export function auditFilterOf(q: AuditFilterInput): AuditFilter {
  return {
    actor: q.actor?.trim() || undefined,
    action: q.action?.trim() || undefined,
    targetType: q.target_type || undefined,
    targetId: q.target_id || undefined,
    outcome: q.outcome,
    from: isoBound('from', q.from, false),
    to: isoBound('to', q.to, true)
  }
}

function view(row: AuditLogRow): AuditEntryView {
  let details: Record<string, unknown> | null = null
  if (row.details) {
    try {
      details = JSON.parse(row.details) as Record<string, unknown>
    } catch {
      details = null
    }
  }
  return { ...row, details }
}

export async function auditList(app: FastifyInstance, q: AuditFilterInput & { limit?: number; offset?: number }): Promise<AuditListView> {
  const limit = q.limit ?? 50
  const offset = q.offset ?? 0
  const page = await auditPage(app.store.db, auditFilterOf(q), limit, offset)
  return { entries: page.rows.map(view), total: page.total, limit, offset }
}

const CSV_COLUMNS = [
  'created_at',
  'actor_type',
  'actor_id',
  'actor_label',
  'action',
  'target_type',
  'target_id',
  'target_label',
  'outcome',
  'reason',
  'ip',
  'user_agent',
  'details'
] as const

/** Spreadsheets run cells starting with = + - @ tab or CR as formulas (OWASP): such cells get a leading '. */
const neutralised = (value: string | null): string => (value && /^[=+\-@\t\r]/.test(value) ? `'${value}` : (value ?? ''))

/**
 * The filtered log as CSV lines, header first, newest entry first, produced in batches. The filter is
 * checked here, before the route starts a CSV reply: a bad date is then a plain 400, not an error
 * raised inside a stream that has already been given the CSV content type.
 */
export function auditCsv(app: FastifyInstance, q: AuditFilterInput): AsyncGenerator<string> {
  return auditCsvLines(app, auditFilterOf(q))
}

async function* auditCsvLines(app: FastifyInstance, filter: AuditFilter): AsyncGenerator<string> {
  yield stringify([[...CSV_COLUMNS]])
  for await (const rows of auditRowsInBatches(app.store.db, filter)) {
    yield stringify(rows.map((row) => CSV_COLUMNS.map((column) => neutralised(row[column]))))
  }
}

/** Deletes entries older than the retention setting (days, at least 1). */
export async function pruneAuditLog(app: FastifyInstance, now = new Date()): Promise<number> {
  const days = Math.max(1, Number(await app.settings.get('audit_log_retention_days')) || 1)
  return pruneAuditRows(app.store.db, new Date(now.getTime() - days * DAY_MS).toISOString())
}
