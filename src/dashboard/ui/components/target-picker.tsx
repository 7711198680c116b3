// What a schedule, window or hold applies to: one host or one host group, picked from the lists;
// and the name a saved target shows with (a deleted host or group reads as such, one not loaded yet as "…").
import { Field } from './controls'
import type { HostGroup, HostSummary } from '../host-types'
import { useApi } from '../use-api'

export type TargetType = 'host' | 'host_group'

export interface Targets {
  hosts: HostSummary[]
  groups: HostGroup[]
  nameOf: (type: TargetType, id: string) => string
}

export function useTargets(): Targets {
  const hosts = useApi<{ hosts: HostSummary[] }>('/api/v1/hosts?limit=500&sort=name&order=asc')
  const groups = useApi<HostGroup[]>('/api/v1/host-groups')
  const list = { hosts: hosts.data?.hosts ?? [], groups: groups.data ?? [] }
  return {
    ...list,
    // Until its list has loaded a target is not yet known, not deleted: it reads as "…" meanwhile.
    nameOf: (type, id) =>
      type === 'host'
        ? hosts.data === undefined
          ? '…'
          : (list.hosts.find((h) => h.id === id)?.friendly_name ?? 'a deleted host')
        : groups.data === undefined
          ? 'group …'
          : `group ${list.groups.find((g) => g.id === id)?.name ?? '(deleted)'}`
  }
}

export function TargetPicker({
  targets,
  type,
  id,
  onChange
}: {
  targets: Targets
  type: TargetType
  id: string
  onChange: (type: TargetType, id: string) => void
}) {
  const options = type === 'host' ? targets.hosts.map((h) => [h.id, h.friendly_name]) : targets.groups.map((g) => [g.id, g.name])
  return (
    <div class="grid-2">
      <Field label="Applies to">
        <select value={type} onChange={(e) => onChange(e.currentTarget.value as TargetType, '')}>
          <option value="host">One host</option>
          <option value="host_group">A host group</option>
        </select>
      </Field>
      <Field label={type === 'host' ? 'Host' : 'Host group'}>
        <select value={id} onChange={(e) => onChange(type, e.currentTarget.value)} required>
          <option value="">Choose…</option>
          {options.map(([value, label]) => (
            <option value={value}>{label}</option>
          ))}
        </select>
      </Field>
    </div>
  )
}
