// Trend days are UTC calendar dates (YYYY-MM-DD): one row per host per day whatever the server's
// time zone, and no day is repeated or skipped when daylight saving time changes.
const DAY_MS = 86_400_000

export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10)
}

/** The UTC day `days` days before `at`'s (0 = the same day). */
export function dayBefore(at: Date, days: number): string {
  return utcDay(new Date(at.getTime() - days * DAY_MS))
}

/** Days between two instants, two decimals (what the charts show). */
export function daysBetween(fromIso: string, to: Date): number {
  return Math.round(((to.getTime() - Date.parse(fromIso)) / DAY_MS) * 100) / 100
}
