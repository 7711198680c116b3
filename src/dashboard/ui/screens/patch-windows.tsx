// Maintenance windows per host or host group: when a window opens (day/time picker or cron) and
// how long it stays open. Runs outside every window of their host are refused or held until the
// next opening, which the list shows.
import { useState } from 'preact/hooks'
import { del, post } from '../api'
import { asFailure, useApi } from '../use-api'
import { EmptyState, ErrorNote, Loaded } from '../components/feedback'
import { Field, formatDate } from '../components/controls'
import { Modal, useConfirm } from '../components/dialogs'
import { DEFAULT_WHEN, WhenPicker, whenBody, whenIsComplete, type When } from '../components/when-picker'
import { TargetPicker, useTargets, type TargetType, type Targets } from '../components/target-picker'
import { useSession } from '../session'
import type { MaintenanceWindow, WindowBody, WindowList } from '../patching-types'

export function duration(minutes: number): string {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return [h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ') || '0 min'
}

export function PatchWindows() {
  const windows = useApi<WindowList>('/api/v1/patching/windows')
  const targets = useTargets()
  const canManage = useSession().can('can_manage_patching')
  const [adding, setAdding] = useState(false)
  const [error, setError] = useState<Error | undefined>()
  const [confirmDialog, ask] = useConfirm()
  const remove = async (w: MaintenanceWindow) => {
    if (
      !(await ask(
        'Delete window?',
        `Delete "${w.name}"? Hosts it covered may then be patched at any time unless another window covers them.`
      ))
    )
      return
    setError(undefined)
    try {
      await del(`/api/v1/patching/windows/${w.id}`)
    } catch (err) {
      setError(asFailure(err))
    }
    windows.reload()
  }
  return (
    <section aria-labelledby="windows-heading">
      <div class="panel-head">
        <h2 id="windows-heading">Maintenance windows</h2>
        {canManage && (
          <button type="button" class="button button-primary" onClick={() => setAdding(true)}>
            New window
          </button>
        )}
      </div>
      <ErrorNote error={error} />
      <Loaded resource={windows} label="Loading windows…">
        {(data) =>
          data.windows.length === 0 ? (
            <EmptyState title="No maintenance windows">
              Without a window a host may be patched at any time. With one, runs start only while it is open.
            </EmptyState>
          ) : (
            <ul class="rows" aria-label="Maintenance windows">
              {data.windows.map((w) => (
                <li class="row">
                  <div>
                    <strong>{w.name}</strong> <span class="muted">· {targets.nameOf(w.target_type, w.target_id)}</span>
                    <div class="small muted">
                      opens <span class="mono">{w.cron}</span> ({w.timezone}) for {duration(w.duration_minutes)}
                    </div>
                    <div class="small">Next opening {formatDate(w.next_opening_at)}</div>
                  </div>
                  {canManage && (
                    <div class="row-actions">
                      <button
                        type="button"
                        class="button button-small button-danger"
                        aria-label={`Delete window ${w.name}`}
                        onClick={() => void remove(w)}
                      >
                        Delete
                      </button>
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
      {adding && (
        <WindowForm
          targets={targets}
          onClose={(saved) => {
            setAdding(false)
            if (saved) windows.reload()
          }}
        />
      )}
      {confirmDialog}
    </section>
  )
}

function WindowForm({ targets, onClose }: { targets: Targets; onClose: (saved: boolean) => void }) {
  const [name, setName] = useState('Sunday night')
  const [target, setTarget] = useState<{ type: TargetType; id: string }>({ type: 'host_group', id: '' })
  const [when, setWhen] = useState<When>({ ...DEFAULT_WHEN, time: '02:00' })
  const [minutes, setMinutes] = useState('180')
  const [error, setError] = useState<Error | undefined>()
  const save = async (e: Event) => {
    e.preventDefault()
    const body: WindowBody = {
      name: name.trim(),
      target_type: target.type,
      target_id: target.id,
      ...whenBody(when),
      duration_minutes: Number(minutes)
    }
    try {
      await post('/api/v1/patching/windows', body)
      onClose(true)
    } catch (err) {
      setError(asFailure(err))
    }
  }
  return (
    <Modal title="New maintenance window" onClose={() => onClose(false)} wide>
      <form onSubmit={(e) => void save(e)}>
        <ErrorNote error={error} />
        <Field label="Name">
          <input value={name} onInput={(e) => setName(e.currentTarget.value)} required maxLength={100} />
        </Field>
        <TargetPicker targets={targets} type={target.type} id={target.id} onChange={(type, id) => setTarget({ type, id })} />
        <WhenPicker value={when} onChange={setWhen} timeLabel="Opens at (server time zone)" />
        <Field label="Open for (minutes)" hint="5 minutes to 7 days.">
          <input type="number" min={5} max={10080} value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} required />
        </Field>
        <div class="actions">
          <button type="button" class="button" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="submit" class="button button-primary" disabled={!target.id || !whenIsComplete(when)}>
            Save window
          </button>
        </div>
      </form>
    </Modal>
  )
}
