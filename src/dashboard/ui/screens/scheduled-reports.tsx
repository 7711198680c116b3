// Scheduled Reports: a summary sent to destinations daily, on weekdays, weekly or monthly
// (a day or the last day), at a time in the server's time zone.
import { useState } from 'preact/hooks'
import { del, post, put } from '../api'
import { asFailure, useApi } from '../use-api'
import { EmptyState, ErrorNote, Loaded, Notice } from '../components/feedback'
import { Badge, Field, formatDate } from '../components/controls'
import { Modal, useConfirm } from '../components/dialogs'
import { REPORT_SECTIONS, type Destination, type ScheduledReport } from '../notification-types'
import { DAY_NAMES, describeSchedule } from '../report-schedule'

export function ScheduledReports({ destinations }: { destinations: Destination[] }) {
  const reports = useApi<ScheduledReport[]>('/api/v1/notifications/scheduled-reports')
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
        <button type="button" class="button button-primary" disabled={destinations.length === 0} onClick={() => setEditing('new')}>
          Add Schedule
        </button>
      </div>
      {message && <Notice>{message}</Notice>}
      <ErrorNote error={error} />
      <Loaded resource={reports} label="Loading schedules…">
        {(data) => {
          const list = data
          if (list.length === 0)
            return (
              <EmptyState title="No scheduled reports">
                Add a schedule to get a summary of outstanding updates in your channel every morning or every week.
              </EmptyState>
            )
          return (
            <ul class="rows">
              {list.map((r) => (
                <li class="row">
                  <div>
                    <strong>{r.name}</strong>{' '}
                    <span class="muted">
                      {describeSchedule(r)}
                      {r.next_run_at ? ` · next ${formatDate(r.next_run_at)}` : ''}
                    </span>{' '}
                    {!r.enabled && <Badge kind="muted">disabled</Badge>}
                  </div>
                  <div class="row-actions">
                    <button
                      type="button"
                      class="button button-small"
                      onClick={() =>
                        void act(() => post(`/api/v1/notifications/scheduled-reports/${r.id}/run-now`), `"${r.name}" is being sent now.`)
                      }
                    >
                      Run now
                    </button>
                    <button type="button" class="button button-small" onClick={() => setEditing(r)}>
                      Edit
                    </button>
                    <button
                      type="button"
                      class="button button-small button-danger"
                      onClick={() =>
                        void (async () => {
                          if (await ask('Delete schedule?', `Delete "${r.name}"?`))
                            await act(() => del(`/api/v1/notifications/scheduled-reports/${r.id}`))
                        })()
                      }
                    >
                      Delete
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          )
        }}
      </Loaded>
      {editing && (
        <ReportForm
          report={editing === 'new' ? null : editing}
          destinations={destinations}
          onClose={(saved) => {
            setEditing(null)
            if (saved) reports.reload()
          }}
        />
      )}
      {confirmDialog}
    </section>
  )
}

function ReportForm({
  report,
  destinations,
  onClose
}: {
  report: ScheduledReport | null
  destinations: Destination[]
  onClose: (saved: boolean) => void
}) {
  const [name, setName] = useState(report?.name ?? 'Weekly patch summary')
  const [targets, setTargets] = useState<string[]>(report?.destination_ids ?? destinations.slice(0, 1).map((d) => d.id))
  const [frequency, setFrequency] = useState<ScheduledReport['frequency']>(report?.frequency ?? 'weekly')
  const [days, setDays] = useState<number[]>(report?.days.length ? report.days : [1])
  const [dayOfMonth, setDayOfMonth] = useState(String(report?.day_of_month ?? 1))
  const [time, setTime] = useState(report?.time ?? '08:00')
  const [sections, setSections] = useState<string[]>(report?.sections ?? REPORT_SECTIONS.map(([k]) => k))
  const [attachCsv, setAttachCsv] = useState(report?.attach_csv ?? false)
  const [enabled, setEnabled] = useState(report?.enabled ?? true)
  const [error, setError] = useState<Error | undefined>()
  const toggle = <T,>(list: T[], v: T, on: boolean) => (on ? [...list, v] : list.filter((x) => x !== v))
  const save = async (e: Event) => {
    e.preventDefault()
    const body: Record<string, unknown> = {
      name: name.trim(),
      frequency,
      time,
      sections,
      destination_ids: targets,
      attach_csv: attachCsv,
      enabled
    }
    if (frequency === 'weekly') body.days = [...days].sort((a, b) => a - b)
    if (frequency === 'monthly') body.day_of_month = dayOfMonth === 'last' ? 'last' : Number(dayOfMonth)
    try {
      if (report) await put(`/api/v1/notifications/scheduled-reports/${report.id}`, body)
      else await post('/api/v1/notifications/scheduled-reports', body)
      onClose(true)
    } catch (err) {
      setError(asFailure(err))
    }
  }
  return (
    <Modal title={report ? `Edit ${report.name}` : 'Add Schedule'} onClose={() => onClose(false)} wide>
      <form onSubmit={save}>
        <ErrorNote error={error} />
        <Field label="Name">
          <input value={name} onInput={(e) => setName(e.currentTarget.value)} required maxLength={100} />
        </Field>
        <fieldset class="checks">
          <legend>Destinations</legend>
          {destinations.map((d) => (
            <label class="check">
              <input
                type="checkbox"
                checked={targets.includes(d.id)}
                onChange={(e) => setTargets(toggle(targets, d.id, e.currentTarget.checked))}
              />{' '}
              {d.display_name}
            </label>
          ))}
        </fieldset>
        <Field label="Frequency">
          <select value={frequency} onChange={(e) => setFrequency(e.currentTarget.value as ScheduledReport['frequency'])}>
            <option value="daily">Daily</option>
            <option value="weekdays">Weekdays</option>
            <option value="weekly">Weekly</option>
            <option value="monthly">Monthly</option>
          </select>
        </Field>
        {frequency === 'weekly' && (
          <fieldset class="checks checks-inline">
            <legend>Days</legend>
            {DAY_NAMES.map((d, i) => (
              <label class="check">
                <input type="checkbox" checked={days.includes(i)} onChange={(e) => setDays(toggle(days, i, e.currentTarget.checked))} /> {d}
              </label>
            ))}
          </fieldset>
        )}
        {frequency === 'monthly' && (
          <Field label="Day of month" hint="Months without that day are skipped; pick “Last day” for month ends.">
            <select value={dayOfMonth} onChange={(e) => setDayOfMonth(e.currentTarget.value)}>
              {Array.from({ length: 31 }, (_, i) => String(i + 1)).map((d) => (
                <option value={d}>{d}</option>
              ))}
              <option value="last">Last day</option>
            </select>
          </Field>
        )}
        <Field label="Delivery time (server time zone)">
          <input type="time" value={time} onInput={(e) => setTime(e.currentTarget.value)} required />
        </Field>
        <fieldset class="checks">
          <legend>Sections</legend>
          {REPORT_SECTIONS.map(([k, label]) => (
            <label class="check">
              <input
                type="checkbox"
                checked={sections.includes(k)}
                onChange={(e) => setSections(toggle(sections, k, e.currentTarget.checked))}
              />{' '}
              {label}
            </label>
          ))}
        </fieldset>
        <label class="check">
          <input type="checkbox" checked={attachCsv} onChange={(e) => setAttachCsv(e.currentTarget.checked)} /> Attach the figures as a CSV
          file
        </label>
        <label class="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} /> Enabled
        </label>
        <div class="actions">
          <button type="button" class="button" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button
            type="submit"
            class="button button-primary"
            disabled={targets.length === 0 || sections.length === 0 || (frequency === 'weekly' && days.length === 0)}
          >
            Save
          </button>
        </div>
      </form>
    </Modal>
  )
}
