// Error messages of trends (src/trends/): part of the one table, ERROR_MESSAGES in error-messages.ts.
import { entry } from './error-entry.js'

export const TRENDS_ERROR_MESSAGES = {
  // The trend reads (src/trends/trend-routes.ts) and the retention setting (settings-routes.ts).
  trends: {
    days: entry('days must be an integer between 1 and 3650', 400, 'validation'),
    trend_retention_days: entry('Trend retention must be an integer between 30 and 3650 days', 400, 'validation')
  }
} as const
