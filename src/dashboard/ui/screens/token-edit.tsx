// "Edit Token": name, daily cap, default group, IP ranges, expiry and (API tokens) scopes. The
// type and the secret cannot change; a lost secret means a new token.
import { useState } from 'preact/hooks'
import { patch } from '../api'
import { asFailure, useApi } from '../use-api'
import { Modal } from '../components/dialogs'
import { ErrorNote } from '../components/feedback'
import { Field } from '../components/controls'
import type { HostGroup } from '../host-types'
import { typeOf, type TokenItem } from '../token-types'

/** The datetime-local form of an ISO time, in the browser's zone. */
function localInput(iso: string | null): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16)
}

export function TokenEditDialog({ token, onClose }: { token: TokenItem; onClose: (saved: boolean) => void }) {
  const type = typeOf(token)
  const enrollment = type === 'proxmox-lxc' || type === 'direct-host'
  const groups = useApi<HostGroup[]>('/api/v1/host-groups')
  const [name, setName] = useState(token.token_name)
  const [maxPerDay, setMaxPerDay] = useState(String(token.max_hosts_per_day))
  const [groupId, setGroupId] = useState(token.default_host_group_id ?? '')
  const [ipRanges, setIpRanges] = useState(token.allowed_ip_ranges.join(', '))
  const [expires, setExpires] = useState(localInput(token.expires_at))
  const [scopes, setScopes] = useState<string[]>(token.scopes?.host ?? [])
  const [error, setError] = useState<Error | undefined>()

  const save = async (e: Event) => {
    e.preventDefault()
    const body: Record<string, unknown> = {
      token_name: name.trim(),
      allowed_ip_ranges: ipRanges
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      // The browser's local time, sent with its offset so the server stores the moment meant.
      expires_at: expires ? new Date(expires).toISOString() : null
    }
    if (enrollment) body.max_hosts_per_day = Number(maxPerDay)
    if (type !== 'gethomepage') body.default_host_group_id = groupId
    if (type === 'api') body.scopes = { host: scopes }
    try {
      await patch(`/api/v1/auto-enrollment/tokens/${token.id}`, body)
      onClose(true)
    } catch (err) {
      setError(asFailure(err))
    }
  }

  return (
    <Modal title={`Edit ${token.token_name}`} onClose={() => onClose(false)}>
      <form onSubmit={save}>
        <ErrorNote error={error} />
        <Field label="Token name">
          <input value={name} onInput={(e) => setName(e.currentTarget.value)} required maxLength={255} autoFocus />
        </Field>
        {type === 'api' && (
          <fieldset class="checks">
            <legend>Scopes</legend>
            {(['get', 'delete'] as const).map((action) => (
              <label class="check">
                <input
                  type="checkbox"
                  checked={scopes.includes(action)}
                  onChange={(e) => setScopes(e.currentTarget.checked ? [...scopes, action] : scopes.filter((s) => s !== action))}
                />{' '}
                host:{action}
              </label>
            ))}
          </fieldset>
        )}
        {enrollment && (
          <Field label="Max hosts per day" hint="1–1000.">
            <input type="number" min={1} max={1000} value={maxPerDay} onInput={(e) => setMaxPerDay(e.currentTarget.value)} required />
          </Field>
        )}
        {type !== 'gethomepage' && (
          <Field label="Default host group">
            <select value={groupId} onChange={(e) => setGroupId(e.currentTarget.value)}>
              <option value="">None</option>
              {(groups.data ?? []).map((g) => (
                <option value={g.id}>{g.name}</option>
              ))}
            </select>
          </Field>
        )}
        <Field label="Allowed IP addresses" hint="Comma-separated IPs or CIDR ranges; empty allows any address.">
          <input value={ipRanges} onInput={(e) => setIpRanges(e.currentTarget.value)} />
        </Field>
        <Field label="Expiration date" hint="Empty: never expires.">
          <input type="datetime-local" value={expires} onInput={(e) => setExpires(e.currentTarget.value)} />
        </Field>
        <div class="actions">
          <button type="button" class="button" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="submit" class="button button-primary" disabled={type === 'api' && scopes.length === 0}>
            Save
          </button>
        </div>
      </form>
    </Modal>
  )
}
