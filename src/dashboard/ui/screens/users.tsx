// Settings → Users: accounts with their roles and host-group limits, user registration settings,
// and the roles with their permissions (roles-panel.tsx).
import { useState } from 'preact/hooks'
import { del, post, put } from '../api'
import { asFailure, useApi } from '../use-api'
import { ErrorNote, Loaded, Notice } from '../components/feedback'
import { Badge, Field, PageHeader, timeAgo } from '../components/controls'
import { Modal, useConfirm } from '../components/dialogs'
import { useSession, type SessionUser } from '../session'
import { RegistrationSettings } from './registration-settings'
import type { Role } from '../role-types'
import { Link } from '../router'
import { HostGroupPicker, RolesPanel } from './roles-panel'

/** GET /api/v1/users returns the same UserView as /auth/me, with the user's own host-group limit. */
type UserRow = SessionUser & { host_group_ids?: string[] | null }

export function Users() {
  const users = useApi<UserRow[]>('/api/v1/users')
  const roles = useApi<Role[]>('/api/v1/roles')
  const session = useSession()
  const canManage = session.can('can_manage_users')
  const [editing, setEditing] = useState<UserRow | 'new' | null>(null)
  const [resetting, setResetting] = useState<UserRow | null>(null)
  const [error, setError] = useState<Error | undefined>()
  const [confirmDialog, ask] = useConfirm()

  const remove = async (u: UserRow) => {
    if (!(await ask('Delete user?', `Delete ${u.username}? Their sessions end at once.`))) return
    try {
      await del(`/api/v1/users/${u.id}`)
      users.reload()
    } catch (err) {
      setError(asFailure(err))
    }
  }

  return (
    <>
      <PageHeader title="Users">
        {canManage && (
          <button type="button" class="button button-primary" onClick={() => setEditing('new')}>
            Add user
          </button>
        )}
      </PageHeader>
      <ErrorNote error={error} />
      <Loaded resource={users} label="Loading users…">
        {(list) => (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col">Sign-in</th>
                  <th scope="col">Last login</th>
                  {canManage && (
                    <th scope="col">
                      <span class="offscreen">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {list.map((u) => (
                  <tr>
                    <td>
                      {u.username}
                      {u.id === session.user.id && <span class="muted"> (you)</span>}
                      <div class="muted small">
                        {[u.first_name, u.last_name].filter(Boolean).join(' ')} {u.email ?? ''}
                      </div>
                    </td>
                    <td>{u.role}</td>
                    <td>
                      <Badge kind={u.is_active ? 'ok' : 'muted'}>{u.is_active ? 'Active' : 'Disabled'}</Badge>
                    </td>
                    <td>
                      {[u.has_password && 'password', u.tfa_enabled && 'TFA', u.discord_linked && 'Discord'].filter(Boolean).join(' · ') ||
                        '—'}
                    </td>
                    <td>{timeAgo(u.last_login_at)}</td>
                    {canManage && (
                      <td class="row-actions">
                        <button type="button" class="button button-small" onClick={() => setEditing(u)}>
                          Edit
                        </button>
                        <button type="button" class="button button-small" onClick={() => setResetting(u)}>
                          Reset password
                        </button>
                        <Link class="button button-small" href={`/settings/users/${u.id}/sessions`}>
                          Sessions
                        </Link>
                        {u.id !== session.user.id && (
                          <button type="button" class="button button-small button-danger" onClick={() => void remove(u)}>
                            Delete
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      {session.can('can_manage_settings') && <RegistrationSettings roles={roles.data ?? []} />}
      <RolesPanel roles={roles} canManage={canManage} />
      {editing && (
        <UserForm
          user={editing === 'new' ? null : editing}
          roles={roles.data ?? []}
          onClose={(saved) => {
            setEditing(null)
            if (saved) users.reload()
          }}
        />
      )}
      {resetting && <ResetPassword user={resetting} onClose={() => setResetting(null)} />}
      {confirmDialog}
    </>
  )
}

function UserForm({ user, roles, onClose }: { user: UserRow | null; roles: Role[]; onClose: (saved: boolean) => void }) {
  const [form, setForm] = useState({
    username: user?.username ?? '',
    email: user?.email ?? '',
    first_name: user?.first_name ?? '',
    last_name: user?.last_name ?? '',
    password: '',
    role: user?.role ?? 'user',
    is_active: user?.is_active ?? true
  })
  const [groups, setGroups] = useState<string[] | null>(user?.host_group_ids ?? null)
  const [error, setError] = useState<Error | undefined>()
  const set = (k: keyof typeof form, v: string | boolean) => setForm({ ...form, [k]: v })
  const save = async (e: Event) => {
    e.preventDefault()
    const common = {
      email: form.email.trim() || null,
      first_name: form.first_name.trim() || null,
      last_name: form.last_name.trim() || null,
      role: form.role,
      // Left out on a new user while "every host" is ticked: the server then applies the author's own limit, if any.
      ...(user || groups !== null ? { host_group_ids: groups } : {})
    }
    try {
      if (user) await put(`/api/v1/users/${user.id}`, { ...common, is_active: form.is_active })
      else await post('/api/v1/users', { ...common, username: form.username.trim(), password: form.password })
      onClose(true)
    } catch (err) {
      setError(asFailure(err))
    }
  }
  return (
    <Modal title={user ? `Edit ${user.username}` : 'Add user'} onClose={() => onClose(false)}>
      <form onSubmit={save}>
        <ErrorNote error={error} />
        {!user && (
          <Field label="Username">
            <input value={form.username} onInput={(e) => set('username', e.currentTarget.value)} required autoFocus autoComplete="off" />
          </Field>
        )}
        <Field label="E-mail">
          <input type="email" value={form.email} onInput={(e) => set('email', e.currentTarget.value)} />
        </Field>
        <div class="grid-2">
          <Field label="First name">
            <input value={form.first_name} onInput={(e) => set('first_name', e.currentTarget.value)} />
          </Field>
          <Field label="Last name">
            <input value={form.last_name} onInput={(e) => set('last_name', e.currentTarget.value)} />
          </Field>
        </div>
        {!user && (
          <Field label="Password" hint="At least 8 characters.">
            <input
              type="password"
              value={form.password}
              onInput={(e) => set('password', e.currentTarget.value)}
              required
              minLength={8}
              autoComplete="new-password"
            />
          </Field>
        )}
        <Field label="Role">
          <select value={form.role} onChange={(e) => set('role', e.currentTarget.value)}>
            {roles.map((r) => (
              <option value={r.name}>{r.name}</option>
            ))}
          </select>
        </Field>
        <HostGroupPicker value={groups} onChange={setGroups} />
        {user && (
          <label class="check">
            <input type="checkbox" checked={form.is_active} onChange={(e) => set('is_active', e.currentTarget.checked)} /> Active (a
            disabled user cannot sign in)
          </label>
        )}
        <div class="actions">
          <button type="button" class="button" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="submit" class="button button-primary">
            {user ? 'Save' : 'Add user'}
          </button>
        </div>
      </form>
    </Modal>
  )
}

function ResetPassword({ user, onClose }: { user: UserRow; onClose: () => void }) {
  const [password, setPassword] = useState('')
  const [done, setDone] = useState(false)
  const [error, setError] = useState<Error | undefined>()
  const save = async (e: Event) => {
    e.preventDefault()
    try {
      await post(`/api/v1/users/${user.id}/reset-password`, { new_password: password })
      setDone(true)
    } catch (err) {
      setError(asFailure(err))
    }
  }
  return (
    <Modal title={`Reset the password of ${user.username}`} onClose={onClose}>
      {done ? (
        <>
          <Notice>Password reset. {user.username} was signed out everywhere and signs in with the new password.</Notice>
          <div class="actions">
            <button type="button" class="button button-primary" onClick={onClose}>
              Done
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={save}>
          <ErrorNote error={error} />
          <Field label="New password" hint="At least 8 characters.">
            <input
              type="password"
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
              required
              minLength={8}
              autoComplete="new-password"
              autoFocus
            />
          </Field>
          <div class="actions">
            <button type="button" class="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" class="button button-primary">
              Reset password
            </button>
          </div>
        </form>
      )}
    </Modal>
  )
}
