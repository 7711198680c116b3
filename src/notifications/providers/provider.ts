// The one small interface every destination type implements (Uptime Kuma style): parse and check
// a config, describe it without secrets, send a notice. Registered in providers/index.ts.
import type { Notice } from '../notice.js'
import type { OutboundHttp } from '../outbound-http.js'

export type ProviderConfig = Record<string, unknown>

/** Where the hosted services with a fixed API address (Telegram, Pushover) are reached. */
export interface ServiceEndpoints {
  telegram: string
  pushover: string
}

/**
 * The real addresses. No setting, route or environment variable changes them: only a test, in
 * process, points NotificationService.endpoints at its local receiver.
 */
export const SERVICE_ENDPOINTS: Readonly<ServiceEndpoints> = Object.freeze({
  telegram: 'https://api.telegram.org',
  pushover: 'https://api.pushover.net'
})

export interface SendContext {
  http: OutboundHttp
  /** The delivery row being attempted: generic webhooks send it so receivers can drop repeats. */
  deliveryId?: string
  /** SERVICE_ENDPOINTS unless a test replaced them. */
  endpoints?: ServiceEndpoints
}

export interface SendResult {
  /** Remote status code when there was one (HTTP status, SMTP reply code). */
  status: number | null
}

export interface Provider<C extends ProviderConfig = ProviderConfig> {
  /** The format name shown to users (discord, slack, webhook, ntfy, gotify, email, telegram, pushover, matrix, apprise). */
  name: string
  /** Checks a create/update body's config; `previous` keeps secrets the update left out. Throws ApiError. */
  parseConfig(input: Record<string, unknown>, previous?: C): C
  /** The config as the API shows it: secrets masked or reduced to "is set" flags. */
  describe(config: C): Record<string, unknown>
  /** Delivers or throws DeliveryError. */
  send(config: C, notice: Notice, ctx: SendContext): Promise<SendResult>
}
