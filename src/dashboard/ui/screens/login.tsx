// Sign-in: password, then the TFA code when the account has one; the SSO (OpenID Connect) and
// "Login with Discord" buttons when an admin enabled them (OIDC-only mode hides the password form);
// on a fresh install a hint that the first password was printed at start-up.
import type { Static } from 'typebox'
import type { LoginReply as LoginReplySchema } from '../../../users/auth-schemas.js'
import type { TfaRequiredReply } from '../../../users/tfa-schemas.js'
import type { DiscordPublicConfig } from '../../../discord-login/discord-schemas.js'
import type { OidcPublicConfig } from '../../../oidc/oidc-schemas.js'
import { useEffect, useState } from 'preact/hooks'
import { ApiFailure, get, post } from '../api'
import { ErrorNote } from '../components/feedback'
import { Field } from '../components/controls'
import type { SessionUser } from '../session'

interface TfaStep {
  username: string
  ticket: string
}

/** POST /api/v1/auth/login answers with a session, or asks for the second factor: the server's schemas. */
type LoginReply = Static<typeof LoginReplySchema> | Static<typeof TfaRequiredReply>
type DiscordButton = Static<typeof DiscordPublicConfig>
type OidcButton = Static<typeof OidcPublicConfig>

export function Login({ onSignedIn }: { onSignedIn: (user: SessionUser) => void }) {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [code, setCode] = useState('')
  const [tfa, setTfa] = useState<TfaStep | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | undefined>(new URLSearchParams(location.search).get('error') ?? undefined)
  const [discord, setDiscord] = useState<DiscordButton | null>(null)
  const [oidc, setOidc] = useState<OidcButton | null>(null)
  const [firstStart, setFirstStart] = useState(false)

  useEffect(() => {
    get<DiscordButton>('/api/v1/auth/discord/config').then(setDiscord, () => setDiscord(null))
    get<OidcButton>('/api/v1/auth/oidc/config').then(setOidc, () => setOidc(null))
    get<{ first_start: boolean }>('/api/v1/dashboard/first-start').then(
      (r) => setFirstStart(r.first_start),
      () => setFirstStart(false)
    )
  }, [])

  const finish = async () => {
    const { user } = await get<{ user: SessionUser }>('/api/v1/auth/me')
    onSignedIn(user)
  }

  const submitPassword = async (e: Event) => {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const reply = await post<LoginReply>('/api/v1/auth/login', { username, password })
      if ('requiresTfa' in reply && reply.requiresTfa) {
        setTfa({ username: reply.username, ticket: reply.tfaTicket ?? '' })
        setPassword('')
      } else {
        await finish()
      }
    } catch (err) {
      setError(err instanceof ApiFailure ? err.message : String(err))
    } finally {
      setBusy(false)
    }
  }

  const submitCode = async (e: Event) => {
    e.preventDefault()
    if (!tfa) return
    setBusy(true)
    setError(undefined)
    try {
      await post('/api/v1/auth/verify-tfa', { username: tfa.username, token: code.trim(), tfa_ticket: tfa.ticket })
      await finish()
    } catch (err) {
      setError(err instanceof ApiFailure ? err.message : String(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <main class="login-page" id="main">
      <div class="login-card">
        <div class="login-brand">
          <img src="/assets/favicon.svg" alt="" width={40} height={40} />
          <h1>PatchMon</h1>
        </div>
        <ErrorNote error={error} />
        {tfa ? (
          <form onSubmit={submitCode}>
            <p>Enter the 6-digit code from your authenticator app, or one of your backup codes.</p>
            <Field label="Verification code">
              <input
                name="tfa-code"
                value={code}
                onInput={(e) => setCode(e.currentTarget.value)}
                inputMode="numeric"
                autoComplete="one-time-code"
                required
                autoFocus
                maxLength={16}
              />
            </Field>
            <button type="submit" class="button button-primary button-block" disabled={busy}>
              {busy ? 'Verifying…' : 'Verify'}
            </button>
            <button
              type="button"
              class="button button-link"
              onClick={() => {
                setTfa(null)
                setCode('')
              }}
            >
              Back to sign in
            </button>
          </form>
        ) : oidc?.oidcOnly ? null : (
          <form onSubmit={submitPassword}>
            <Field label="Username or e-mail">
              <input
                name="username"
                value={username}
                onInput={(e) => setUsername(e.currentTarget.value)}
                autoComplete="username"
                required
                autoFocus
              />
            </Field>
            <Field label="Password">
              <input
                name="password"
                type="password"
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
                autoComplete="current-password"
                required
              />
            </Field>
            <button type="submit" class="button button-primary button-block" disabled={busy}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </form>
        )}
        {!tfa && oidc?.enabled && (
          <a class="button button-primary button-block" href="/api/v1/auth/oidc/login">
            {oidc.buttonText || 'Sign in with SSO'}
          </a>
        )}
        {!tfa && discord?.enabled && (
          <a class="button button-discord button-block" href="/api/v1/auth/discord/login">
            {discord.buttonText || 'Login with Discord'}
          </a>
        )}
        {firstStart && !tfa && (
          <p class="login-hint">
            First start? Sign in as <code>admin</code> with the password printed once in the server's output when it first started (for a
            service: <code>journalctl -u patchmon</code>), or the one you set in <code>PATCHMON_ADMIN_PASSWORD</code>. Lost it? Run{' '}
            <code>patchmon admin reset-password admin</code>.
          </p>
        )}
      </div>
    </main>
  )
}
