// Slack (and Slack-compatible Mattermost / Rocket.Chat) incoming webhooks: one mrkdwn text message.
// User-derived text is escaped (&, <, >) so names cannot inject links or mentions.
import type { Notice } from '../notice.js'
import { postOrThrow, truncate } from './delivery-http.js'
import type { Provider } from './provider.js'
import { describeWebhookConfig, parseWebhookConfig, type WebhookConfig } from './webhook-config.js'

const TEXT_LIMIT = 12_000
const EMOJI = new Map([
  ['critical', '🔴'],
  ['error', '🟠'],
  ['warning', '🟡']
])

export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

export function slackText(notice: Notice): string {
  if (notice.kind === 'report') return `*${slackEscape(notice.subject)}*\n\n${slackEscape(notice.text)}`
  const lines = notice.fields.map((f) => `*${slackEscape(f.name)}:* ${slackEscape(f.value)}`)
  const link = notice.link ? `\n<${notice.link}|View in PatchMon>` : ''
  return `${EMOJI.get(notice.severity) ?? '🟢'} *${slackEscape(notice.title)}*\n\n${slackEscape(notice.message)}\n\n${lines.join('\n')}${link}`
}

export const slackProvider: Provider<WebhookConfig> = {
  name: 'slack',
  parseConfig: parseWebhookConfig,
  describe: describeWebhookConfig,
  async send(config, notice, ctx) {
    const body = { text: truncate(slackText(notice), TEXT_LIMIT), username: 'PatchMon', icon_emoji: ':bell:' }
    return postOrThrow(ctx.http, {
      url: config.url,
      headers: { ...config.headers, 'content-type': 'application/json' },
      body: JSON.stringify(body)
    })
  }
}
