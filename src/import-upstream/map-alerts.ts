// Upstream notification destinations, routing rules, settings and patch policies to ours. A
// destination config is checked by our own provider (the same parse a dashboard save goes through);
// one whose secrets stay locked (no --env-file) is imported disabled with a placeholder to re-enter.
import { providerFor, isChannelType, type ChannelType } from '../notifications/providers/index.js'
import type { ProviderConfig } from '../notifications/providers/provider.js'
import { canonicalEventName } from '../notifications/event-catalog.js'
import { SEVERITIES } from '../notifications/notice.js'
import type { Severity } from '../events/app-events.js'
import { ApiError } from '../http/errors.js'
import type { SettingValues } from '../settings/settings-store.js'
import { BUILTIN_ROLES } from '../users/permissions.js'
import type { UpstreamDestination, UpstreamRoute } from './read-alerts.js'
import type { UpstreamSettings } from './read-accounts.js'
import { readUpstreamSecret, type UpstreamKeys } from './upstream-secrets.js'

export interface MappedDestination {
  upstreamId: string
  channelType: ChannelType
  displayName: string
  config: ProviderConfig
  enabled: boolean
  note?: string
}

/** Upstream's per-channel keys under our names (email: smtp_host/smtp_port, use_tls). */
function ourConfigInput(channel: ChannelType, stored: Record<string, unknown>): Record<string, unknown> {
  // Go writes an unset map or string as null; our parsers read an absent key as "not set".
  const config = Object.fromEntries(Object.entries(stored).filter(([, v]) => v !== null && v !== ''))
  if (channel !== 'email') return config
  const { smtp_host, smtp_port, use_tls, tls_mode, allow_insecure_auth: _unused, ...rest } = config
  const mode = typeof tls_mode === 'string' && tls_mode ? tls_mode : use_tls === true ? 'tls' : 'starttls'
  return { ...rest, host: smtp_host, port: typeof smtp_port === 'string' ? Number(smtp_port) : smtp_port, tls_mode: mode }
}

/** What a destination whose secrets cannot be read holds until someone re-enters them. */
const PLACEHOLDERS: Record<ChannelType, Record<string, unknown>> = {
  webhook: { url: 'https://re-enter.invalid/' },
  ntfy: { server_url: 'https://re-enter.invalid', topic: 're-enter' },
  gotify: { server_url: 'https://re-enter.invalid', app_token: 're-enter' },
  email: { host: 're-enter.invalid', from: 're-enter@example.invalid', to: ['re-enter@example.invalid'] },
  telegram: { bot_token: '0:re-enter-re-enter-re-enter-re-enter', chat_id: '0' },
  pushover: { app_token: 'reenterreenterreenterreenterre', user_key: 'reenterreenterreenterreenterre' },
  matrix: { homeserver_url: 'https://re-enter.invalid', access_token: 're-enter-token', room_id: '!re-enter:re-enter.invalid' },
  apprise: { server_url: 'https://re-enter.invalid', key: 're-enter' }
}

export function mapDestination(d: UpstreamDestination, keys: UpstreamKeys | undefined): MappedDestination | { skipped: string } {
  const what = `notification destination "${d.display_name}"`
  if (d.channel_type === 'internal')
    return { skipped: `${what}: upstream's in-app alerts have no counterpart here (alerts go to the destinations you set up)` }
  if (!isChannelType(d.channel_type)) return { skipped: `${what}: channel type "${d.channel_type}" does not exist here` }
  const channel = d.channel_type
  const secret = readUpstreamSecret(d.config_encrypted || '{}', keys, what)
  const base = { upstreamId: d.id, channelType: channel, displayName: d.display_name }
  if (secret.kind === 'locked') {
    return {
      ...base,
      config: providerFor(channel).parseConfig(PLACEHOLDERS[channel]),
      enabled: false,
      note: `${what}: imported disabled; its settings are encrypted upstream and no --env-file was given, so re-enter them`
    }
  }
  try {
    const parsed: unknown = JSON.parse(secret.value)
    const input = ourConfigInput(channel, parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {})
    const config = providerFor(channel, input).parseConfig(input)
    return { ...base, config, enabled: d.enabled !== false }
  } catch (err) {
    const reason = err instanceof ApiError ? err.message : 'its settings are not valid JSON'
    return { skipped: `${what}: not accepted here (${reason})` }
  }
}

