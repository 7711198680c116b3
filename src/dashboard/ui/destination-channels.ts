// The destination types the API accepts (POST /api/v1/notifications/destinations) and the config
// fields of each, as the Add Destination form shows them; the body the form sends; the short
// non-secret line a list row shows.
import type { Destination } from './notification-types'
import { PRESET_CHANNELS } from './destination-presets'
import type { Channel, ConfigField } from './channel-fields'

export type { Channel, ConfigField } from './channel-fields'

const PRIORITY_HINT = 'Empty: chosen from the alert severity.'

const BUILT_IN: Channel[] = [
  {
    type: 'webhook',
    label: 'Webhook (Discord, Slack, any URL)',
    fields: [
      { key: 'url', label: 'Webhook URL', input: 'url', required: true, kept: true, placeholder: 'https://discord.com/api/webhooks/…' },
      {
        key: 'signing_secret',
        label: 'Signing secret',
        input: 'password',
        kept: 'has_signing_secret',
        hint: 'Optional: generic JSON bodies then carry an X-PatchMon-Signature HMAC-SHA256.'
      }
    ]
  },
  {
    type: 'ntfy',
    label: 'ntfy',
    fields: [
      { key: 'server_url', label: 'ntfy server URL', input: 'url', initial: 'https://ntfy.sh', placeholder: 'https://ntfy.sh' },
      {
        key: 'topic',
        label: 'Topic',
        input: 'text',
        required: true,
        kept: true,
        placeholder: 'patchmon-alerts',
        hint: 'Anyone who knows a topic on ntfy.sh can read it: pick a hard-to-guess name.'
      },
      { key: 'token', label: 'Access token', input: 'password', kept: 'has_token', hint: 'Optional; or a username and password below.' },
      { key: 'username', label: 'Username', input: 'text' },
      { key: 'password', label: 'Password', input: 'password', kept: 'has_password' },
      { key: 'priority', label: 'Priority (1–5)', input: 'number', min: 1, max: 5, hint: PRIORITY_HINT }
    ]
  },
  {
    type: 'gotify',
    label: 'Gotify',
    fields: [
      { key: 'server_url', label: 'Gotify server URL', input: 'url', required: true, placeholder: 'https://gotify.example.com' },
      {
        key: 'app_token',
        label: 'Application token',
        input: 'password',
        required: true,
        kept: 'has_app_token',
        hint: 'From Gotify → Apps → create an application.'
      },
      { key: 'priority', label: 'Priority (0–10)', input: 'number', min: 0, max: 10, hint: PRIORITY_HINT }
    ]
  },
  {
    type: 'email',
    label: 'E-mail (SMTP)',
    fields: [
      { key: 'host', label: 'SMTP host', input: 'text', required: true, placeholder: 'smtp.example.com' },
      {
        key: 'tls_mode',
        label: 'Encryption',
        input: 'select',
        initial: 'starttls',
        options: [
          ['starttls', 'STARTTLS (required)'],
          ['tls', 'TLS (implicit, port 465)'],
          ['auto', 'STARTTLS when offered'],
          ['none', 'None (plain text)']
        ]
      },
      { key: 'port', label: 'SMTP port', input: 'number', initial: '587', min: 1, max: 65535 },
      { key: 'username', label: 'SMTP username', input: 'text', hint: 'Empty: send without authentication.' },
      { key: 'password', label: 'SMTP password', input: 'password', kept: 'has_password' },
      { key: 'from', label: 'From address', input: 'email', required: true, placeholder: 'patchmon@example.com' },
      { key: 'from_name', label: 'From name', input: 'text', placeholder: 'PatchMon' },
      {
        key: 'to',
        label: 'Recipients',
        input: 'text',
        required: true,
        placeholder: 'ops@example.com, admin@example.com',
        hint: 'One or more addresses, separated by commas.'
      }
    ]
  }
]

export const CHANNELS: Channel[] = [...BUILT_IN, ...PRESET_CHANNELS]

export const channelOf = (type: string): Channel => CHANNELS.find((c) => c.type === type) ?? CHANNELS[0]!

export type ConfigValues = Record<string, string>

/** What the form starts with: defaults for a new destination, the saved non-secret values on edit. */
export function initialValues(channel: Channel, saved?: Record<string, unknown>): ConfigValues {
  const values: ConfigValues = {}
  for (const f of channel.fields) {
    const v = saved?.[f.key]
    values[f.key] = !saved
      ? (f.initial ?? '')
      : f.kept
        ? ''
        : Array.isArray(v)
          ? v.join(', ')
          : typeof v === 'string' || typeof v === 'number'
            ? String(v)
            : ''
  }
  return values
}

/** Whether a kept field has a saved value on the server (shown as an "unchanged" placeholder). */
export function hasSaved(field: ConfigField, saved?: Record<string, unknown>): boolean {
  if (!saved || !field.kept) return false
  return field.kept === true || saved[field.key] === true || saved[field.kept] === true
}

/**
 * The config to send. A new destination gets every filled field (the API fills its defaults); an
 * edit sends the shown fields as they are (empty clears an optional one) and a secret only when
 * typed, so the saved one is kept. Numbers go as numbers; the API words any range error.
 */
export function configBody(channel: Channel, values: ConfigValues, editing: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  for (const f of channel.fields) {
    const v = (values[f.key] ?? '').trim()
    if (!v && (!editing || f.kept)) continue
    body[f.key] = f.input === 'number' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : v
  }
  return body
}

/** A short line for the list row: where alerts go, without secrets. */
export function destinationSummary(d: Destination): string {
  const c = d.config ?? {}
  const text = (k: string) => (typeof c[k] === 'string' ? (c[k] as string) : '')
  switch (d.channel_type) {
    case 'ntfy':
      return `topic ${text('topic')} on ${text('server_url')}`
    case 'gotify':
      return text('server_url')
    case 'telegram':
      return `chat ${text('chat_id')}${typeof c.message_thread_id === 'number' ? `, topic ${c.message_thread_id}` : ''}`
    case 'pushover':
      return text('device') ? `devices ${text('device')}` : 'all devices'
    case 'matrix':
      return `${text('room_id')} on ${text('homeserver_url')}`
    case 'apprise':
      return c.mode === 'stateful' ? `key ${text('key')} on ${text('server_url')}` : `URLs on ${text('server_url')}`
    case 'email': {
      const to = Array.isArray(c.to) ? c.to.join(', ') : ''
      return `${text('host')}${typeof c.port === 'number' ? `:${c.port}` : ''} → ${to}`
    }
    default:
      return text('url')
  }
}
