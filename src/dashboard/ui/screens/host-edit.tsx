// Rename a host or edit its notes (PATCH /api/v1/hosts/:id).
import { useState } from 'preact/hooks'
import { patch } from '../api'
import { asFailure } from '../use-api'
import { Modal } from '../components/dialogs'
import { ErrorNote } from '../components/feedback'
import { Field } from '../components/controls'

export function HostEditDialog({
  hostId,
  name,
  notes,
  onClose
}: {
  hostId: string
  name: string
  notes: string | null
  onClose: (saved: boolean) => void
}) {
  const [friendlyName, setFriendlyName] = useState(name)
  const [text, setText] = useState(notes ?? '')
  const [error, setError] = useState<Error | undefined>()
  const save = async (e: Event) => {
    e.preventDefault()
    try {
      await patch(`/api/v1/hosts/${encodeURIComponent(hostId)}`, { friendly_name: friendlyName.trim(), notes: text.trim() || null })
      onClose(true)
    } catch (err) {
      setError(asFailure(err))
    }
  }
  return (
    <Modal title={`Edit ${name}`} onClose={() => onClose(false)}>
      <form onSubmit={save}>
        <ErrorNote error={error} />
        <Field label="Friendly name">
          <input value={friendlyName} onInput={(e) => setFriendlyName(e.currentTarget.value)} required maxLength={255} autoFocus />
        </Field>
        <Field label="Notes">
          <textarea rows={5} value={text} onInput={(e) => setText(e.currentTarget.value)} maxLength={10_000} />
        </Field>
        <div class="actions">
          <button type="button" class="button" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="submit" class="button button-primary">
            Save
          </button>
        </div>
      </form>
    </Modal>
  )
}
