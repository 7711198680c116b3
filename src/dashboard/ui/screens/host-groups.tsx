// Host groups: create, rename, recolour, delete (hosts stay, they only leave the group).
import { useState } from 'preact/hooks'
import { del, post, put } from '../api'
import { asFailure, useApi } from '../use-api'
import { EmptyState, ErrorNote, Loaded } from '../components/feedback'
import { Field, PageHeader } from '../components/controls'
import { Modal, useConfirm } from '../components/dialogs'
import { Link } from '../router'
import { useSession } from '../session'
import type { HostGroup } from '../host-types'

export function HostGroups() {
  const groups = useApi<HostGroup[]>('/api/v1/host-groups')
  const canManage = useSession().can('can_manage_hosts')
  const [editing, setEditing] = useState<HostGroup | 'new' | null>(null)
  const [error, setError] = useState<Error | undefined>()
  const [confirmDialog, ask] = useConfirm()

  const remove = async (g: HostGroup) => {
    if (!(await ask('Delete host group?', `Delete "${g.name}"? Its hosts stay; they only leave the group.`))) return
    try {
      await del(`/api/v1/host-groups/${g.id}`)
      groups.reload()
    } catch (err) {
      setError(asFailure(err))
    }
  }

  return (
    <>
      <PageHeader title="Host groups">
        {canManage && !groups.error?.notAvailable && (
          <button type="button" class="button button-primary" onClick={() => setEditing('new')}>
            New group
          </button>
        )}
      </PageHeader>
      <ErrorNote error={error} />
      <Loaded resource={groups} label="Loading groups…">
        {(data) => {
          const list = data
          if (list.length === 0)
            return (
              <EmptyState title="No host groups yet">
                Groups sort hosts (production, lab, Proxmox…) and scope alert rules and integration tokens. Click <strong>New group</strong>{' '}
                to create one.
              </EmptyState>
            )
          return (
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Description</th>
                    <th scope="col">Hosts</th>
                    {canManage && (
                      <th scope="col">
                        <span class="offscreen">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {list.map((g) => (
                    <tr>
                      <td>
                        <span class="swatch" style={{ background: g.color ?? '#3B82F6' }} aria-hidden="true" />{' '}
                        <Link href={`/hosts?group=${g.id}`}>{g.name}</Link>
                      </td>
                      <td>{g.description || <span class="muted">—</span>}</td>
                      <td class="num">{g.host_count}</td>
                      {canManage && (
                        <td class="row-actions">
                          <button type="button" class="button button-small" onClick={() => setEditing(g)}>
                            Edit
                          </button>
                          <button type="button" class="button button-small button-danger" onClick={() => void remove(g)}>
                            Delete
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }}
      </Loaded>
      {editing && (
        <GroupForm
          group={editing === 'new' ? null : editing}
          onClose={(saved) => {
            setEditing(null)
            if (saved) groups.reload()
          }}
        />
      )}
      {confirmDialog}
    </>
  )
}

function GroupForm({ group, onClose }: { group: HostGroup | null; onClose: (saved: boolean) => void }) {
  const [name, setName] = useState(group?.name ?? '')
  const [description, setDescription] = useState(group?.description ?? '')
  const [color, setColor] = useState(group?.color ?? '#3B82F6')
  const [error, setError] = useState<Error | undefined>()
  const save = async (e: Event) => {
    e.preventDefault()
    const body = { name: name.trim(), description: description.trim() || null, color }
    try {
      if (group) await put(`/api/v1/host-groups/${group.id}`, body)
      else await post('/api/v1/host-groups', body)
      onClose(true)
    } catch (err) {
      setError(asFailure(err))
    }
  }
  return (
    <Modal title={group ? `Edit ${group.name}` : 'New host group'} onClose={() => onClose(false)}>
      <form onSubmit={save}>
        <ErrorNote error={error} />
        <Field label="Name">
          <input name="name" value={name} onInput={(e) => setName(e.currentTarget.value)} required maxLength={255} autoFocus />
        </Field>
        <Field label="Description">
          <input name="description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} maxLength={1000} />
        </Field>
        <Field label="Colour">
          <input name="color" type="color" value={color} onInput={(e) => setColor(e.currentTarget.value)} />
        </Field>
        <div class="actions">
          <button type="button" class="button" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="submit" class="button button-primary">
            {group ? 'Save' : 'Create group'}
          </button>
        </div>
      </form>
    </Modal>
  )
}
