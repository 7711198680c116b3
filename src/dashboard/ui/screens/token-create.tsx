// "New Token" / "New API Key": the form per integration type, then the success window that shows
// the secret once, with Copy buttons for the secret, the gethomepage YAML ("Copy Config"), the
// enrollment one-liners and the API examples.
import { useState } from 'preact/hooks'
import { post } from '../api'
import { asFailure, useApi } from '../use-api'
import { Modal } from '../components/dialogs'
import { CopyBlock } from '../components/copy'
import { ErrorNote, Notice } from '../components/feedback'
import { Field } from '../components/controls'
import type { HostGroup } from '../host-types'
import {
  TYPE_LABELS,
  ansibleInventory,
  apiCurlExample,
  basicCredentials,
  enrollmentOneLiner,
  gethomepageYaml,
  type IntegrationType
} from '../integration-snippets'
import { scopeText, type CreatedToken } from '../token-types'
import type { ServerAddress } from '../server-url'
import { LoopbackWarning } from '../components/loopback-warning'

/** `resource:action` keys the checkboxes offer; the body groups them into `{ resource: [actions] }`. */
const SCOPE_CHOICES: Array<[string, string]> = [
  ['host:get', 'host:get — read hosts, packages, stats'],
  ['host:delete', 'host:delete — delete hosts'],
  ['patching:get', 'patching:get — read patch runs'],
  ['audit:get', 'audit:get — read the audit log']
]

function scopeMap(keys: string[]): Record<string, string[]> {
  const map: Record<string, string[]> = {}
  for (const key of keys) {
    const [resource = '', action = ''] = key.split(':')
    ;(map[resource] ??= []).push(action)
  }
  return map
}

export function TokenCreateDialog({
  fixedType,
  server,
  onClose
}: {
  fixedType: IntegrationType | undefined
  server: ServerAddress
  onClose: () => void
}) {
  const groups = useApi<HostGroup[]>('/api/v1/host-groups')
  const [type, setType] = useState<IntegrationType>(fixedType ?? 'proxmox-lxc')
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<string[]>(['host:get'])
  const [maxPerDay, setMaxPerDay] = useState('100')
  const [groupId, setGroupId] = useState('')
  const [ipRanges, setIpRanges] = useState('')
  const [expires, setExpires] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<Error | undefined>()
  const [created, setCreated] = useState<{ reply: CreatedToken; type: IntegrationType } | null>(null)
  const enrollment = type === 'proxmox-lxc' || type === 'direct-host'

  const submit = async (e: Event) => {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    const body: Record<string, unknown> = {
      token_name: name.trim(),
      allowed_ip_ranges: ipRanges
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      expires_at: expires || null,
      metadata: { integration_type: type }
    }
    if (enrollment) body.max_hosts_per_day = Number(maxPerDay)
    if (type !== 'gethomepage' && groupId) body.default_host_group_id = groupId
    if (type === 'api') body.scopes = scopeMap(scopes)
    try {
      setCreated({ reply: await post<CreatedToken>('/api/v1/auto-enrollment/tokens', body), type })
    } catch (err) {
      setError(asFailure(err))
    } finally {
      setBusy(false)
    }
  }

  if (created) return <TokenCreated reply={created.reply} type={created.type} server={server} onClose={onClose} />

  return (
    <Modal title={fixedType === 'gethomepage' ? 'New GetHomepage API key' : 'New token'} onClose={onClose}>
      <form onSubmit={submit}>
        <ErrorNote error={error} />
        {!fixedType && (
          <Field label="Usage type">
            <select name="type" value={type} onChange={(e) => setType(e.currentTarget.value as IntegrationType)}>
              {(['proxmox-lxc', 'direct-host', 'api'] as const).map((t) => (
                <option value={t}>{TYPE_LABELS[t]}</option>
              ))}
            </select>
          </Field>
        )}
        <Field label="Token name">
          <input
            name="token_name"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            required
            maxLength={255}
            autoFocus
            placeholder={type === 'gethomepage' ? 'GetHomepage dashboard' : type === 'api' ? 'Ansible inventory' : 'Proxmox Production'}
          />
        </Field>
        {type === 'api' && (
          <fieldset class="checks">
            <legend>Scopes (at least one)</legend>
            {SCOPE_CHOICES.map(([action, label]) => (
              <label class="check">
                <input
                  type="checkbox"
                  name={`scope-${action.replace(':', '-')}`}
                  checked={scopes.includes(action)}
                  onChange={(e) => setScopes(e.currentTarget.checked ? [...scopes, action] : scopes.filter((s) => s !== action))}
                />
                {label}
              </label>
            ))}
          </fieldset>
        )}
        {enrollment && (
          <Field label="Max hosts per day" hint="1–1000; enrollments beyond it are refused until midnight.">
            <input
              name="max_hosts_per_day"
              type="number"
              min={1}
              max={1000}
              value={maxPerDay}
              onInput={(e) => setMaxPerDay(e.currentTarget.value)}
              required
            />
          </Field>
        )}
        {type !== 'gethomepage' && (
          <Field label="Default host group" hint={enrollment ? 'Enrolled hosts join this group.' : 'Optional.'}>
            <select name="default_host_group_id" value={groupId} onChange={(e) => setGroupId(e.currentTarget.value)}>
              <option value="">None</option>
              {(groups.data ?? []).map((g) => (
                <option value={g.id}>{g.name}</option>
              ))}
            </select>
          </Field>
        )}
        <Field
          label="Allowed IP addresses"
          hint="Optional. Comma-separated IPs or CIDR ranges, e.g. 192.168.1.10, 10.0.0.0/24. Empty allows any address."
        >
          <input name="allowed_ip_ranges" value={ipRanges} onInput={(e) => setIpRanges(e.currentTarget.value)} />
        </Field>
        <Field label="Expiration date" hint="Optional.">
          <input name="expires_at" type="datetime-local" value={expires} onInput={(e) => setExpires(e.currentTarget.value)} />
        </Field>
        <div class="actions">
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button button-primary" disabled={busy || (type === 'api' && scopes.length === 0)}>
            {busy ? 'Creating…' : 'Create Token'}
          </button>
        </div>
      </form>
    </Modal>
  )
}

