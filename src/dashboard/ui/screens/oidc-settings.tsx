// Settings → OpenID Connect: the provider (issuer URL, client ID, write-only client secret, scopes,
// button text), who may sign in (auto-create, default role, link by e-mail), the group claim and its
// mapping table to roles (first match wins), OIDC-only mode and end-session logout. Fields an OIDC_*
// environment variable sets are shown read-only. The callback URL follows the Server URL.
import type { Static } from 'typebox'
import type { OidcSettingsView } from '../../../oidc/oidc-schemas.js'
import { useEffect, useState } from 'preact/hooks'
import { put } from '../api'
import { asFailure, useApi } from '../use-api'
import { ErrorNote, Loaded, Notice } from '../components/feedback'
import { Field, PageHeader } from '../components/controls'
import { ClientSecretForm } from '../components/client-secret-form'
import { CopyBlock } from '../components/copy'
import { Link } from '../router'
import type { Role } from '../role-types'

/** GET /api/v1/auth/oidc/settings: the server's OidcSettingsView, imported as a type only. */
type OidcSettingsData = Static<typeof OidcSettingsView>
type MappingRow = OidcSettingsData['oidc_role_mapping'][number]

type TextFields = 'oidc_issuer_url' | 'oidc_client_id' | 'oidc_redirect_uri' | 'oidc_scopes' | 'oidc_button_text' | 'oidc_group_claim'
type FlagFields = 'oidc_enabled' | 'oidc_auto_create_users' | 'oidc_link_by_email' | 'oidc_disable_local_auth' | 'oidc_end_session'

const TEXTS: [TextFields, string, string?][] = [
  ['oidc_issuer_url', 'Issuer URL', 'Exactly as the provider names it, e.g. https://auth.example.com/application/o/patchmon/'],
  ['oidc_client_id', 'Client ID'],
  ['oidc_scopes', 'Scopes', 'Space-separated; must include openid. Add groups when the provider needs it for the group claim.'],
  ['oidc_button_text', 'Button text'],
  ['oidc_redirect_uri', 'Redirect URI', 'Usually blank: the callback URL above. Override only behind a proxy with another public address.'],
  [
    'oidc_group_claim',
    'Group claim',
    'Claim holding the groups, e.g. groups (Authentik, Authelia, Pocket ID) or realm_access.roles (Keycloak).'
  ]
]
const FLAGS: [FlagFields, string][] = [
  ['oidc_enabled', 'Enable OpenID Connect sign-in'],
  ['oidc_auto_create_users', 'Create an account at the first sign-in'],
  ['oidc_link_by_email', 'Link an existing account whose e-mail the provider has verified'],
  ['oidc_disable_local_auth', 'OIDC only: hide and refuse password sign-in (break-glass: patchmon admin allow-password-login)'],
  ['oidc_end_session', 'Signing out also signs out of the provider']
]

