// Pushover: POST https://api.pushover.net/1/messages.json, form-encoded, with the application token
// and the user (or group) key, title (250), message (1024) and the dashboard link as url (512).
// The priority follows the alert's severity unless one is set; emergency (2) is not offered, since
// it needs retry/expire and an acknowledgement the appliance cannot give.
import { badRequest } from '../../http/errors.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import { noticeSeverity, noticeTitle } from '../notice.js'
import { keptSecret, optionalInteger, optionalString } from './config-fields.js'
import { postOrThrow, truncate } from './delivery-http.js'
import { fitLines, noticeLines, plainText } from './rich-lines.js'
import { SERVICE_ENDPOINTS, type Provider } from './provider.js'
import { jsonReply, withHint } from './service-replies.js'

export interface PushoverConfig extends Record<string, unknown> {
  app_token: string
  user_key: string
  device?: string
  priority?: number
}

const ERRORS = ERROR_MESSAGES.notificationPresets
export const PUSHOVER_LIMITS = { title: 250, message: 1024, url: 512, urlTitle: 100 }
/** -1 quiet, 0 normal, 1 high (bypasses quiet hours). */
export const PUSHOVER_PRIORITY: Record<string, number> = { critical: 1, error: 1, warning: 0, informational: -1 }
const KEY = /^[A-Za-z0-9]{30}$/
const DEVICES = /^[A-Za-z0-9_-]{1,25}(,[A-Za-z0-9_-]{1,25})*$/

/** Pushover answers every refusal with 4xx and {errors: [...]}, naming the field it did not accept. */
export function describePushoverReply(status: number, body: string): string {
  const reply = jsonReply<{ errors?: unknown; token?: string; user?: string }>(body)
  const errors = Array.isArray(reply?.errors) ? reply.errors.filter((e): e is string => typeof e === 'string').join('; ') : ''
  if (reply?.token === 'invalid')
    return withHint(errors || 'application token is invalid', 'copy the API token from your application page again')
  if (reply?.user === 'invalid') return withHint(errors || 'user key is invalid', 'copy the user key from the Pushover dashboard again')
  if (status === 429) return withHint(errors || 'Too Many Requests', 'the application has used up its monthly message allowance')
  return errors || body
}

function requiredKey(input: Record<string, unknown>, key: string, previous: string | undefined, required: string, invalid: string): string {
  const value = keptSecret(input, key, previous)
  if (!value) throw badRequest(required)
  if (!KEY.test(value)) throw badRequest(invalid)
  return value
}

export const pushoverProvider: Provider<PushoverConfig> = {
  name: 'pushover',
  parseConfig(input, previous) {
    const token = requiredKey(
      input,
      'app_token',
      previous?.app_token,
      ERRORS.pushoverTokenRequired.message,
      ERRORS.pushoverTokenInvalid.message
    )
    const user = requiredKey(input, 'user_key', previous?.user_key, ERRORS.pushoverUserRequired.message, ERRORS.pushoverUserInvalid.message)
    const device = 'device' in input ? optionalString(input, 'device', 300)?.replace(/\s+/g, '') : previous?.device
    if (device && !DEVICES.test(device)) throw badRequest(ERRORS.pushoverDeviceInvalid.message)
    const priority = 'priority' in input ? optionalInteger(input, 'priority', -2, 1) : previous?.priority
    return {
      app_token: token,
      user_key: user,
      ...(device ? { device } : {}),
      ...(priority !== undefined ? { priority } : {})
    }
  },
  describe: (c) => ({ has_app_token: true, has_user_key: true, device: c.device ?? null, priority: c.priority ?? null }),
  async send(config, notice, ctx) {
    const base = ctx.endpoints?.pushover ?? SERVICE_ENDPOINTS.pushover
    // The title goes in its own field and the link in `url`: the message holds the rest.
    const lines = noticeLines(notice)
      .slice(1)
      .filter((line) => !line.some((run) => run.href))
    while (lines.length > 0 && lines[lines.length - 1]!.length === 0) lines.pop()
    const sentAt = Math.floor(Date.parse(notice.timestamp) / 1000)
    const form = new URLSearchParams({
      token: config.app_token,
      user: config.user_key,
      title: truncate(noticeTitle(notice), PUSHOVER_LIMITS.title),
      message: plainText(fitLines(lines, PUSHOVER_LIMITS.message)) || '-',
      priority: String(config.priority ?? PUSHOVER_PRIORITY[noticeSeverity(notice)] ?? 0)
    })
    if (Number.isFinite(sentAt)) form.set('timestamp', String(sentAt))
    if (config.device) form.set('device', config.device)
    if (notice.kind === 'alert' && notice.link && notice.link.length <= PUSHOVER_LIMITS.url) {
      form.set('url', notice.link)
      form.set('url_title', 'Open in PatchMon')
    }
    return postOrThrow(
      ctx.http,
      {
        url: `${base}/1/messages.json`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString()
      },
      { describeReply: describePushoverReply, secrets: [config.app_token, config.user_key] }
    )
  }
}
