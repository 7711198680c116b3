// Settings → Users → User Registration Settings: self-registration and the default role.
import { useEffect, useState } from 'preact/hooks'
import { put } from '../api'
import { asFailure, useApi } from '../use-api'
import { ErrorNote, Loaded, Notice } from '../components/feedback'
import { Field } from '../components/controls'
import type { Role } from '../role-types'

interface RegistrationFields {
  signup_enabled?: boolean
  default_user_role?: string
}

export function RegistrationSettings({ roles }: { roles: Role[] }) {
  const settings = useApi<RegistrationFields>('/api/v1/settings')
  const [signup, setSignup] = useState(false)
  const [role, setRole] = useState('user')
  const [saved, setSaved] = useState(false)
  const [error, setError] = useState<Error | undefined>()
  useEffect(() => {
    if (!settings.data) return
    setSignup(Boolean(settings.data.signup_enabled))
    setRole(settings.data.default_user_role ?? 'user')
  }, [settings.data])
  const save = async (e: Event) => {
    e.preventDefault()
    setSaved(false)
    setError(undefined)
    try {
      await put('/api/v1/settings', { signup_enabled: signup, default_user_role: role })
      setSaved(true)
    } catch (err) {
      setError(asFailure(err))
    }
  }
  return (
    <section class="panel">
      <h2>User Registration Settings</h2>
      <Loaded resource={settings} label="Loading settings…">
        {() => (
          <form onSubmit={save}>
            {saved && <Notice>Registration settings saved.</Notice>}
            <ErrorNote error={error} />
            <label class="check">
              <input type="checkbox" name="signup_enabled" checked={signup} onChange={(e) => setSignup(e.currentTarget.checked)} /> Enable
              User Self-Registration (also lets new Discord users create an account)
            </label>
            <Field label="Default Role for New Users">
              <select value={role} onChange={(e) => setRole(e.currentTarget.value)}>
                {(roles.length ? roles.map((r) => r.name) : [role]).map((r) => (
                  <option value={r}>{r}</option>
                ))}
              </select>
            </Field>
            <div class="actions">
              <button type="submit" class="button button-primary">
                Save
              </button>
            </div>
          </form>
        )}
      </Loaded>
    </section>
  )
}