export function OidcSettings() {
  const settings = useApi<OidcSettingsData>('/api/v1/auth/oidc/settings')
  const roles = useApi<Role[]>('/api/v1/roles')
  const [form, setForm] = useState<Record<string, string | boolean>>({})
  const [mapping, setMapping] = useState<MappingRow[]>([])
  const [defaultRole, setDefaultRole] = useState('')
  const [message, setMessage] = useState<string | undefined>()
  const [error, setError] = useState<Error | undefined>()
  useEffect(() => {
    const s = settings.data
    if (!s) return
    setForm(Object.fromEntries([...TEXTS.map(([k]) => [k, s[k] ?? '']), ...FLAGS.map(([k]) => [k, s[k]])]))
    setMapping(s.oidc_role_mapping)
    setDefaultRole(s.oidc_default_role ?? '')
  }, [settings.data])

  const save = async (body: Record<string, unknown>, done: string): Promise<boolean> => {
    setMessage(undefined)
    setError(undefined)
    try {
      await put('/api/v1/auth/oidc/settings', body)
      setMessage(done)
      settings.reload()
      return true
    } catch (err) {
      setError(asFailure(err))
      return false
    }
  }

  return (
    <>
      <PageHeader title="OpenID Connect" />
      <Loaded resource={settings} label="Loading OpenID Connect settings…">
        {(s) => {
          const locked = new Set(s.oidc_set_by_environment)
          const editable = (k: string) => !locked.has(k)
          const submit = (e: Event) => {
            e.preventDefault()
            const body: Record<string, unknown> = {}
            for (const [k] of [...TEXTS, ...FLAGS])
              if (editable(k)) body[k] = typeof form[k] === 'string' ? String(form[k]).trim() : form[k]
            if (editable('oidc_role_mapping')) body.oidc_role_mapping = mapping.filter((m) => m.claim.trim() !== '')
            if (editable('oidc_default_role')) body.oidc_default_role = defaultRole
            void save(body, 'Saved.')
          }
          return (
            <div class="panel narrow">
              {message && <Notice>{message}</Notice>}
              <ErrorNote error={error} />
              {locked.size > 0 && <Notice kind="warn">Fields set by OIDC_* environment variables are read-only here.</Notice>}
              <CopyBlock label="Callback URL (register it as the redirect URI at the provider)" value={s.oidc_callback_url} />
              <p class="muted small">
                Wrong address? Fix the Server URL under <Link href="/settings/server">Settings → Server Config</Link>.
              </p>
              <form onSubmit={submit}>
                {FLAGS.map(([k, label]) => (
                  <label class="check" key={k}>
                    <input
                      type="checkbox"
                      name={k}
                      checked={form[k] === true}
                      disabled={!editable(k)}
                      onChange={(e) => setForm({ ...form, [k]: e.currentTarget.checked })}
                    />
                    {label}
                  </label>
                ))}
                {TEXTS.map(([k, label, hint]) => (
                  <Field label={label} hint={hint} key={k}>
                    <input
                      name={k}
                      value={String(form[k] ?? '')}
                      disabled={!editable(k)}
                      onInput={(e) => setForm({ ...form, [k]: e.currentTarget.value })}
                      autoComplete="off"
                    />
                  </Field>
                ))}
                <Field
                  label="Role of new accounts"
                  hint="When no group mapping applies. Blank: the default user role of the server settings."
                >
                  <select
                    name="oidc_default_role"
                    value={defaultRole}
                    disabled={!editable('oidc_default_role')}
                    onChange={(e) => setDefaultRole(e.currentTarget.value)}
                  >
                    <option value="">(server default)</option>
                    {(roles.data ?? []).map((r) => (
                      <option value={r.name} key={r.name}>
                        {r.name}
                      </option>
                    ))}
                  </select>
                </Field>
                <h2>Group → role mapping</h2>
                <p class="muted small">
                  Checked at every sign-in, top to bottom; the first group the user is in decides the role. With rows here, a user in none
                  of them cannot sign in.
                </p>
                <table class="table">
                  <thead>
                    <tr>
                      <th>Group (claim value)</th>
                      <th>Role</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {mapping.map((m, i) => (
                      <tr key={i}>
                        <td>
                          <input
                            name={`mapping-claim-${i}`}
                            aria-label="Group"
                            value={m.claim}
                            disabled={!editable('oidc_role_mapping')}
                            onInput={(e) => setMapping(mapping.map((x, j) => (j === i ? { ...x, claim: e.currentTarget.value } : x)))}
                          />
                        </td>
                        <td>
                          <select
                            name={`mapping-role-${i}`}
                            aria-label="Role"
                            value={m.role}
                            disabled={!editable('oidc_role_mapping')}
                            onChange={(e) => setMapping(mapping.map((x, j) => (j === i ? { ...x, role: e.currentTarget.value } : x)))}
                          >
                            {(roles.data ?? []).map((r) => (
                              <option value={r.name} key={r.name}>
                                {r.name}
                              </option>
                            ))}
                          </select>
                        </td>
                        <td>
                          <button
                            type="button"
                            class="button button-link"
                            disabled={!editable('oidc_role_mapping')}
                            onClick={() => setMapping(mapping.filter((_, j) => j !== i))}
                          >
                            Remove
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <button
                  type="button"
                  class="button"
                  disabled={!editable('oidc_role_mapping')}
                  onClick={() => setMapping([...mapping, { claim: '', role: roles.data?.[0]?.name ?? 'user' }])}
                >
                  Add a row
                </button>
                <div class="actions">
                  <button type="submit" class="button button-primary">
                    Apply
                  </button>
                </div>
              </form>
              <ClientSecretForm
                field="oidc_client_secret"
                isSet={s.oidc_client_secret_set}
                disabled={!editable('oidc_client_secret')}
                save={save}
              />
            </div>
          )
        }}
      </Loaded>
    </>
  )
}
