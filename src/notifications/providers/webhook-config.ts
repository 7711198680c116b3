// The "Webhook" channel: a URL (sealed at rest), optional custom headers and an optional signing
// secret. Which format is sent is decided from the URL alone (spec troubleshooting section).
import { badRequest } from '../../http/errors.js'
import { ERROR_MESSAGES, fillMessage } from '../../http/error-messages.js'
import { httpUrl, keptSecret, maskUrl, requiredString } from './config-fields.js'

export interface WebhookConfig extends Record<string, unknown> {
  url: string
  headers: Record<string, string>
  signing_secret?: string
}

export type WebhookFormat = 'discord' | 'slack' | 'generic'

const DISCORD_HOSTS = new Set(['discord.com', 'discordapp.com', 'www.discord.com'])
// Mattermost / Rocket.Chat style: a `hooks` segment followed by one or two long tokens.
const SLACK_COMPATIBLE_PATH = /\/hooks\/[A-Za-z0-9_-]{15,}(\/[A-Za-z0-9_-]{15,})?\/?$/

/**
 * Discord: hostname discord.com, discordapp.com or www.discord.com AND a path containing
 * /api/webhooks/, whatever the scheme. Slack: hooks.slack.com/services/…, or a Slack-compatible
 * hooks path (not Atlassian automation). Anything else: generic JSON.
 */
export function detectWebhookFormat(url: string): WebhookFormat {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return 'generic'
  }
  const host = parsed.hostname.toLowerCase()
  if (DISCORD_HOSTS.has(host) && parsed.pathname.includes('/api/webhooks/')) return 'discord'
  if (host === 'hooks.slack.com' && parsed.pathname.startsWith('/services/')) return 'slack'
  if (!host.endsWith('atlassian.net') && !host.endsWith('atlassian.com') && SLACK_COMPATIBLE_PATH.test(parsed.pathname)) return 'slack'
  return 'generic'
}

const CONFIG_ERRORS = ERROR_MESSAGES.notificationDestinations

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/

function parseHeaders(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value)) throw badRequest(CONFIG_ERRORS.headersNotObject.message)
  const out: Record<string, string> = {}
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (!HEADER_NAME.test(name) || typeof v !== 'string' || v.length > 4096 || /[\r\n]/.test(v)) {
      throw badRequest(fillMessage(CONFIG_ERRORS.invalidHeader, { name: name.slice(0, 100) }))
    }
    out[name] = v
  }
  return out
}

export function parseWebhookConfig(input: Record<string, unknown>, previous?: WebhookConfig): WebhookConfig {
  const url =
    'url' in input || !previous
      ? httpUrl(requiredString(input, 'url', CONFIG_ERRORS.webhookUrlRequired.message, 2048), CONFIG_ERRORS.webhookUrlInvalid.message)
      : previous.url
  const headers = 'headers' in input || !previous ? parseHeaders(input.headers) : previous.headers
  const signing = keptSecret(input, 'signing_secret', previous?.signing_secret)
  return { url, headers, ...(signing ? { signing_secret: signing } : {}) }
}

export function describeWebhookConfig(config: WebhookConfig): Record<string, unknown> {
  return {
    url: maskUrl(config.url),
    format: detectWebhookFormat(config.url),
    header_names: Object.keys(config.headers),
    has_signing_secret: Boolean(config.signing_secret)
  }
}
