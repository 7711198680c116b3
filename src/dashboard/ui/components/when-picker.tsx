// When something recurs, as the patching schedules and maintenance windows take it: the day/time
// picker (daily, weekdays, weekly on days, monthly on a day or the last day, at HH:MM in the
// server's time zone) or a five-field cron expression for anything else.
import { Field } from './controls'
import { DAY_NAMES } from '../report-schedule'
import type { CronOrPickerInput } from '../patching-types'

export interface When {
  mode: 'picker' | 'cron'
  frequency: NonNullable<CronOrPickerInput['frequency']>
  days: number[]
  dayOfMonth: string
  time: string
  cron: string
}

export const DEFAULT_WHEN: When = { mode: 'picker', frequency: 'weekly', days: [0], dayOfMonth: '1', time: '03:00', cron: '' }

/** The request fields for either form: `cron`, or `frequency` + `time` + `days`/`day_of_month` (the server's CronOrPicker). */
export function whenBody(w: When): CronOrPickerInput {
  if (w.mode === 'cron') return { cron: w.cron.trim() }
  return {
    frequency: w.frequency,
    time: w.time,
    ...(w.frequency === 'weekly' ? { days: [...w.days].sort((a, b) => a - b) } : {}),
    ...(w.frequency === 'monthly' ? { day_of_month: w.dayOfMonth === 'last' ? 'last' : Number(w.dayOfMonth) } : {})
  }
}

export function whenIsComplete(w: When): boolean {
  return w.mode === 'cron' ? w.cron.trim().split(/\s+/).length === 5 : w.frequency !== 'weekly' || w.days.length > 0
}

export function WhenPicker({ value, onChange, timeLabel }: { value: When; onChange: (w: When) => void; timeLabel: string }) {
  const set = (changes: Partial<When>) => onChange({ ...value, ...changes })
  return (
    <>
      <fieldset class="checks checks-inline">
        <legend>Repeat</legend>
        <label class="check">
          <input type="radio" name="when-mode" checked={value.mode === 'picker'} onChange={() => set({ mode: 'picker' })} /> On days at a
          time
        </label>
        <label class="check">
          <input type="radio" name="when-mode" checked={value.mode === 'cron'} onChange={() => set({ mode: 'cron' })} /> Cron expression
        </label>
      </fieldset>
      {value.mode === 'cron' ? (
        <Field
          label="Cron expression"
          hint="Five fields: minute hour day-of-month month day-of-week, server time zone. Example: 30 2 * * 6"
        >
          <input class="mono" value={value.cron} onInput={(e) => set({ cron: e.currentTarget.value })} required maxLength={100} />
        </Field>
      ) : (
        <>
          <Field label="Frequency">
            <select value={value.frequency} onChange={(e) => set({ frequency: e.currentTarget.value as When['frequency'] })}>
              <option value="daily">Daily</option>
              <option value="weekdays">Weekdays</option>
              <option value="weekly">Weekly</option>
              <option value="monthly">Monthly</option>
            </select>
          </Field>
          {value.frequency === 'weekly' && (
            <fieldset class="checks checks-inline">
              <legend>Days</legend>
              {DAY_NAMES.map((d, i) => (
                <label class="check">
                  <input
                    type="checkbox"
                    checked={value.days.includes(i)}
                    onChange={(e) => set({ days: e.currentTarget.checked ? [...value.days, i] : value.days.filter((x) => x !== i) })}
                  />{' '}
                  {d}
                </label>
              ))}
            </fieldset>
          )}
          {value.frequency === 'monthly' && (
            <Field label="Day of month">
              <select value={value.dayOfMonth} onChange={(e) => set({ dayOfMonth: e.currentTarget.value })}>
                {Array.from({ length: 31 }, (_, i) => String(i + 1)).map((d) => (
                  <option value={d}>{d}</option>
                ))}
                <option value="last">Last day</option>
              </select>
            </Field>
          )}
          <Field label={timeLabel}>
            <input type="time" value={value.time} onInput={(e) => set({ time: e.currentTarget.value })} required />
          </Field>
        </>
      )}
    </>
  )
}
