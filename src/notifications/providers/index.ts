// The one list of destination types. A "webhook" destination picks its format from the URL.
import type { Provider, ProviderConfig } from './provider.js'
import { discordProvider } from './discord.js'
import { slackProvider } from './slack.js'
import { genericWebhookProvider } from './generic-webhook.js'
import { ntfyProvider } from './ntfy.js'
import { gotifyProvider } from './gotify.js'
import { emailProvider } from './email.js'
import { telegramProvider } from './telegram.js'
import { pushoverProvider } from './pushover.js'
import { matrixProvider } from './matrix.js'
import { appriseProvider } from './apprise.js'
import { detectWebhookFormat, type WebhookConfig } from './webhook-config.js'

export const CHANNEL_TYPES = ['webhook', 'ntfy', 'gotify', 'email', 'telegram', 'pushover', 'matrix', 'apprise'] as const
export type ChannelType = (typeof CHANNEL_TYPES)[number]

// Each provider is typed by its own config; the list holds them by the common shape (the casts
// only widen the config parameter, which parseConfig produced for that same provider).
const BY_CHANNEL: Record<Exclude<ChannelType, 'webhook'>, Provider> = {
  ntfy: ntfyProvider as unknown as Provider,
  gotify: gotifyProvider as unknown as Provider,
  email: emailProvider as unknown as Provider,
  telegram: telegramProvider as unknown as Provider,
  pushover: pushoverProvider as unknown as Provider,
  matrix: matrixProvider as unknown as Provider,
  apprise: appriseProvider as unknown as Provider
}

const WEBHOOK_FORMATS: Record<ReturnType<typeof detectWebhookFormat>, Provider> = {
  discord: discordProvider as unknown as Provider,
  slack: slackProvider as unknown as Provider,
  generic: genericWebhookProvider as unknown as Provider
}

export function isChannelType(value: string): value is ChannelType {
  return (CHANNEL_TYPES as readonly string[]).includes(value)
}

/** The provider that sends for a destination; for webhooks it depends on the URL. */
export function providerFor(channelType: ChannelType, config?: ProviderConfig): Provider {
  if (channelType === 'webhook') {
    const url = (config as WebhookConfig | undefined)?.url
    return WEBHOOK_FORMATS[url ? detectWebhookFormat(url) : 'generic']
  }
  return BY_CHANNEL[channelType]
}
