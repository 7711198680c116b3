// Next-run computation in the server's time zone: weekdays, weekly days, monthly day and last day,
// DST changes and leap years.
import t from 'tap'
import { cronPattern, nextRunAfter, type ReportSchedule } from '../../src/reports/schedule.js'

const next = (s: ReportSchedule, after: string, tz = 'UTC') => nextRunAfter(s, new Date(after), tz).toISOString()

t.test('daily runs at HH:MM, strictly after the given instant', async (t) => {
  t.equal(next({ frequency: 'daily', time: '08:00' }, '2026-05-05T07:59:00Z'), '2026-05-05T08:00:00.000Z')
  t.equal(next({ frequency: 'daily', time: '08:00' }, '2026-05-05T08:00:00Z'), '2026-05-06T08:00:00.000Z')
})

t.test('weekdays skip Saturday and Sunday', async (t) => {
  // 2026-11-27 is a Friday.
  t.equal(next({ frequency: 'weekdays', time: '09:00' }, '2026-11-27T09:30:00Z'), '2026-11-30T09:00:00.000Z')
  t.equal(next({ frequency: 'weekdays', time: '09:00' }, '2026-11-26T09:30:00Z'), '2026-11-27T09:00:00.000Z')
})

t.test('weekly runs on the chosen days (Sunday = 0)', async (t) => {
  const s: ReportSchedule = { frequency: 'weekly', days: [1, 3], time: '07:15' }
  t.equal(cronPattern(s), '15 7 * * 1,3')
  t.equal(next(s, '2026-11-24T00:00:00Z'), '2026-11-25T07:15:00.000Z') // Tue -> Wed
  t.equal(next(s, '2026-11-25T08:00:00Z'), '2026-11-30T07:15:00.000Z') // Wed -> Mon
  t.equal(next({ frequency: 'weekly', days: [0], time: '00:00' }, '2026-11-24T00:00:00Z'), '2026-11-29T00:00:00.000Z')
  t.throws(() => cronPattern({ frequency: 'weekly', days: [], time: '07:15' }), { name: 'ScheduleError' })
})

t.test('monthly on the last day follows month lengths and leap years', async (t) => {
  const last: ReportSchedule = { frequency: 'monthly', dayOfMonth: 'last', time: '18:00' }
  t.equal(next(last, '2028-02-01T00:00:00Z'), '2028-02-29T18:00:00.000Z', 'leap year February')
  t.equal(next(last, '2027-02-01T00:00:00Z'), '2027-02-28T18:00:00.000Z')
  t.equal(next(last, '2026-04-30T18:00:00Z'), '2026-05-31T18:00:00.000Z')
  t.equal(next(last, '2026-12-31T18:30:00Z'), '2027-01-31T18:00:00.000Z', 'across the year end')
  t.equal(
    next({ frequency: 'monthly', dayOfMonth: 29, time: '06:00' }, '2027-01-30T00:00:00Z'),
    '2027-03-29T06:00:00.000Z',
    'day 29 skips a short February'
  )
  t.equal(
    next({ frequency: 'monthly', dayOfMonth: 29, time: '06:00' }, '2028-01-30T00:00:00Z'),
    '2028-02-29T06:00:00.000Z',
    'but not a leap February'
  )
  t.throws(() => cronPattern({ frequency: 'monthly', time: '06:00' }), { name: 'ScheduleError' })
})

t.test('delivery time is wall-clock time in the server time zone across DST changes', async (t) => {
  const daily: ReportSchedule = { frequency: 'daily', time: '08:00' }
  // Europe/Berlin: CET (UTC+1) until 2026-03-29 02:00, then CEST (UTC+2); back on 2026-10-25.
  t.equal(next(daily, '2026-03-28T12:00:00Z', 'Europe/Berlin'), '2026-03-29T06:00:00.000Z', '08:00 CEST on the change day')
  t.equal(next(daily, '2026-03-27T12:00:00Z', 'Europe/Berlin'), '2026-03-28T07:00:00.000Z', '08:00 CET the day before')
  t.equal(next(daily, '2026-10-24T12:00:00Z', 'Europe/Berlin'), '2026-10-25T07:00:00.000Z', 'back to CET')
  // 02:30 does not exist on the spring-forward day: the report runs at the first minute after the gap, once.
  const gap = next({ frequency: 'daily', time: '02:30' }, '2026-03-28T12:00:00Z', 'Europe/Berlin')
  t.equal(gap, '2026-03-29T01:00:00.000Z')
  // 02:30 happens twice on the fall-back day: one run only.
  const first = next({ frequency: 'daily', time: '02:30' }, '2026-10-24T12:00:00Z', 'Europe/Berlin')
  const second = next({ frequency: 'daily', time: '02:30' }, first, 'Europe/Berlin')
  t.equal(first, '2026-10-25T00:30:00.000Z')
  t.equal(second, '2026-10-26T01:30:00.000Z', 'next run is the following day')
  t.equal(next(daily, '2026-03-07T20:00:00Z', 'America/New_York'), '2026-03-08T12:00:00.000Z', 'US spring forward')
})

t.test('time must be HH:MM', async (t) => {
  for (const time of ['8:00', '24:00', '08:60', 'noon'])
    t.throws(() => cronPattern({ frequency: 'daily', time }), { name: 'ScheduleError' }, time)
})
