// "Add host": names the host, picks its groups, then shows the agent credentials once with the
// install one-liner ready to copy.
import { useState } from 'preact/hooks'
import { post } from '../api'
import { asFailure } from '../use-api'
import { Modal } from '../components/dialogs'
import { CopyBlock } from '../components/copy'
import { ErrorNote, Notice } from '../components/feedback'
import { Field } from '../components/controls'
import { Link } from '../router'
import { useServerAddress } from '../server-url'
import { installOneLiner, type HostCredentials, type HostGroup } from '../host-types'
import { LoopbackWarning } from '../components/loopback-warning'

export function AddHostDialog({ groups, onClose }: { groups: HostGroup[]; onClose: () => void }) {
  const server = useServerAddress()
  const [name, setName] = useState('')
  const [chosen, setChosen] = useState<string[]>([])
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<Error | undefined>()
  const [created, setCreated] = useState<HostCredentials | null>(null)

  const submit = async (e: Event) => {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      setCreated(await post<HostCredentials>('/api/v1/hosts', { friendly_name: name.trim(), host_group_ids: chosen }))
    } catch (err) {
      setError(asFailure(err))
    } finally {
      setBusy(false)
    }
  }

  if (created) {
    return (
      <Modal title="Host added" onClose={onClose} wide>
        <Notice kind="warn">
          The API key is shown only this once. Copy the install command now; rotate the credentials from the host's page if you lose it.
        </Notice>
        <LoopbackWarning url={server.url} />
        <CopyBlock label="Install command (run as root on the host)" value={installOneLiner(server, created.api_id, created.api_key)} />
        <CopyBlock label="API ID" value={created.api_id} />
        <CopyBlock label="API key" value={created.api_key} />
        <div class="actions">
          <Link href={`/hosts/${created.id}`} class="button" onClick={onClose}>
            Open the host
          </Link>
          <button type="button" class="button button-primary" onClick={onClose}>
            Done
          </button>
        </div>
      </Modal>
    )
  }
  return (
    <Modal title="Add host" onClose={onClose}>
      <form onSubmit={submit}>
        <ErrorNote error={error} />
        <Field label="Friendly name" hint="How the host appears in PatchMon; the agent reports the real hostname.">
          <input name="friendly_name" value={name} onInput={(e) => setName(e.currentTarget.value)} required maxLength={255} autoFocus />
        </Field>
        {groups.length > 0 && (
          <fieldset class="checks">
            <legend>Host groups</legend>
            {groups.map((g) => (
              <label class="check">
                <input
                  type="checkbox"
                  checked={chosen.includes(g.id)}
                  onChange={(e) => setChosen(e.currentTarget.checked ? [...chosen, g.id] : chosen.filter((id) => id !== g.id))}
                />
                {g.name}
              </label>
            ))}
          </fieldset>
        )}
        <div class="actions">
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add host'}
          </button>
        </div>
      </form>
    </Modal>
  )
}
