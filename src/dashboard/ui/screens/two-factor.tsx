// Two-factor authentication on the profile: set up with a QR code (or the key typed by hand),
// confirm with a code, keep the backup codes; disable with the password; new backup codes (also
// with the password: a stolen session alone must not mint new second factors).
import type { Static } from 'typebox'
import type { TfaSetupReply } from '../../../users/tfa-schemas.js'
import { useState } from 'preact/hooks'
import { get, post } from '../api'
import { asFailure } from '../use-api'
import { ErrorNote, Notice } from '../components/feedback'
import { Field } from '../components/controls'
import { CopyBlock } from '../components/copy'
import { useSession } from '../session'

/** POST /api/v1/tfa/setup's reply: the server's schema, imported as a type only. */
type Setup = Static<typeof TfaSetupReply>

const codesOf = (reply: unknown): string[] => {
  const r = (reply ?? {}) as { backupCodes?: unknown; backup_codes?: unknown }
  const codes = r.backupCodes ?? r.backup_codes
  return Array.isArray(codes) ? codes.map(String) : []
}

export function TwoFactor() {
  const session = useSession()
  const enabled = session.user.tfa_enabled
  const [setup, setSetup] = useState<Setup | null>(null)
  const [code, setCode] = useState('')
  const [password, setPassword] = useState('')
  const [codes, setCodes] = useState<string[]>([])
  const [message, setMessage] = useState<string | undefined>()
  const [error, setError] = useState<Error | undefined>()

  const run = async (action: () => Promise<void>) => {
    setError(undefined)
    setMessage(undefined)
    try {
      await action()
    } catch (err) {
      setError(asFailure(err))
    }
  }
  const start = () => run(async () => setSetup(await get<Setup>('/api/v1/tfa/setup')))
  const verify = (e: Event) => {
    e.preventDefault()
    void run(async () => {
      const reply = await post('/api/v1/tfa/verify-setup', { token: code.trim() })
      setCodes(codesOf(reply))
      setSetup(null)
      setCode('')
      setMessage('Two-factor authentication is on. Sign-ins now ask for a code.')
      await session.refresh()
    })
  }
  const disable = (e: Event) => {
    e.preventDefault()
    void run(async () => {
      await post('/api/v1/tfa/disable', { password })
      setPassword('')
      setCodes([])
      setMessage('Two-factor authentication is off.')
      await session.refresh()
    })
  }
  const regenerate = () =>
    run(async () => {
      setCodes(codesOf(await post('/api/v1/tfa/regenerate-backup-codes', { password })))
      setPassword('')
      setMessage('New backup codes created; the old ones no longer work.')
    })

  return (
    <section class="panel">
      <h2>Two-factor authentication</h2>
      {message && <Notice>{message}</Notice>}
      <ErrorNote error={error} />
      {codes.length > 0 && (
        <>
          <Notice kind="warn">Backup codes are shown only now. Each works once when your authenticator is not at hand.</Notice>
          <CopyBlock label="Backup codes" value={codes.join('\n')} />
        </>
      )}
      {enabled ? (
        <>
          <p>
            Two-factor authentication is <strong>on</strong>.
          </p>
          <form onSubmit={disable} class="narrow">
            <Field label="Password (to turn it off or make new backup codes)">
              <input
                type="password"
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
                required
                autoComplete="current-password"
              />
            </Field>
            <div class="actions">
              <button type="button" class="button" onClick={() => void regenerate()}>
                New backup codes
              </button>
              <button type="submit" class="button button-danger">
                Turn off TFA
              </button>
            </div>
          </form>
        </>
      ) : setup ? (
        <form onSubmit={verify} class="tfa-setup">
          <p>Scan the QR code with an authenticator app (Aegis, Google Authenticator, 1Password…), then enter the 6-digit code it shows.</p>
          {setup.qrCode && <img src={setup.qrCode} alt="QR code for your authenticator app" width={200} height={200} class="qr" />}
          <CopyBlock label="Or type this key" value={setup.manualEntryKey ?? setup.secret ?? ''} />
          <Field label="Code from the app">
            <input
              name="tfa-setup-code"
              value={code}
              onInput={(e) => setCode(e.currentTarget.value)}
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              maxLength={8}
              autoFocus
            />
          </Field>
          <div class="actions">
            <button type="button" class="button" onClick={() => setSetup(null)}>
              Cancel
            </button>
            <button type="submit" class="button button-primary">
              Verify and turn on
            </button>
          </div>
        </form>
      ) : (
        <>
          <p>
            Two-factor authentication is <strong>off</strong>. Turn it on so a stolen password is not enough to sign in.
          </p>
          <div class="actions">
            <button type="button" class="button button-primary" onClick={() => void start()}>
              Set up TFA
            </button>
          </div>
        </>
      )}
    </section>
  )
}
