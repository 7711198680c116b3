// Recurring patch schedules per host or host group: when (day/time picker or cron, server time
// zone), what (security updates, all, or a package list), the reboot choice, and a notice through
// the notification routes N minutes before. Listed with their next run and last result.
import { useState } from 'preact/hooks'
import { del, post, put } from '../api'
import { asFailure, useApi } from '../use-api'
import { EmptyState, ErrorNote, Loaded, Notice } from '../components/feedback'
import { Badge, Field, formatDate } from '../components/controls'
import { Modal, useConfirm } from '../components/dialogs'
import { DEFAULT_WHEN, WhenPicker, whenBody, whenIsComplete, type When } from '../components/when-picker'
import { TargetPicker, useTargets, type TargetType, type Targets } from '../components/target-picker'
import { useSession } from '../session'
import type { ScheduleBody, Schedule } from '../patching-types'

const SCOPE_TEXT: Record<Schedule['scope'], string> = { security: 'security updates', all: 'all updates', packages: 'listed packages' }
const REBOOT_TEXT: Record<Schedule['reboot'], string> = {
  never: 'no reboot',
  after: 'reboot after',
  if_required: 'reboot if required',
  window_end: 'reboot at window end'
}

export function PatchSchedules() {
  const schedules = useApi<{ schedules: Schedule[] }>('/api/v1/patching/schedules')
  const targets = useTargets()
  const canManage = useSession().can('can_manage_patching')
  const [adding, setAdding] = useState(false)
  const [error, setError] = useState<Error | undefined>()
  const [confirmDialog, ask] = useConfirm()
  const act = async (action: () => Promise<unknown>) => {
    setError(undefined)
    try {
      await action()
    } catch (err) {
      setError(asFailure(err))
    }
    schedules.reload()
  }
  return (
    <section aria-labelledby="schedules-heading">
      <div class="panel-head">
        <h2 id="schedules-heading">Schedules</h2>
        {canManage && (
          <button type="button" class="button button-primary" onClick={() => setAdding(true)}>
            New schedule
          </button>
        )}
      </div>
      <ErrorNote error={error} />
      <Loaded resource={schedules} label="Loading schedules…">
        {(data) =>
          data.schedules.length === 0 ? (
            <EmptyState title="No patch schedules">
              A schedule patches a host or a whole group on a recurring day and time, for example security updates every Sunday at 03:00.
            </EmptyState>
          ) : (
            <ul class="rows" aria-label="Patch schedules">
              {data.schedules.map((s) => (
                <li class="row">
                  <div>
                    <strong>{s.name}</strong> <span class="muted">· {targets.nameOf(s.target_type, s.target_id)}</span>{' '}
                    {!s.enabled && <Badge kind="muted">paused</Badge>}
                    <div class="small muted">
                      <span class="mono">{s.cron}</span> ({s.timezone}) · {SCOPE_TEXT[s.scope]}
                      {s.scope === 'packages' ? `: ${s.package_names.join(', ')}` : ''} · {REBOOT_TEXT[s.reboot]}
                      {s.notice_minutes ? ` · notice ${s.notice_minutes} min before` : ''}
                      {s.require_pre_patch_hook ? ' · pre-patch hook must pass' : ''}
                    </div>
                    <div class="small">
                      Next {formatDate(s.next_run_at)}
                      {s.last_run_at ? ` · last ${formatDate(s.last_run_at)}${s.last_result ? `: ${s.last_result}` : ''}` : ''}
                    </div>
                  </div>
                  {canManage && (
                    <div class="row-actions">
                      <button
                        type="button"
                        class="button button-small"
                        onClick={() => void act(() => put(`/api/v1/patching/schedules/${s.id}`, { enabled: !s.enabled }))}
                      >
                        {s.enabled ? 'Pause' : 'Resume'}
                      </button>
                      <button
                        type="button"
                        class="button button-small button-danger"
                        aria-label={`Delete schedule ${s.name}`}
                        onClick={() =>
                          void (async () => {
                            if (await ask('Delete schedule?', `Delete "${s.name}"? Runs it already started are kept.`))
                              await act(() => del(`/api/v1/patching/schedules/${s.id}`))
                          })()
                        }
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
        <ScheduleForm
          targets={targets}
          onClose={(saved) => {
            setAdding(false)
            if (saved) schedules.reload()
          }}
        />
      )}
      {confirmDialog}
    </section>
  )
}

function ScheduleForm({ targets, onClose }: { targets: Targets; onClose: (saved: boolean) => void }) {
  const [name, setName] = useState('Weekly security updates')
  const [target, setTarget] = useState<{ type: TargetType; id: string }>({ type: 'host_group', id: '' })
  const [when, setWhen] = useState<When>(DEFAULT_WHEN)
  const [scope, setScope] = useState<Schedule['scope']>('security')
  const [names, setNames] = useState('')
  const [reboot, setReboot] = useState<Schedule['reboot']>('never')
  const [notice, setNotice] = useState('30')
  const [requireHook, setRequireHook] = useState(false)
  const [error, setError] = useState<Error | undefined>()
  const save = async (e: Event) => {
    e.preventDefault()
    const body: ScheduleBody = {
      name: name.trim(),
      target_type: target.type,
      target_id: target.id,
      ...whenBody(when),
      scope,
      ...(scope === 'packages' ? { package_names: names.split(/[\s,]+/).filter(Boolean) } : {}),
      reboot,
      notice_minutes: Number(notice) || 0,
      ...(requireHook ? { require_pre_patch_hook: true } : {})
    }
    try {
      await post('/api/v1/patching/schedules', body)
      onClose(true)
    } catch (err) {
      setError(asFailure(err))
    }
  }
  return (
    <Modal title="New patch schedule" onClose={() => onClose(false)} wide>
      <form onSubmit={(e) => void save(e)}>
        <ErrorNote error={error} />
        <Field label="Name">
          <input value={name} onInput={(e) => setName(e.currentTarget.value)} required maxLength={100} />
        </Field>
        <TargetPicker targets={targets} type={target.type} id={target.id} onChange={(type, id) => setTarget({ type, id })} />
        <WhenPicker value={when} onChange={setWhen} timeLabel="Start time (server time zone)" />
        <Field label="What to update">
          <select value={scope} onChange={(e) => setScope(e.currentTarget.value as Schedule['scope'])}>
            <option value="security">Security updates only</option>
            <option value="all">All updates</option>
            <option value="packages">These packages</option>
          </select>
        </Field>
        {scope === 'packages' && (
          <Field label="Package names" hint="Separated by spaces, commas or lines; up to 100.">
            <textarea rows={3} value={names} onInput={(e) => setNames(e.currentTarget.value)} required />
          </Field>
        )}
        <Field label="Reboot">
          <select value={reboot} onChange={(e) => setReboot(e.currentTarget.value as Schedule['reboot'])}>
            <option value="never">Never</option>
            <option value="if_required">If the host reports a reboot is required</option>
            <option value="after">Always, after patching</option>
            <option value="window_end">At the end of the maintenance window</option>
          </select>
        </Field>
        <Field label="Notice before (minutes)" hint="Sends “patch window upcoming” through your alert routes; 0 sends none.">
          <input type="number" min={0} max={10080} value={notice} onInput={(e) => setNotice(e.currentTarget.value)} />
        </Field>
        <label class="check">
          <input type="checkbox" checked={requireHook} onChange={(e) => setRequireHook(e.currentTarget.checked)} />
          Require the host's pre-patch hook (/etc/patchmon/pre-patch, e.g. a backup) to pass; hosts without it are not patched
        </label>
        <Notice kind="info">Holds apply to scheduled runs too, and a maintenance window keeps them inside its hours.</Notice>
        <div class="actions">
          <button type="button" class="button" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="submit" class="button button-primary" disabled={!target.id || !whenIsComplete(when)}>
            Save schedule
          </button>
        </div>
      </form>
    </Modal>
  )
}
