// Picks the groups of one host (PUT /api/v1/hosts/:id/groups).
import { useState } from 'preact/hooks'
import { put } from '../api'
import { asFailure, useApi } from '../use-api'
import { Modal } from '../components/dialogs'
import { ErrorNote, Loaded } from '../components/feedback'
import { Link } from '../router'
import type { HostGroup } from '../host-types'

export function HostGroupsEditor({ hostId, current, onClose }: { hostId: string; current: string[]; onClose: (changed: boolean) => void }) {
  const groups = useApi<HostGroup[]>('/api/v1/host-groups')
  const [chosen, setChosen] = useState(current)
  const [error, setError] = useState<Error | undefined>()
  const save = async (e: Event) => {
    e.preventDefault()
    try {
      await put(`/api/v1/hosts/${encodeURIComponent(hostId)}/groups`, { host_group_ids: chosen })
      onClose(true)
    } catch (err) {
      setError(asFailure(err))
    }
  }
  return (
    <Modal title="Host groups" onClose={() => onClose(false)}>
      <Loaded resource={groups}>
        {(list) =>
          list.length === 0 ? (
            <p>
              No groups yet. Create one under <Link href="/host-groups">Host groups</Link>.
            </p>
          ) : (
            <form onSubmit={save}>
              <ErrorNote error={error} />
              <fieldset class="checks">
                <legend>Member of</legend>
                {list.map((g) => (
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={chosen.includes(g.id)}
                      onChange={(e) => setChosen(e.currentTarget.checked ? [...chosen, g.id] : chosen.filter((x) => x !== g.id))}
                    />
                    {g.name}
                  </label>
                ))}
              </fieldset>
              <div class="actions">
                <button type="button" class="button" onClick={() => onClose(false)}>
                  Cancel
                </button>
                <button type="submit" class="button button-primary">
                  Save
                </button>
              </div>
            </form>
          )
        }
      </Loaded>
    </Modal>
  )
}
