// Settings → Discord Auth: the OAuth2 application (Client ID, write-only Client Secret with its
// Set / Not set badge, optional Redirect URI, button text) and the Enable toggle. The callback URL
// is read-only and follows the Server URL.
import type { Static } from 'typebox'
import type { DiscordSettingsView } from '../../../discord-login/discord-schemas.js'
import { useEffect, useState } from 'preact/hooks'
import { put } from '../api'
import { asFailure, useApi } from '../use-api'
import { ErrorNote, Loaded, Notice } from '../components/feedback'
import { Field, PageHeader } from '../components/controls'
import { ClientSecretForm } from '../components/client-secret-form'
import { CopyBlock } from '../components/copy'
import { Link } from '../router'
import { useServerAddress } from '../server-url'

/** GET /api/v1/auth/discord/settings: the server's DiscordSettingsView, imported as a type only. */
type DiscordSettingsData = Static<typeof DiscordSettingsView>

export function DiscordSettings() {
  const settings = useApi<DiscordSettingsData>('/api/v1/auth/discord/settings')
  const serverUrl = useServerAddress().url
  const [clientId, setClientId] = useState('')
  const [redirect, setRedirect] = useState('')
  const [buttonText, setButtonText] = useState('Login with Discord')
  const [enabled, setEnabled] = useState(false)
  const [message, setMessage] = useState<string | undefined>()
  const [error, setError] = useState<Error | undefined>()
  useEffect(() => {
    const s = settings.data
    if (!s) return
    setClientId(s.discord_client_id ?? '')
    setRedirect(s.discord_redirect_uri ?? '')
    setButtonText(s.discord_button_text || 'Login with Discord')
    setEnabled(s.discord_oauth_enabled)
  }, [settings.data])

  const save = async (body: Record<string, unknown>, done: string): Promise<boolean> => {
    setMessage(undefined)
    setError(undefined)
    try {
      await put('/api/v1/auth/discord/settings', body)
      setMessage(done)
      settings.reload()
      return true
    } catch (err) {
      setError(asFailure(err))
      return false
    }
  }
  // The switch moves at once and moves back if the server refuses.
  const toggle = async (on: boolean) => {
    setEnabled(on)
    if (!(await save({ discord_oauth_enabled: on }, on ? 'Discord OAuth enabled.' : 'Discord OAuth disabled.'))) setEnabled(!on)
  }
  const callback = `${serverUrl}/api/v1/auth/discord/callback`

  return (
    <>
      <PageHeader title="Discord Auth" />
      <Loaded resource={settings} label="Loading Discord settings…">
        {(s) => (
          <div class="panel narrow">
            {message && <Notice>{message}</Notice>}
            <ErrorNote error={error} />
            <label class="check switch">
              <input type="checkbox" role="switch" checked={enabled} onChange={(e) => void toggle(e.currentTarget.checked)} />
              Enable Discord OAuth
            </label>
            {enabled && (!s.discord_client_id || !s.discord_client_secret_set) && (
              <Notice kind="warn">The login button stays hidden until both Client ID and Client Secret are set.</Notice>
            )}
            <h2>OAuth2 Configuration</h2>
            <CopyBlock label="Callback URL (add it under OAuth2 → Redirects in the Discord Developer Portal)" value={callback} />
            <p class="muted small">
              Wrong address? Fix the Server URL under <Link href="/settings/server">Settings → Server Config</Link>.
            </p>
            <form
              onSubmit={(e) => {
                e.preventDefault()
                void save(
                  {
                    discord_client_id: clientId.trim(),
                    discord_redirect_uri: redirect.trim(),
                    discord_button_text: buttonText.trim() || 'Login with Discord'
                  },
                  'Saved.'
                )
              }}
            >
              <Field label="Client ID">
                <input name="discord_client_id" value={clientId} onInput={(e) => setClientId(e.currentTarget.value)} autoComplete="off" />
              </Field>
              <Field
                label="Redirect URI"
                hint="Usually blank: derived from the Server URL. Override only behind a proxy with another public address."
              >
                <input
                  name="discord_redirect_uri"
                  value={redirect}
                  onInput={(e) => setRedirect(e.currentTarget.value)}
                  placeholder={callback}
                />
              </Field>
              <Field label="Button Text">
                <input name="discord_button_text" value={buttonText} onInput={(e) => setButtonText(e.currentTarget.value)} maxLength={64} />
              </Field>
              <div class="actions">
                <button type="submit" class="button button-primary">
                  Apply
                </button>
              </div>
            </form>
            <ClientSecretForm field="discord_client_secret" isSet={s.discord_client_secret_set} save={save} />
          </div>
        )}
      </Loaded>
    </>
  )
}
