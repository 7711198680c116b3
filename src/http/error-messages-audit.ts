// Error messages of the audit log and of sessions and devices (src/audit/, src/users/session-*):
// part of the one table, ERROR_MESSAGES in error-messages.ts.
import { entry } from './error-entry.js'

export const AUDIT_ERROR_MESSAGES = {
  // The audit log's filters and retention setting (src/audit/audit-service.ts, settings-routes.ts).
  audit: {
    invalidDate: entry('from and to must be ISO-8601 dates (YYYY-MM-DD or a date-time)', 400, 'validation'),
    audit_log_retention_days: entry('Audit log retention must be an integer between 1 and 3650 days', 400, 'validation')
  },
  // Sessions and devices (src/users/session-routes.ts).
  sessions: {
    notFound: entry('Session not found', 404)
  }
} as const
