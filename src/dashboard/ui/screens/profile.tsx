// Profile: Change Password, two-factor authentication and Linked Accounts (Discord).
import { useState } from 'preact/hooks'
import { post } from '../api'
import { asFailure } from '../use-api'
import { ErrorNote, Notice } from '../components/feedback'
import { Field, PageHeader } from '../components/controls'
import { useConfirm } from '../components/dialogs'
import { useLocation } from '../router'
import { useSession } from '../session'
import { TwoFactor } from './two-factor'
import { SessionList } from '../components/session-list'

export function Profile() {
  const session = useSession()
  const u = session.user
  return (
    <>
      <PageHeader title="Profile" />
      <section class="panel">
        <h2>{u.username}</h2>
        <p class="muted">
          {[u.first_name, u.last_name].filter(Boolean).join(' ')} {u.email ?? 'no e-mail set'} · role {u.role}
        </p>
      </section>
      <ChangePassword hasPassword={u.has_password} />
      <TwoFactor />
      <LinkedAccounts />
      <section class="panel">
        <h2>Sessions and devices</h2>
        <SessionList />
      </section>
    </>
  )
}

function ChangePassword({ hasPassword }: { hasPassword: boolean }) {
  const session = useSession()
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [repeat, setRepeat] = useState('')
  const [done, setDone] = useState(false)
  const [error, setError] = useState<Error | string | undefined>()
  const save = async (e: Event) => {
    e.preventDefault()
    setDone(false)
    setError(undefined)
    if (next !== repeat) return setError('The new passwords do not match.')
    try {
      await post('/api/v1/auth/change-password', { current_password: current, new_password: next })
      // The user view changes too (must_change_password clears, has_password sets).
      await session.refresh()
      setDone(true)
      setCurrent('')
      setNext('')
      setRepeat('')
    } catch (err) {
      setError(asFailure(err))
    }
  }
  return (
    <section class="panel">
      <h2>Change Password</h2>
      <form onSubmit={save} class="narrow">
        {done && <Notice>Password changed. Your other sessions were signed out.</Notice>}
        <ErrorNote error={error} />
        {hasPassword ? (
          <Field label="Current password">
            <input
              type="password"
              value={current}
              onInput={(e) => setCurrent(e.currentTarget.value)}
              required
              autoComplete="current-password"
            />
          </Field>
        ) : (
          <p class="muted">You sign in with Discord only; set a password to have a second way in.</p>
        )}
        <Field label="New password" hint="At least 8 characters.">
          <input
            type="password"
            value={next}
            onInput={(e) => setNext(e.currentTarget.value)}
            required
            minLength={8}
            autoComplete="new-password"
          />
        </Field>
        <Field label="Repeat new password">
          <input
            type="password"
            value={repeat}
            onInput={(e) => setRepeat(e.currentTarget.value)}
            required
            minLength={8}
            autoComplete="new-password"
          />
        </Field>
        <div class="actions">
          <button type="submit" class="button button-primary">
            Change password
          </button>
        </div>
      </form>
    </section>
  )
}

function LinkedAccounts() {
  const session = useSession()
  const { query } = useLocation()
  const u = session.user
  const [error, setError] = useState<Error | undefined>()
  const [message, setMessage] = useState<string | undefined>()
  const [confirmDialog, ask] = useConfirm()
  const linkedParam = query.get('discord_linked')
  const link = async () => {
    setError(undefined)
    try {
      const { url } = await post<{ url: string }>('/api/v1/auth/discord/link')
      location.assign(url)
    } catch (err) {
      setError(asFailure(err))
    }
  }
  const unlink = async () => {
    if (!(await ask('Unlink Discord?', 'You will no longer be able to sign in with Discord.', 'Unlink'))) return
    setError(undefined)
    try {
      const reply = await post<{ message?: string }>('/api/v1/auth/discord/unlink')
      setMessage(reply?.message ?? 'Discord account unlinked.')
      await session.refresh()
    } catch (err) {
      setError(asFailure(err))
    }
  }
  return (
    <section class="panel" id="linked-accounts">
      <h2>Linked Accounts</h2>
      {linkedParam === 'true' && <Notice>Discord linked (discord_linked=true).</Notice>}
      {linkedParam === 'false' && (
        <ErrorNote
          error={
            query.get('error') === 'already_linked'
              ? 'This Discord account is already linked to another PatchMon user.'
              : `Linking Discord failed${query.get('error') ? `: ${query.get('error')}` : '.'}`
          }
        />
      )}
      {message && <Notice>{message}</Notice>}
      <ErrorNote error={error} />
      <div class="row">
        <div class="linked">
          {u.discord_avatar && <img src={u.discord_avatar} alt="" width={40} height={40} class="avatar" />}
          <div>
            <strong>Discord</strong>
            <div class="muted">{u.discord_linked ? `Linked as ${u.discord_username ?? 'a Discord user'}` : 'Not linked'}</div>
          </div>
        </div>
        {u.discord_linked ? (
          <button type="button" class="button" onClick={() => void unlink()}>
            Unlink Discord
          </button>
        ) : (
          <button type="button" class="button button-discord" onClick={() => void link()}>
            Link Discord
          </button>
        )}
      </div>
      {confirmDialog}
    </section>
  )
}
