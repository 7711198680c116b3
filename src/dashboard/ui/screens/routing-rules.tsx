// Routing Rules: which events, from which severity and which host groups, go to a destination.
import { useState } from 'preact/hooks'
import { del, post, put } from '../api'
import { asFailure, useApi } from '../use-api'
import { EmptyState, ErrorNote, Loaded } from '../components/feedback'
import { Badge, Field } from '../components/controls'
import { Modal, useConfirm } from '../components/dialogs'
import type { HostGroup } from '../host-types'
import { EVENT_TYPES, SEVERITIES, type Destination, type RoutingRule } from '../notification-types'
import { eventLabel } from '../human-format'

const STARTER = EVENT_TYPES.slice(0, 6).map(([k]) => k)

export function RoutingRules({ destinations }: { destinations: Destination[] }) {
  const rules = useApi<RoutingRule[]>('/api/v1/notifications/routes')
  const groups = useApi<HostGroup[]>('/api/v1/host-groups')
  const [editing, setEditing] = useState<RoutingRule | 'new' | null>(null)
  const [error, setError] = useState<Error | undefined>()
  const [confirmDialog, ask] = useConfirm()
  const groupList = groups.data ?? []
  const nameOf = (r: RoutingRule) =>
    r.destination_name ?? destinations.find((d) => d.id === r.destination_id)?.display_name ?? 'deleted destination'

  const remove = async (r: RoutingRule) => {
    if (!(await ask('Delete rule?', `Stop sending these events to ${nameOf(r)}?`))) return
    try {
      await del(`/api/v1/notifications/routes/${r.id}`)
      rules.reload()
    } catch (err) {
      setError(asFailure(err))
    }
  }

  return (
    <section class="panel">
      <div class="panel-head">
        <h2>Routing Rules</h2>
        <button type="button" class="button button-primary" disabled={destinations.length === 0} onClick={() => setEditing('new')}>
          Add Rule
        </button>
      </div>
      <ErrorNote error={error} />
      <Loaded resource={rules} label="Loading rules…">
        {(data) => {
          const list = data
          if (list.length === 0)
            return (
              <EmptyState title="No routing rules yet">
                {destinations.length
                  ? 'Click Add Rule, pick a destination and the events to send.'
                  : 'Add a destination first, then a rule that sends events to it.'}
              </EmptyState>
            )
          return (
            <ul class="rows">
              {list.map((r) => (
                <li class="row">
                  <div>
                    <strong>{nameOf(r)}</strong> ← {r.event_types.includes('*') ? 'all events' : r.event_types.map(eventLabel).join(', ')}{' '}
                    <span class="muted">
                      from {r.min_severity}
                      {r.host_group_ids.length
                        ? ` · groups: ${r.host_group_ids.map((id) => groupList.find((g) => g.id === id)?.name ?? id).join(', ')}`
                        : ''}
                    </span>{' '}
                    {!r.enabled && <Badge kind="muted">disabled</Badge>}
                  </div>
                  <div class="row-actions">
                    <button type="button" class="button button-small" onClick={() => setEditing(r)}>
                      Edit
                    </button>
                    <button type="button" class="button button-small button-danger" onClick={() => void remove(r)}>
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
        <RuleForm
          rule={editing === 'new' ? null : editing}
          destinations={destinations}
          groups={groupList}
          onClose={(saved) => {
            setEditing(null)
            if (saved) rules.reload()
          }}
        />
      )}
      {confirmDialog}
    </section>
  )
}

function RuleForm({
  rule,
  destinations,
  groups,
  onClose
}: {
  rule: RoutingRule | null
  destinations: Destination[]
  groups: HostGroup[]
  onClose: (saved: boolean) => void
}) {
  const [destinationId, setDestinationId] = useState(rule?.destination_id ?? destinations[0]?.id ?? '')
  const [events, setEvents] = useState<string[]>(rule?.event_types ?? STARTER)
  const [severity, setSeverity] = useState(rule?.min_severity ?? 'informational')
  const [groupIds, setGroupIds] = useState<string[]>(rule?.host_group_ids ?? [])
  const [enabled, setEnabled] = useState(rule?.enabled ?? true)
  const [error, setError] = useState<Error | undefined>()
  const toggle = (list: string[], value: string, on: boolean) => (on ? [...list, value] : list.filter((v) => v !== value))
  const save = async (e: Event) => {
    e.preventDefault()
    const body = { destination_id: destinationId, event_types: events, min_severity: severity, host_group_ids: groupIds, enabled }
    try {
      if (rule) await put(`/api/v1/notifications/routes/${rule.id}`, body)
      else await post('/api/v1/notifications/routes', body)
      onClose(true)
    } catch (err) {
      setError(asFailure(err))
    }
  }
  return (
    <Modal title={rule ? 'Edit rule' : 'Add Rule'} onClose={() => onClose(false)} wide>
      <form onSubmit={save}>
        <ErrorNote error={error} />
        <Field label="Destination">
          <select name="destination_id" value={destinationId} onChange={(e) => setDestinationId(e.currentTarget.value)} required>
            {destinations.map((d) => (
              <option value={d.id}>{d.display_name}</option>
            ))}
          </select>
        </Field>
        <fieldset class="checks checks-columns">
          <legend>Events</legend>
          {EVENT_TYPES.map(([key, label]) => (
            <label class="check">
              <input
                type="checkbox"
                name={`event-${key}`}
                checked={events.includes(key)}
                onChange={(e) => setEvents(toggle(events, key, e.currentTarget.checked))}
              />{' '}
              {label}
            </label>
          ))}
        </fieldset>
        <Field label="Minimum severity">
          <select name="min_severity" value={severity} onChange={(e) => setSeverity(e.currentTarget.value)}>
            {SEVERITIES.map((s) => (
              <option value={s}>{s}</option>
            ))}
          </select>
        </Field>
        {groups.length > 0 && (
          <fieldset class="checks">
            <legend>Only hosts in these groups (none ticked: every host)</legend>
            {groups.map((g) => (
              <label class="check">
                <input
                  type="checkbox"
                  checked={groupIds.includes(g.id)}
                  onChange={(e) => setGroupIds(toggle(groupIds, g.id, e.currentTarget.checked))}
                />{' '}
                {g.name}
              </label>
            ))}
          </fieldset>
        )}
        <label class="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} /> Enabled
        </label>
        <div class="actions">
          <button type="button" class="button" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="submit" class="button button-primary" disabled={events.length === 0 || !destinationId}>
            Save rule
          </button>
        </div>
      </form>
    </Modal>
  )
}
