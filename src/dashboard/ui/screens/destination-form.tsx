// Add / edit one alert destination: any channel type the API accepts, with that type's fields.
// Secrets are never shown back: an edit shows "unchanged" and sends a secret only when typed.
import { useState } from 'preact/hooks'
import { post, put } from '../api'
import { asFailure } from '../use-api'
import { ErrorNote } from '../components/feedback'
import { Field } from '../components/controls'
import { Modal } from '../components/dialogs'
import { isDiscordUrl, isSlackUrl, type Destination } from '../notification-types'
import { channelOf, CHANNELS, configBody, hasSaved, initialValues, type ConfigField, type ConfigValues } from '../destination-channels'

// Implicit TLS listens on 465, STARTTLS on 587: switching the mode moves a port still at the other default.
const SMTP_PORTS: Record<string, string> = { tls: '465', starttls: '587', auto: '587', none: '587' }

function webhookKind(url: string): string {
  if (isDiscordUrl(url)) return 'Discord webhook detected: alerts are sent as embeds.'
  if (isSlackUrl(url)) return 'Slack webhook detected.'
  return url
    ? 'Other URL: alerts are POSTed as JSON {title, message, severity}.'
    : 'Discord and Slack URLs are auto-detected for rich formatting.'
}

export function DestinationForm({ destination, onClose }: { destination: Destination | null; onClose: (saved: boolean) => void }) {
  const [type, setType] = useState(destination?.channel_type ?? 'webhook')
  const channel = channelOf(type)
  const [values, setValues] = useState<ConfigValues>(() => initialValues(channel, destination?.config))
  const [name, setName] = useState(destination?.display_name ?? '')
  const [enabled, setEnabled] = useState(destination?.enabled ?? true)
  const [error, setError] = useState<Error | string | undefined>()

  const changeType = (next: string) => {
    setType(next)
    setValues(initialValues(channelOf(next)))
    setError(undefined)
  }
  const setValue = (key: string, value: string) =>
    setValues((v) => {
      const next = { ...v, [key]: value }
      if (type === 'email' && key === 'tls_mode' && v.port === SMTP_PORTS[v.tls_mode ?? '']) next.port = SMTP_PORTS[value] ?? v.port ?? ''
      return next
    })

  const save = async (e: Event) => {
    e.preventDefault()
    setError(undefined)
    const config = configBody(channel, values, Boolean(destination))
    const body: Record<string, unknown> = { display_name: name.trim(), enabled }
    if (!destination) body.channel_type = type
    // A new destination always sends config (the API words what is missing); an edit only when something is in it.
    if (!destination || Object.keys(config).length > 0) body.config = config
    try {
      if (destination) await put(`/api/v1/notifications/destinations/${destination.id}`, body)
      else await post('/api/v1/notifications/destinations', body)
      onClose(true)
    } catch (err) {
      setError(asFailure(err))
    }
  }

  return (
    <Modal title={destination ? `Edit ${destination.display_name}` : 'Add Destination'} onClose={() => onClose(false)}>
      <form onSubmit={save} noValidate>
        <Field label="Channel type" hint={destination ? 'The type of a saved destination cannot be changed.' : undefined}>
          <select name="channel_type" value={type} disabled={Boolean(destination)} onChange={(e) => changeType(e.currentTarget.value)}>
            {CHANNELS.map((c) => (
              <option value={c.type}>{c.label}</option>
            ))}
          </select>
        </Field>
        <Field label="Display Name" required>
          <input
            name="display_name"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            required
            maxLength={100}
            autoFocus
            placeholder="Ops alerts"
          />
        </Field>
        {channel.fields.map((f) => (
          <ConfigInput
            key={`${type}.${f.key}`}
            field={f}
            value={values[f.key] ?? ''}
            saved={hasSaved(f, destination?.config)}
            onChange={(v) => setValue(f.key, v)}
          />
        ))}
        <label class="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} /> Enabled
        </label>
        <p class="field-hint">Fields marked * are required.</p>
        {/* Next to Save, not at the top: a long form (e-mail) would scroll the message out of sight. */}
        <ErrorNote error={error} />
        <div class="actions">
          <button type="button" class="button" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="submit" class="button button-primary">
            Save
          </button>
        </div>
      </form>
    </Modal>
  )
}

function ConfigInput({
  field: f,
  value,
  saved,
  onChange
}: {
  field: ConfigField
  value: string
  saved: boolean
  onChange: (value: string) => void
}) {
  const keepHint = saved ? 'Leave empty to keep the saved value.' : undefined
  const hint = [keepHint, f.key === 'url' ? webhookKind(value) : f.hint].filter(Boolean).join(' ')
  const input = (e: { currentTarget: HTMLInputElement | HTMLSelectElement }) => onChange(e.currentTarget.value)
  return (
    <Field label={f.label} required={f.required} hint={hint || undefined}>
      {f.input === 'select' ? (
        <select name={f.key} value={value} onChange={input}>
          {f.options?.map(([v, text]) => (
            <option value={v}>{text}</option>
          ))}
        </select>
      ) : (
        <input
          name={f.key}
          // Preact types each input type's attributes apart; these five all take the same ones.
          type={f.input as 'text'}
          value={value}
          onInput={input}
          required={f.required && !saved}
          min={f.min}
          max={f.max}
          // Secrets: never let the browser offer the sign-in password here.
          autoComplete={f.input === 'password' ? 'new-password' : 'off'}
          placeholder={saved ? 'unchanged' : f.placeholder}
        />
      )}
    </Field>
  )
}
