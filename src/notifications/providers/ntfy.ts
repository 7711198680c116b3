// ntfy (ntfy.sh or self-hosted): JSON publish to the server root with topic, title, message and a
// priority from the severity. Access token or user/password optional.
import type { Notice } from '../notice.js'
import { noticeSeverity, noticeTitle } from '../notice.js'
import { httpUrl, keptSecret, maskUrl, optionalInteger, optionalString, requiredString } from './config-fields.js'
import { postOrThrow, truncate } from './delivery-http.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import type { Provider } from './provider.js'

export interface NtfyConfig extends Record<string, unknown> {
  server_url: string
  topic: string
  token?: string
  username?: string
  password?: string
  priority?: number
}

const CONFIG_ERRORS = ERROR_MESSAGES.notificationDestinations
const PRIORITY: Record<string, number> = { critical: 5, error: 4, warning: 3, informational: 2 }
// ntfy turns messages over 4096 bytes into attachments; stay under it.
const MESSAGE_LIMIT = 3900

export function noticeText(notice: Notice): string {
  if (notice.kind === 'report') return notice.text
  return [notice.message, ...notice.fields.map((f) => `${f.name}: ${f.value}`)].join('\n')
}

export const ntfyProvider: Provider<NtfyConfig> = {
  name: 'ntfy',
  parseConfig(input, previous) {
    const server = optionalString(input, 'server_url') ?? previous?.server_url ?? 'https://ntfy.sh'
    const topic =
      'topic' in input || !previous ? requiredString(input, 'topic', CONFIG_ERRORS.ntfyTopicRequired.message, 256) : previous.topic
    const priority = 'priority' in input ? optionalInteger(input, 'priority', 1, 5) : previous?.priority
    const token = keptSecret(input, 'token', previous?.token)
    const username = 'username' in input ? optionalString(input, 'username', 256) : previous?.username
    const password = keptSecret(input, 'password', previous?.password)
    return {
      server_url: httpUrl(server, CONFIG_ERRORS.ntfyServerInvalid.message).replace(/\/+$/, ''),
      topic,
      ...(token ? { token } : {}),
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
      ...(priority ? { priority } : {})
    }
  },
  describe: (c) => ({
    server_url: maskUrl(c.server_url) === '••••' ? '••••' : c.server_url,
    topic: `${c.topic.slice(0, 3)}••••`,
    username: c.username ?? null,
    has_token: Boolean(c.token),
    has_password: Boolean(c.password),
    priority: c.priority ?? null
  }),
  async send(config, notice, ctx) {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (config.token) headers.authorization = `Bearer ${config.token}`
    else if (config.username && config.password)
      headers.authorization = `Basic ${Buffer.from(`${config.username}:${config.password}`).toString('base64')}`
    const body = {
      topic: config.topic,
      title: truncate(noticeTitle(notice), 250),
      message: truncate(noticeText(notice), MESSAGE_LIMIT),
      priority: config.priority ?? PRIORITY[noticeSeverity(notice)] ?? 3,
      tags: [notice.kind === 'alert' ? notice.eventType : 'scheduled_report']
    }
    return postOrThrow(ctx.http, { url: `${config.server_url}/`, headers, body: JSON.stringify(body) })
  }
}
