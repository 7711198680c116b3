// How a scheduled report's timing reads in a sentence.
import type { ScheduledReport } from './notification-types'

export const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

export function describeSchedule(r: Pick<ScheduledReport, 'frequency' | 'days' | 'day_of_month' | 'time' | 'timezone'>): string {
  const at = `at ${r.time}${r.timezone ? ` (${r.timezone})` : ''}`
  switch (r.frequency) {
    case 'weekdays':
      return `weekdays ${at}`
    case 'weekly':
      return `every ${r.days.map((d) => DAY_NAMES[d] ?? d).join(', ')} ${at}`
    case 'monthly':
      return r.day_of_month === 'last' ? `last day of the month ${at}` : `monthly on day ${r.day_of_month ?? 1} ${at}`
    default:
      return `daily ${at}`
  }
}
