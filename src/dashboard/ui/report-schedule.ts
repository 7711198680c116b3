// The schedule presets of Scheduled Reports as 5-field cron expressions (L = last day of the month).

export interface Schedule {
  frequency: 'daily' | 'weekdays' | 'weekly' | 'monthly'
  /** 0 = Sunday, for weekly. */
  days: number[]
  /** '1'…'28' or 'L', for monthly. */
  monthDay: string
  hour: number
  minute: number
}

export function cronFor(s: Schedule): string {
  const at = `${s.minute} ${s.hour}`
  switch (s.frequency) {
    case 'weekdays':
      return `${at} * * 1-5`
    case 'weekly':
      return `${at} * * ${[...s.days].sort((a, b) => a - b).join(',') || '1'}`
    case 'monthly':
      return `${at} ${s.monthDay} * *`
    default:
      return `${at} * * *`
  }
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

export function describeCron(expr: string): string {
  const [minute, hour, dom, , dow] = expr.split(/\s+/)
  const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`
  if (dom === 'L') return `last day of the month at ${time}`
  if (dom && dom !== '*') return `monthly on day ${dom} at ${time}`
  if (dow === '1-5') return `weekdays at ${time}`
  if (dow && dow !== '*') return `${dow.split(',').map((d) => DAY_NAMES[Number(d)] ?? d).join(', ')} at ${time}`
  return `daily at ${time}`
}
