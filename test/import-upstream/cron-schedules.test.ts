// issue 19: which upstream report schedules (5-field cron) have a counterpart here.
import t from 'tap'
import { scheduleFromCron } from '../../src/import-upstream/map-reports.js'

t.test('cron expressions map to daily, weekdays, weekly and monthly schedules, or to nothing', async (t) => {
  t.same(scheduleFromCron('0 8 * * *'), { frequency: 'daily', days: [], dayOfMonth: null, time: '08:00' })
  t.same(scheduleFromCron('30 6 * * 1-5'), { frequency: 'weekdays', days: [], dayOfMonth: null, time: '06:30' })
  t.same(scheduleFromCron('5 23 * * 7,1'), { frequency: 'weekly', days: [0, 1], dayOfMonth: null, time: '23:05' })
  t.same(scheduleFromCron('0 9 15 * *'), { frequency: 'monthly', days: [], dayOfMonth: '15', time: '09:00' })
  t.same(scheduleFromCron('0 9 L * *'), { frequency: 'monthly', days: [], dayOfMonth: 'last', time: '09:00' })
  for (const cron of ['*/15 * * * *', '0 8 * 1 *', '0 8 1 * 1', '0 24 * * *', '0 8 * *', 'bogus'])
    t.equal(scheduleFromCron(cron), undefined, cron)
})
