// Upstream scheduled reports (a 5-field cron expression over upstream's own report definition) to
// ours (daily / weekdays / weekly / monthly at HH:MM, with our report sections). The schedules that
// have a counterpart come over; the report's contents become our standard sections, said in a note.
import type { Frequency } from '../reports/schedule.js'

export interface MappedSchedule {
  frequency: Frequency
  days: number[]
  dayOfMonth: string | null
  time: string
}

const INT = /^\d{1,2}$/

/** The schedule a cron expression means, or undefined when ours cannot express it. */
export function scheduleFromCron(cron: string): MappedSchedule | undefined {
  const fields = cron.trim().split(/\s+/)
  if (fields.length !== 5) return undefined
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string]
  if (!INT.test(minute) || !INT.test(hour) || month !== '*') return undefined
  const m = Number(minute)
  const h = Number(hour)
  if (m > 59 || h > 23) return undefined
  const time = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`
  if (dom === '*' && dow === '*') return { frequency: 'daily', days: [], dayOfMonth: null, time }
  if (dom === '*' && dow === '1-5') return { frequency: 'weekdays', days: [], dayOfMonth: null, time }
  if (dom === '*' && /^[0-7](,[0-7])*$/.test(dow)) {
    const days = [...new Set(dow.split(',').map((d) => Number(d) % 7))].sort()
    return { frequency: 'weekly', days, dayOfMonth: null, time }
  }
  if (dow === '*' && (dom === 'L' || (INT.test(dom) && Number(dom) >= 1 && Number(dom) <= 31))) {
    return { frequency: 'monthly', days: [], dayOfMonth: dom === 'L' ? 'last' : String(Number(dom)), time }
  }
  return undefined
}
