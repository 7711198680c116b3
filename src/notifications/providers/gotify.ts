// Gotify: POST <server>/message with the application token in X-Gotify-Key.
import { noticeSeverity, noticeTitle } from '../notice.js'
import { httpUrl, keptSecret, optionalInteger, requiredString } from './config-fields.js'
import { badRequest } from '../../http/errors.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import { postOrThrow, truncate } from './delivery-http.js'
import { noticeText } from './ntfy.js'
import type { Provider } from './provider.js'

export interface GotifyConfig extends Record<string, unknown> {
  server_url: string
  app_token: string
  priority?: number
}

const CONFIG_ERRORS = ERROR_MESSAGES.notificationDestinations
const PRIORITY: Record<string, number> = { critical: 10, error: 8, warning: 5, informational: 2 }

export const gotifyProvider: Provider<GotifyConfig> = {
  name: 'gotify',
  parseConfig(input, previous) {
    const server =
      'server_url' in input || !previous
        ? requiredString(input, 'server_url', CONFIG_ERRORS.gotifyServerRequired.message)
        : previous.server_url
    const token = keptSecret(input, 'app_token', previous?.app_token)
    if (!token) throw badRequest(CONFIG_ERRORS.gotifyTokenRequired.message)
    const priority = 'priority' in input ? optionalInteger(input, 'priority', 0, 10) : previous?.priority
    return {
      server_url: httpUrl(server, CONFIG_ERRORS.gotifyServerInvalid.message).replace(/\/+$/, ''),
      app_token: token,
      ...(priority !== undefined ? { priority } : {})
    }
  },
  describe: (c) => ({ server_url: c.server_url, has_app_token: true, priority: c.priority ?? null }),
  async send(config, notice, ctx) {
    const body = {
      title: truncate(noticeTitle(notice), 250),
      message: truncate(noticeText(notice), 60_000),
      priority: config.priority ?? PRIORITY[noticeSeverity(notice)] ?? 5
    }
    return postOrThrow(ctx.http, {
      url: `${config.server_url}/message`,
      headers: { 'content-type': 'application/json', 'x-gotify-key': config.app_token },
      body: JSON.stringify(body)
    })
  }
}
