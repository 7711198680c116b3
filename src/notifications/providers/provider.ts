// The one small interface every destination type implements (Uptime Kuma style): parse and check
// a config, describe it without secrets, send a notice. Registered in providers/index.ts.
import type { Notice } from '../notice.js'
import type { OutboundHttp } from '../outbound-http.js'

export type ProviderConfig = Record<string, unknown>

export interface SendContext {
  http: OutboundHttp
  /** The delivery row being attempted: generic webhooks send it so receivers can drop repeats. */
  deliveryId?: string
}

export interface SendResult {
  /** Remote status code when there was one (HTTP status, SMTP reply code). */
  status: number | null
}

export interface Provider<C extends ProviderConfig = ProviderConfig> {
  /** The format name shown to users (discord, slack, webhook, ntfy, gotify, email). */
  name: string
  /** Checks a create/update body's config; `previous` keeps secrets the update left out. Throws ApiError. */
  parseConfig(input: Record<string, unknown>, previous?: C): C
  /** The config as the API shows it: secrets masked or reduced to "is set" flags. */
  describe(config: C): Record<string, unknown>
  /** Delivers or throws DeliveryError. */
  send(config: C, notice: Notice, ctx: SendContext): Promise<SendResult>
}
