// Settings → Users, the roles part: built-in and custom roles, a form to make or change a custom
// role from the permission set, and the host-group picker the user form shares (docs/access-control.md).
import { useState } from 'preact/hooks'
import { del, post, put } from '../api'
import { asFailure, useApi, type Resource } from '../use-api'
import { EmptyState, ErrorNote, Loaded } from '../components/feedback'
import { Badge, Field } from '../components/controls'
import { Modal, useConfirm } from '../components/dialogs'
import type { Role } from '../role-types'
import { PERMISSION_KEYS, permissionLabel } from '../human-format'

interface GroupRef {
  id: string
  name: string
}

/** null = every host; otherwise the chosen groups (possibly none). */
export function HostGroupPicker({ value, onChange }: { value: string[] | null; onChange: (v: string[] | null) => void }) {
  const groups = useApi<GroupRef[]>('/api/v1/host-groups')
  const list = groups.data ?? []
  const toggle = (id: string, on: boolean) => onChange(on ? [...(value ?? []), id] : (value ?? []).filter((g) => g !== id))
  return (
    <fieldset class="host-scope">
      <legend>Hosts</legend>
      <label class="check">
        <input type="checkbox" checked={value === null} onChange={(e) => onChange(e.currentTarget.checked ? null : [])} /> Every host
      </label>
      {value !== null &&
        list.map((g) => (
          <label class="check">
            <input type="checkbox" checked={value.includes(g.id)} onChange={(e) => toggle(g.id, e.currentTarget.checked)} /> Only hosts in{' '}
            {g.name}
          </label>
        ))}
    </fieldset>
  )
}

export function RolesPanel({ roles, canManage }: { roles: Resource<Role[]>; canManage: boolean }) {
  const [editing, setEditing] = useState<Role | 'new' | null>(null)
  const [error, setError] = useState<Error | undefined>()
  const [confirmDialog, ask] = useConfirm()
  const remove = async (r: Role) => {
    if (!(await ask('Delete role?', `Delete the role ${r.name}?`))) return
    try {
      await del(`/api/v1/roles/${r.name}`)
      roles.reload()
    } catch (err) {
      setError(asFailure(err))
    }
  }
  return (
    <section class="panel">
      <h2>Roles</h2>
      {canManage && (
        <button type="button" class="button" onClick={() => setEditing('new')}>
          Add role
        </button>
      )}
      <ErrorNote error={error} />
      <Loaded resource={roles} label="Loading roles…">
        {(list) =>
          list.length === 0 ? (
            <EmptyState title="No roles" />
          ) : (
            <dl class="roles">
              {list.map((r) => (
                <>
                  <dt>
                    {r.name} {r.is_builtin && <Badge kind="muted">built-in</Badge>}
                    {r.host_group_ids !== null && <Badge kind="muted">limited to {r.host_group_ids.length} group(s)</Badge>}
                    {canManage && !r.is_builtin && (
                      <span class="row-actions">
                        <button type="button" class="button button-small" onClick={() => setEditing(r)}>
                          Edit
                        </button>
                        <button type="button" class="button button-small button-danger" onClick={() => void remove(r)}>
                          Delete
                        </button>
                      </span>
                    )}
                  </dt>
                  <dd>
                    {r.description}
                    <div class="muted small">{r.permissions.map(permissionLabel).join(', ') || 'no permissions'}</div>
                  </dd>
                </>
              ))}
            </dl>
          )
        }
      </Loaded>
      {editing && (
        <RoleForm
          role={editing === 'new' ? null : editing}
          onClose={(saved) => {
            setEditing(null)
            if (saved) roles.reload()
          }}
        />
      )}
      {confirmDialog}
    </section>
  )
}

function RoleForm({ role, onClose }: { role: Role | null; onClose: (saved: boolean) => void }) {
  const [name, setName] = useState(role?.name ?? '')
  const [description, setDescription] = useState(role?.description ?? '')
  const [permissions, setPermissions] = useState<string[]>(role?.permissions ?? [])
  const [groups, setGroups] = useState<string[] | null>(role ? role.host_group_ids : null)
  const [error, setError] = useState<Error | undefined>()
  const save = async (e: Event) => {
    e.preventDefault()
    const body = { description, permissions, ...(role || groups !== null ? { host_group_ids: groups } : {}) }
    try {
      if (role) await put(`/api/v1/roles/${role.name}`, body)
      else await post('/api/v1/roles', { ...body, name: name.trim() })
      onClose(true)
    } catch (err) {
      setError(asFailure(err))
    }
  }
  const toggle = (p: string, on: boolean) => setPermissions(on ? [...permissions, p] : permissions.filter((x) => x !== p))
  return (
    <Modal title={role ? `Edit role ${role.name}` : 'Add role'} onClose={() => onClose(false)}>
      <form onSubmit={save}>
        <ErrorNote error={error} />
        {!role && (
          <Field label="Name" hint="Letters, digits, _ and -.">
            <input
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
              required
              pattern="[A-Za-z0-9_-]+"
              maxLength={64}
              autoFocus
            />
          </Field>
        )}
        <Field label="Description">
          <input value={description} onInput={(e) => setDescription(e.currentTarget.value)} maxLength={500} />
        </Field>
        <fieldset>
          <legend>Permissions</legend>
          {PERMISSION_KEYS.map((p) => (
            <label class="check">
              <input type="checkbox" checked={permissions.includes(p)} onChange={(e) => toggle(p, e.currentTarget.checked)} />{' '}
              {permissionLabel(p)}
            </label>
          ))}
        </fieldset>
        <HostGroupPicker value={groups} onChange={setGroups} />
        <div class="actions">
          <button type="button" class="button" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="submit" class="button button-primary">
            {role ? 'Save' : 'Add role'}
          </button>
        </div>
      </form>
    </Modal>
  )
}
