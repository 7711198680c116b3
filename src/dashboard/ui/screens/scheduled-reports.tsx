// Scheduled Reports: a summary sent to destinations daily, on weekdays, weekly or monthly
// (a day or the last day), at a time in the server's time zone.
import { useState } from 'preact/hooks'
import { del, post, put } from '../api'
import { asFailure, useApi } from '../use-api'
import { EmptyState, ErrorNote, Loaded, Notice } from '../components/feedback'
import { Badge, Field, formatDate } from '../components/controls'
import { Modal, useConfirm } from '../components/dialogs'
import { listOf } from '../lists'
import { REPORT_SECTIONS, type Destination, type ScheduledReport } from '../notification-types'
import { cronFor, describeCron, type Schedule } from '../report-schedule'

export function ScheduledReports({ destinations }: { destinations: Destination[] }) {
  const reports = useApi<unknown>('/api/v1/notifications/scheduled-reports')
  const [editing, setEditing] = useState<ScheduledReport | 'new' | null>(null)
  const [message, setMessage] = useState<string | undefined>()
  const [error, setError] = useState<Error | undefined>()
  const [confirmDialog, ask] = useConfirm()

  const act = async (action: () => Promise<unknown>, done?: string) => {
    setError(undefined)
    setMessage(undefined)
    try {
      await action()
      if (done) setMessage(done)
      reports.reload()
    } catch (err) {
      setError(asFailure(err))
    }
  }
  return (
    <section class="panel">
      <div class="panel-head">
        <h2>Scheduled Reports</h2>
        <button type="button" class="button button-primary" disabled={destinations.length === 0} onClick={() => setEditing('new')}>Add Schedule</button>
      </div>
      {message && <Notice>{message}</Notice>}
      <ErrorNote error={error} />
      <Loaded resource={reports} label="Loading schedules…">
        {(data) => {
          const list = listOf<ScheduledReport>(data, 'reports')
          if (list.length === 0) return <EmptyState title="No scheduled reports">Add a schedule to get a summary of outstanding updates in your channel every morning or every week.</EmptyState>
          return (
            <ul class="rows">
              {list.map((r) => (
                <li class="row">
                  <div>
                    <strong>{r.name}</strong> <span class="muted">{r.cron_expr ? describeCron(r.cron_expr) : r.frequency ?? ''}{r.next_run_at ? ` · next ${formatDate(r.next_run_at)}` : ''}</span> {!r.enabled && <Badge kind="muted">disabled</Badge>}
                  </div>
                  <div class="row-actions">
                    <button type="button" class="button button-small" onClick={() => void act(() => post(`/api/v1/notifications/scheduled-reports/${r.id}/run-now`), `"${r.name}" is being sent now.`)}>Run now</button>
                    <button type="button" class="button button-small" onClick={() => setEditing(r)}>Edit</button>
                    <button type="button" class="button button-small button-danger" onClick={() => void (async () => { if (await ask('Delete schedule?', `Delete "${r.name}"?`)) await act(() => del(`/api/v1/notifications/scheduled-reports/${r.id}`)) })()}>Delete</button>
                  </div>
                </li>
              ))}
            </ul>
          )
        }}
      </Loaded>
      {editing && <ReportForm report={editing === 'new' ? null : editing} destinations={destinations} onClose={(saved) => { setEditing(null); if (saved) reports.reload() }} />}
      {confirmDialog}
    </section>
  )
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

function ReportForm({ report, destinations, onClose }: { report: ScheduledReport | null; destinations: Destination[]; onClose: (saved: boolean) => void }) {
  const [name, setName] = useState(report?.name ?? 'Weekly patch summary')
  const [targets, setTargets] = useState<string[]>(report?.destination_ids ?? destinations.slice(0, 1).map((d) => d.id))
  const [schedule, setSchedule] = useState<Schedule>({ frequency: 'daily', days: [1], monthDay: '1', hour: 8, minute: 0 })
  const [sections, setSections] = useState<string[]>(report?.sections ?? report?.definition?.sections ?? REPORT_SECTIONS.map(([k]) => k))
  const [enabled, setEnabled] = useState(report?.enabled ?? true)
  const [error, setError] = useState<Error | undefined>()
  const toggle = <T,>(list: T[], v: T, on: boolean) => (on ? [...list, v] : list.filter((x) => x !== v))
  const save = async (e: Event) => {
    e.preventDefault()
    const body = {
      name: name.trim(), enabled, destination_ids: targets, cron_expr: cronFor(schedule),
      frequency: schedule.frequency, hour: schedule.hour, minute: schedule.minute,
      days_of_week: schedule.days, day_of_month: schedule.monthDay, sections, definition: { version: 1, sections }
    }
    try {
      if (report) await put(`/api/v1/notifications/scheduled-reports/${report.id}`, body)
      else await post('/api/v1/notifications/scheduled-reports', body)
      onClose(true)
    } catch (err) {
      setError(asFailure(err))
    }
  }
  const set = (changes: Partial<Schedule>) => setSchedule({ ...schedule, ...changes })
  return (
    <Modal title={report ? `Edit ${report.name}` : 'Add Schedule'} onClose={() => onClose(false)} wide>
      <form onSubmit={save}>
        <ErrorNote error={error} />
        <Field label="Name"><input value={name} onInput={(e) => setName(e.currentTarget.value)} required maxLength={255} /></Field>
        <fieldset class="checks">
          <legend>Destinations</legend>
          {destinations.map((d) => <label class="check"><input type="checkbox" checked={targets.includes(d.id)} onChange={(e) => setTargets(toggle(targets, d.id, e.currentTarget.checked))} /> {d.display_name}</label>)}
        </fieldset>
        <Field label="Frequency">
          <select value={schedule.frequency} onChange={(e) => set({ frequency: e.currentTarget.value as Schedule['frequency'] })}>
            <option value="daily">Daily</option><option value="weekdays">Weekdays</option><option value="weekly">Weekly</option><option value="monthly">Monthly</option>
          </select>
        </Field>
        {schedule.frequency === 'weekly' && (
          <fieldset class="checks checks-inline">
            <legend>Days</legend>
            {DAYS.map((d, i) => <label class="check"><input type="checkbox" checked={schedule.days.includes(i)} onChange={(e) => set({ days: toggle(schedule.days, i, e.currentTarget.checked) })} /> {d}</label>)}
          </fieldset>
        )}
        {schedule.frequency === 'monthly' && (
          <Field label="Day of month">
            <select value={schedule.monthDay} onChange={(e) => set({ monthDay: e.currentTarget.value })}>
              {Array.from({ length: 28 }, (_, i) => String(i + 1)).map((d) => <option value={d}>{d}</option>)}
              <option value="L">Last day</option>
            </select>
          </Field>
        )}
        <Field label="Delivery time (server time zone)">
          <input type="time" value={`${String(schedule.hour).padStart(2, '0')}:${String(schedule.minute).padStart(2, '0')}`} onInput={(e) => { const [h, m] = e.currentTarget.value.split(':'); set({ hour: Number(h) || 0, minute: Number(m) || 0 }) }} required />
        </Field>
        <fieldset class="checks">
          <legend>Sections</legend>
          {REPORT_SECTIONS.map(([k, label]) => <label class="check"><input type="checkbox" checked={sections.includes(k)} onChange={(e) => setSections(toggle(sections, k, e.currentTarget.checked))} /> {label}</label>)}
        </fieldset>
        <label class="check"><input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} /> Enabled</label>
        <div class="actions">
          <button type="button" class="button" onClick={() => onClose(false)}>Cancel</button>
          <button type="submit" class="button button-primary" disabled={targets.length === 0 || sections.length === 0}>Save</button>
        </div>
      </form>
    </Modal>
  )
}