function TokenCreated({
  reply,
  type,
  server,
  onClose
}: {
  reply: CreatedToken
  type: IntegrationType
  server: ServerAddress
  onClose: () => void
}) {
  const serverUrl = server.url
  const { token_key: key, token_secret: secret } = reply.token
  return (
    <Modal title={`${reply.token.token_name} created`} onClose={onClose} wide>
      {/* The server's `warning` names the raw field (token_secret); people get the same advice in words. */}
      <Notice kind="warn">
        Save the token secret now: it cannot be retrieved later, and it is never shown again after you close this window.
      </Notice>
      <LoopbackWarning url={serverUrl} />
      <CopyBlock label="Token Key" value={key} />
      <CopyBlock label="Token Secret" value={secret} />
      {type === 'gethomepage' && (
        <>
          <CopyBlock label="Base64-encoded credentials (Authorization: Basic …)" value={basicCredentials(key, secret)} />
          <CopyBlock
            label="Complete widget configuration (services.yaml)"
            value={reply.gethomepage_config ?? gethomepageYaml(serverUrl, key, secret)}
            copyLabel="Copy Config"
          />
        </>
      )}
      {(type === 'proxmox-lxc' || type === 'direct-host') && (
        <CopyBlock
          label={type === 'proxmox-lxc' ? 'Run on the Proxmox host (enrolls every running LXC)' : 'Run on the host to enroll it'}
          value={enrollmentOneLiner(server, type, key, secret)}
        />
      )}
      {type === 'api' && (
        <>
          <p>
            Granted scopes: <strong>{scopeText(reply.token.scopes)}</strong>
          </p>
          <CopyBlock label="Try it with curl" value={apiCurlExample(serverUrl, key, secret)} />
          <CopyBlock label="Ansible inventory (patchmon_inventory.yml)" value={ansibleInventory(serverUrl, key, secret)} />
        </>
      )}
      <div class="actions">
        <button type="button" class="button button-primary" onClick={onClose}>
          I saved the secret
        </button>
      </div>
    </Modal>
  )
}
