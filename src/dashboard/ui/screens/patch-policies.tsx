// Policies (upstream's word): when a run someone starts actually begins — at once, N minutes later,
// or at the next HH:MM in the server's time zone — assigned to hosts or host groups (one policy per
// target), with hosts excluded from a group's policy. Recurring patching is Schedules, not this.
import { useState } from 'preact/hooks'
import { del, post } from '../api'
import { asFailure, useApi } from '../use-api'
import { EmptyState, ErrorNote, Loaded } from '../components/feedback'
import { Field } from '../components/controls'
import { Modal, useConfirm } from '../components/dialogs'
import { TargetPicker, useTargets, type TargetType, type Targets } from '../components/target-picker'
import { useSession } from '../session'
import type { Policy, PolicyDetail, PolicyListItem } from '../patching-types'

function timing(p: Policy): string {
  if (p.patch_delay_type === 'delayed') return `${p.delay_minutes ?? 0} minutes after it is asked for`
  if (p.patch_delay_type === 'fixed_time') return `at the next ${p.fixed_time_utc ?? '?'} (server time zone)`
  return 'at once'
}

export function PatchPolicies() {
  const policies = useApi<PolicyListItem[]>('/api/v1/patching/policies')
  const targets = useTargets()
  const canManage = useSession().can('can_manage_patching')
  const [adding, setAdding] = useState(false)
  const [managing, setManaging] = useState<Policy | null>(null)
  const [error, setError] = useState<Error | undefined>()
  const [confirmDialog, ask] = useConfirm()
  const remove = async (p: Policy) => {
    if (!(await ask('Delete policy?', `Delete "${p.name}"? Its hosts and groups start runs at once again.`))) return
    setError(undefined)
    try {
      await del(`/api/v1/patching/policies/${p.id}`)
    } catch (err) {
      setError(asFailure(err))
    }
    policies.reload()
  }
  return (
    <section aria-labelledby="policies-heading">
      <div class="panel-head">
        <h2 id="policies-heading">Policies</h2>
        {canManage && (
          <button type="button" class="button button-primary" onClick={() => setAdding(true)}>
            New policy
          </button>
        )}
      </div>
      <p class="muted small">A policy delays the runs people start on its hosts. For recurring patching use Schedules.</p>
      <ErrorNote error={error} />
      <Loaded resource={policies} label="Loading policies…">
        {(list) =>
          list.length === 0 ? (
            <EmptyState title="No policies">Without one, a run starts as soon as the agent picks it up.</EmptyState>
          ) : (
            <ul class="rows" aria-label="Policies">
              {list.map((p) => (
                <li class="row">
                  <div>
                    <strong>{p.name}</strong> <span class="muted">· runs start {timing(p)}</span>
                    <div class="small muted">
                      {p._count.assignments} assigned · {p._count.exclusions} excluded{p.description ? ` · ${p.description}` : ''}
                    </div>
                  </div>
                  {canManage && (
                    <div class="row-actions">
                      <button type="button" class="button button-small" onClick={() => setManaging(p)}>
                        Hosts and groups…
                      </button>
                      <button
                        type="button"
                        class="button button-small button-danger"
                        aria-label={`Delete policy ${p.name}`}
                        onClick={() => void remove(p)}
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
        <PolicyForm
          onClose={(saved) => {
            setAdding(false)
            if (saved) policies.reload()
          }}
        />
      )}
      {managing && (
        <PolicyTargets
          policy={managing}
          targets={targets}
          onClose={() => {
            setManaging(null)
            policies.reload()
          }}
        />
      )}
      {confirmDialog}
    </section>
  )
}

function PolicyForm({ onClose }: { onClose: (saved: boolean) => void }) {
  const [name, setName] = useState('')
  const [type, setType] = useState<'immediate' | 'delayed' | 'fixed_time'>('delayed')
  const [minutes, setMinutes] = useState('60')
  const [time, setTime] = useState('22:00')
  const [error, setError] = useState<Error | undefined>()
  const save = async (e: Event) => {
    e.preventDefault()
    try {
      await post('/api/v1/patching/policies', {
        name: name.trim(),
        patch_delay_type: type,
        ...(type === 'delayed' ? { delay_minutes: Number(minutes) } : {}),
        ...(type === 'fixed_time' ? { fixed_time_utc: time } : {})
      })
      onClose(true)
    } catch (err) {
      setError(asFailure(err))
    }
  }
  return (
    <Modal title="New policy" onClose={() => onClose(false)}>
      <form onSubmit={(e) => void save(e)}>
        <ErrorNote error={error} />
        <Field label="Name">
          <input value={name} onInput={(e) => setName(e.currentTarget.value)} required maxLength={100} />
        </Field>
        <Field label="Runs start">
          <select value={type} onChange={(e) => setType(e.currentTarget.value as typeof type)}>
            <option value="immediate">At once</option>
            <option value="delayed">After a delay</option>
            <option value="fixed_time">At a time of day</option>
          </select>
        </Field>
        {type === 'delayed' && (
          <Field label="Delay (minutes)">
            <input type="number" min={1} value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} required />
          </Field>
        )}
        {type === 'fixed_time' && (
          <Field label="Time (server time zone)">
            <input type="time" value={time} onInput={(e) => setTime(e.currentTarget.value)} required />
          </Field>
        )}
        <div class="actions">
          <button type="button" class="button" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="submit" class="button button-primary">
            Save policy
          </button>
        </div>
      </form>
    </Modal>
  )
}

function PolicyTargets({ policy, targets, onClose }: { policy: Policy; targets: Targets; onClose: () => void }) {
  const detail = useApi<PolicyDetail>(`/api/v1/patching/policies/${policy.id}`)
  const [target, setTarget] = useState<{ type: TargetType; id: string }>({ type: 'host_group', id: '' })
  const [excludeId, setExcludeId] = useState('')
  const [error, setError] = useState<Error | undefined>()
  const act = async (action: () => Promise<unknown>) => {
    setError(undefined)
    try {
      await action()
    } catch (err) {
      setError(asFailure(err))
    }
    detail.reload()
  }
  const base = `/api/v1/patching/policies/${policy.id}`
  return (
    <Modal title={`${policy.name}: hosts and groups`} onClose={onClose} wide>
      <ErrorNote error={error} />
      <Loaded resource={detail} label="Loading…">
        {(d) => (
          <>
            <h3>Assigned to</h3>
            {d.assignments.length === 0 ? (
              <p class="muted">Nothing yet.</p>
            ) : (
              <ul class="rows" aria-label="Assignments">
                {d.assignments.map((a) => (
                  <li class="row">
                    <span>{targets.nameOf(a.target_type === 'host' ? 'host' : 'host_group', a.target_id)}</span>
                    <button type="button" class="button button-small" onClick={() => void act(() => del(`${base}/assignments/${a.id}`))}>
                      Remove
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <form
              onSubmit={(e) => {
                e.preventDefault()
                void act(() => post(`${base}/assignments`, { target_type: target.type, target_id: target.id }))
              }}
            >
              <TargetPicker targets={targets} type={target.type} id={target.id} onChange={(type, id) => setTarget({ type, id })} />
              <button type="submit" class="button" disabled={!target.id}>
                Assign
              </button>
            </form>
            <h3>Excluded hosts (from the groups above)</h3>
            {d.exclusions.length === 0 ? (
              <p class="muted">None.</p>
            ) : (
              <ul class="rows" aria-label="Exclusions">
                {d.exclusions.map((x) => (
                  <li class="row">
                    <span>{x.hosts.friendly_name}</span>
                    <button
                      type="button"
                      class="button button-small"
                      onClick={() => void act(() => del(`${base}/exclusions/${x.host_id}`))}
                    >
                      Remove
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <form
              class="filters"
              onSubmit={(e) => {
                e.preventDefault()
                void act(() => post(`${base}/exclusions`, { host_id: excludeId }))
              }}
            >
              <Field label="Host to exclude">
                <select value={excludeId} onChange={(e) => setExcludeId(e.currentTarget.value)}>
                  <option value="">Choose…</option>
                  {targets.hosts.map((h) => (
                    <option value={h.id}>{h.friendly_name}</option>
                  ))}
                </select>
              </Field>
              <button type="submit" class="button" disabled={!excludeId}>
                Exclude
              </button>
            </form>
          </>
        )}
      </Loaded>
    </Modal>
  )
}
