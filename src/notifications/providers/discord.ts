// Discord incoming webhooks: one embed per notice, colour by severity, limits respected by
// truncation (title 256, description 4096, 25 fields, name 256, value 1024, 6000 in total),
// mentions disabled, CSV reports uploaded as a file (multipart payload_json + files[0]).
import { loadUndici } from '../../http/load-undici.js'
import type { Notice, NoticeField } from '../notice.js'
import { htmlToText } from '../html-text.js'
import { postOrThrow, truncate } from './delivery-http.js'
import type { Provider } from './provider.js'
import { describeWebhookConfig, parseWebhookConfig, type WebhookConfig } from './webhook-config.js'

export const SEVERITY_COLOURS: Record<string, number> = {
  critical: 15548997,
  error: 15105570,
  warning: 16776960,
  informational: 3447003
}
export const OTHER_COLOUR = 9807270

const LIMIT = { title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024, footer: 2048, total: 6000 }
const FOOTER = 'PatchMon'

export function severityColour(severity: string): number {
  return SEVERITY_COLOURS[severity] ?? OTHER_COLOUR
}

interface Embed {
  title: string
  description: string
  color: number
  fields: Array<{ name: string; value: string; inline: boolean }>
  footer: { text: string }
  timestamp: string
}

function embed(title: string, description: string, color: number, fields: NoticeField[], timestamp: string): Embed {
  const safeTitle = truncate(title || 'PatchMon', LIMIT.title)
  const safeFields = fields.slice(0, LIMIT.fields).map((f) => ({
    name: truncate(f.name || '-', LIMIT.fieldName),
    value: truncate(f.value || '-', LIMIT.fieldValue),
    inline: f.inline ?? true
  }))
  const used = safeTitle.length + FOOTER.length + safeFields.reduce((n, f) => n + f.name.length + f.value.length, 0)
  // The description gives way first so the whole embed stays under Discord's 6000-character cap.
  const room = Math.max(1, Math.min(LIMIT.description, LIMIT.total - used))
  return {
    title: safeTitle,
    description: truncate(description || '_No message_', room),
    color,
    fields: safeFields,
    footer: { text: FOOTER },
    timestamp
  }
}

export function discordBody(notice: Notice): Record<string, unknown> {
  const base = { username: 'PatchMon', allowed_mentions: { parse: [] as string[] } }
  if (notice.kind === 'alert') {
    const fields = notice.link
      ? [...notice.fields.slice(0, LIMIT.fields - 1), { name: 'View in PatchMon', value: `[Open](${notice.link})`, inline: false }]
      : notice.fields
    return { ...base, embeds: [embed(notice.title, notice.message, severityColour(notice.severity), fields, notice.timestamp)] }
  }
  const body: Record<string, unknown> = {
    ...base,
    embeds: [embed(notice.subject, htmlToText(notice.html), severityColour('informational'), [], notice.timestamp)]
  }
  if (notice.csv) body.attachments = [{ id: 0, filename: notice.csv.filename }]
  return body
}

export const discordProvider: Provider<WebhookConfig> = {
  name: 'discord',
  parseConfig: parseWebhookConfig,
  describe: describeWebhookConfig,
  async send(config, notice, ctx) {
    const body = discordBody(notice)
    // A 404 means the webhook was deleted in Discord: retrying cannot help.
    const options = { finalStatuses: [401, 403, 404] }
    if (notice.kind === 'report' && notice.csv) {
      const { FormData } = await loadUndici()
      const form = new FormData()
      form.append('payload_json', JSON.stringify(body))
      form.append('files[0]', new Blob([notice.csv.content], { type: 'text/csv' }), notice.csv.filename)
      return postOrThrow(ctx.http, { url: config.url, headers: config.headers, body: form }, options)
    }
    return postOrThrow(
      ctx.http,
      { url: config.url, headers: { ...config.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) },
      options
    )
  }
}
