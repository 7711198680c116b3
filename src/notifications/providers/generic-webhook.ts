// Any other URL gets plain JSON with at least {title, message, severity}. With a signing secret the
// receiver can check X-PatchMon-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes>.
// X-PatchMon-Delivery carries the delivery's id, the same on every retry: delivery is at least
// once (a crash after the receiver accepted but before the row was marked sent sends it again),
// so a receiver that must not act twice can drop ids it has seen.
import { createHmac } from 'node:crypto'
import type { Notice } from '../notice.js'
import { postOrThrow } from './delivery-http.js'
import type { Provider } from './provider.js'
import { slackText } from './slack.js'
import { describeWebhookConfig, parseWebhookConfig, type WebhookConfig } from './webhook-config.js'

export const SIGNATURE_HEADER = 'X-PatchMon-Signature'
export const DELIVERY_HEADER = 'X-PatchMon-Delivery'

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`
}

export function genericBody(notice: Notice): Record<string, unknown> {
  if (notice.kind === 'alert') {
    return {
      title: notice.title,
      message: notice.message,
      severity: notice.severity,
      event_type: notice.eventType,
      fields: notice.fields,
      text: slackText(notice),
      timestamp: notice.timestamp,
      ...(notice.link ? { app_link: notice.link } : {})
    }
  }
  return {
    title: notice.subject,
    message: notice.text,
    severity: 'informational',
    event_type: 'scheduled_report',
    kind: 'scheduled_report',
    subject: notice.subject,
    html: notice.html,
    ...(notice.csv ? { csv: notice.csv.content } : {}),
    timestamp: notice.timestamp
  }
}

export const genericWebhookProvider: Provider<WebhookConfig> = {
  name: 'webhook',
  parseConfig: parseWebhookConfig,
  describe: describeWebhookConfig,
  async send(config, notice, ctx) {
    const body = JSON.stringify(genericBody(notice))
    const headers: Record<string, string> = { ...config.headers, 'content-type': 'application/json' }
    if (config.signing_secret) headers[SIGNATURE_HEADER] = signBody(body, config.signing_secret)
    if (ctx.deliveryId) headers[DELIVERY_HEADER] = ctx.deliveryId
    return postOrThrow(ctx.http, { url: config.url, headers, body })
  }
}