export interface MappedRoute {
  destinationUpstreamId: string
  eventTypes: string[]
  minSeverity: Severity
  hostGroupUpstreamIds: string[]
  enabled: boolean
  notes: string[]
}

const asStrings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [])

export function mapRoute(r: UpstreamRoute, describe: string): MappedRoute | { skipped: string } {
  const notes: string[] = []
  const events: string[] = []
  for (const name of asStrings(r.event_types ?? ['*'])) {
    const canonical = canonicalEventName(name)
    if (canonical) events.push(canonical)
    else notes.push(`${describe}: event "${name}" does not exist here and was dropped`)
  }
  if (events.length === 0) return { skipped: `${describe}: none of its events exist here` }
  let enabled = r.enabled !== false
  // Narrowing we cannot express must not widen into "every host": such a rule comes over disabled.
  if (asStrings(r.host_ids).length > 0 || (r.match_rules && typeof r.match_rules === 'object' && Object.keys(r.match_rules).length > 0)) {
    if (enabled) notes.push(`${describe}: limited to single hosts or match rules, which rules here cannot express; imported disabled`)
    enabled = false
  }
  const severity = SEVERITIES.find((known) => known === r.min_severity) ?? 'informational'
  return {
    destinationUpstreamId: r.destination_id,
    eventTypes: events,
    minSeverity: severity,
    hostGroupUpstreamIds: asStrings(r.host_group_ids),
    enabled,
    notes
  }
}

export interface MappedSettings {
  values: Partial<SettingValues>
  notes: string[]
}

const UPSTREAM_DEFAULT_SERVER_URL = 'http://localhost:3000'

export function mapSettings(s: UpstreamSettings): MappedSettings {
  const values: Partial<SettingValues> = {}
  const notes: string[] = []
  const url = typeof s['server_url'] === 'string' ? s['server_url'] : ''
  if (url && url !== UPSTREAM_DEFAULT_SERVER_URL) values.server_url = url.replace(/\/+$/, '')
  const interval = Number(s['update_interval'])
  if (Number.isInteger(interval) && interval > 0) {
    values.update_interval = Math.min(1440, Math.max(5, interval))
    if (values.update_interval !== interval)
      notes.push(`setting update_interval ${interval} min is outside 5-1440 here; set to ${values.update_interval}`)
  }
  if (typeof s['auto_update'] === 'boolean') values.auto_update = s['auto_update']
  if (typeof s['signup_enabled'] === 'boolean') values.signup_enabled = s['signup_enabled']
  const role = s['default_user_role']
  if (typeof role === 'string' && role in BUILTIN_ROLES) values.default_user_role = role
  if (s['ai_enabled'] === true) notes.push('AI assistant settings are not carried over (no AI assistant here)')
  if (s['timezone']) notes.push(`timezone ${String(s['timezone'])} is not carried over (the appliance uses its TZ)`)
  return { values, notes }
}

export interface MappedDiscord {
  enabled: boolean
  clientId: string | null
  clientSecret: string | null
  redirectUri: string | null
  buttonText: string | null
  note?: string
}

export function mapDiscord(s: UpstreamSettings, keys: UpstreamKeys | undefined): MappedDiscord | undefined {
  const clientId = typeof s['discord_client_id'] === 'string' ? s['discord_client_id'] : null
  const enabled = s['discord_oauth_enabled'] === true
  if (!clientId && !enabled) return undefined
  const stored = typeof s['discord_client_secret'] === 'string' ? s['discord_client_secret'] : ''
  const secret = stored ? readUpstreamSecret(stored, keys, 'the Discord client secret') : undefined
  const locked = secret?.kind === 'locked'
  return {
    enabled: enabled && !locked,
    clientId,
    clientSecret: secret && secret.kind !== 'locked' ? secret.value : null,
    redirectUri: typeof s['discord_redirect_uri'] === 'string' ? s['discord_redirect_uri'] : null,
    buttonText: typeof s['discord_button_text'] === 'string' ? s['discord_button_text'] : null,
    ...(locked
      ? {
          note: 'Discord sign-in imported off: its client secret is encrypted upstream and no --env-file was given; re-enter it under Settings'
        }
      : {})
  }
}
