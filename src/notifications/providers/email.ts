// SMTP e-mail through nodemailer: alerts as text, reports as HTML with the CSV attached.
// tls_mode: starttls (upgrade required), tls (implicit TLS, port 465), none (plain), auto
// (upgrade when offered). SMTP reply codes 4xx are retried, 5xx are final. The SMTP host is
// under the same outbound policy as webhooks (a local relay needs the allow-list).
import { badRequest } from '../../http/errors.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import type { Notice } from '../notice.js'
import { noticeTitle } from '../notice.js'
import { keptSecret, optionalInteger, optionalString, requiredString } from './config-fields.js'
import { DeliveryError, truncate } from './delivery-http.js'
import { TargetBlockedError } from '../target-policy.js'
import { noticeText } from './ntfy.js'
import type { Provider } from './provider.js'

export interface EmailConfig extends Record<string, unknown> {
  host: string
  port: number
  username?: string
  password?: string
  from: string
  from_name?: string
  to: string[]
  tls_mode: 'starttls' | 'tls' | 'none' | 'auto'
}

const CONFIG_ERRORS = ERROR_MESSAGES.notificationDestinations
const TLS_MODES = ['starttls', 'tls', 'none', 'auto'] as const
const ADDRESS = /^[^\s@<>]+@[^\s@<>]+$/

function addresses(value: unknown): string[] {
  const list = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : []
  const out = list.map((v) => (typeof v === 'string' ? v.trim() : '')).filter(Boolean)
  if (out.length === 0 || out.length > 50 || !out.every((a) => ADDRESS.test(a))) throw badRequest(CONFIG_ERRORS.emailRecipients.message)
  return out
}

function rendered(notice: Notice): { text: string; html?: string } {
  return notice.kind === 'report' ? { text: notice.text, html: notice.html } : { text: noticeText(notice) }
}

export const emailProvider: Provider<EmailConfig> = {
  name: 'email',
  parseConfig(input, previous) {
    const tls = (optionalString(input, 'tls_mode') ?? previous?.tls_mode ?? 'starttls') as EmailConfig['tls_mode']
    if (!TLS_MODES.includes(tls)) throw badRequest(CONFIG_ERRORS.emailTlsMode.message)
    const from = 'from' in input || !previous ? requiredString(input, 'from', CONFIG_ERRORS.emailFromRequired.message, 320) : previous.from
    if (!ADDRESS.test(from)) throw badRequest(CONFIG_ERRORS.emailFromInvalid.message)
    const username = 'username' in input ? optionalString(input, 'username', 320) : previous?.username
    const password = keptSecret(input, 'password', previous?.password)
    const fromName = 'from_name' in input ? optionalString(input, 'from_name', 200) : previous?.from_name
    return {
      host: 'host' in input || !previous ? requiredString(input, 'host', CONFIG_ERRORS.emailHostRequired.message, 255) : previous.host,
      port: optionalInteger(input, 'port', 1, 65535) ?? previous?.port ?? (tls === 'tls' ? 465 : 587),
      from,
      to: 'to' in input || !previous ? addresses(input.to) : previous.to,
      tls_mode: tls,
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
      ...(fromName ? { from_name: fromName } : {})
    }
  },
  describe: (c) => ({
    host: c.host,
    port: c.port,
    username: c.username ?? null,
    has_password: Boolean(c.password),
    from: c.from,
    from_name: c.from_name ?? null,
    to: c.to,
    tls_mode: c.tls_mode
  }),
  async send(config, notice, ctx) {
    // The outbound policy covers SMTP too; connecting to the checked address closes the rebinding
    // window, and TLS still checks the certificate against the configured name.
    let target
    try {
      target = await ctx.http.pinHost(config.host)
    } catch (err) {
      if (err instanceof TargetBlockedError) throw new DeliveryError(err.message, null, false)
      throw new DeliveryError(`SMTP error: cannot resolve ${config.host} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, null, true)
    }
    const { default: nodemailer } = await import('nodemailer') // loaded on first use
    const transport = nodemailer.createTransport({
      host: target.address,
      ...(target.address !== config.host ? { tls: { servername: config.host } } : {}),
      port: config.port,
      secure: config.tls_mode === 'tls',
      requireTLS: config.tls_mode === 'starttls',
      ignoreTLS: config.tls_mode === 'none',
      ...(config.username ? { auth: { user: config.username, pass: config.password ?? '' } } : {}),
      connectionTimeout: ctx.http.timeoutMs,
      greetingTimeout: ctx.http.timeoutMs,
      socketTimeout: ctx.http.timeoutMs
    })
    try {
      const { text, html } = rendered(notice)
      await transport.sendMail({
        from: config.from_name ? { name: config.from_name, address: config.from } : config.from,
        to: config.to,
        subject: truncate(noticeTitle(notice), 250),
        text,
        ...(html ? { html } : {}),
        ...(notice.kind === 'report' && notice.csv
          ? { attachments: [{ filename: notice.csv.filename, content: notice.csv.content, contentType: 'text/csv' }] }
          : {})
      })
      return { status: 250 }
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode ?? null
      const message = err instanceof Error ? err.message : String(err)
      const line = truncate(`SMTP ${code ?? 'error'}: ${message.replace(/\s+/g, ' ')}`, 500)
      throw new DeliveryError(config.password ? line.split(config.password).join('[redacted]') : line, code, code === null || code < 500)
    } finally {
      transport.close()
    }
  }
}
