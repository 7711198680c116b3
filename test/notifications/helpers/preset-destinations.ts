// Shared by the preset tests: values that look like each service's credentials (so a leak is easy
// to search for), adding a destination of any type, and the secrets-nowhere check.
import type { Test } from 'tap'
import type { NotificationTestApp } from './notification-test-app.js'

export const TELEGRAM_TOKEN = '123456789:AAHsecretTELEGRAMtoken_abcdefghij'
export const PUSHOVER_TOKEN = 'apptokenSECRETpushover12345678'
export const PUSHOVER_USER = 'userkeySECRETpushover123456789'
export const MATRIX_TOKEN = 'syt_bWF0cml4_SECRETmatrixTOKEN_0123'
export const APPRISE_URLS = 'tgram://123:SECRETappriseTOKEN/456, mailtos://user:SECRETappPASS@example.com'
/** A fragment of every secret above: none may appear in a log line, the database or a reply. */
export const SECRET_PATTERN = /secretTELEGRAM|SECRETpushover|SECRETmatrix|SECRETapprise|SECRETappPASS/

/** The account_locked event with a user name full of markup, to check each format's escaping. */
export const MARKUP_USER = '<b>bob</b> & "co"'
export const LOCKED = { username: MARKUP_USER, ip: '203.0.113.9', failures: 5, lockedUntil: '2026-04-24T12:30:00.000Z' }

export async function addPreset(
  ctx: NotificationTestApp,
  channelType: string,
  config: Record<string, unknown>,
  displayName = 'Preset'
): Promise<string> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/notifications/destinations',
    headers: ctx.auth,
    payload: { channel_type: channelType, display_name: displayName, config }
  })
  if (res.statusCode !== 201) throw new Error(`destination: ${res.statusCode} ${res.body}`)
  return res.json().id as string
}

/** No secret in the log lines, any notification table (as stored) or the destinations list. */
export async function expectNoSecretAnywhere(t: Test, ctx: NotificationTestApp): Promise<void> {
  const leaked = ctx.logs.filter((l) => SECRET_PATTERN.test(l))
  t.same(leaked, [], 'no log line holds a secret')
  const destinations = await ctx.store.db.selectFrom('notification_destinations').selectAll().execute()
  t.ok(destinations.length > 0 && destinations.every((d) => d.config.startsWith('enc:v1:')), 'configs sealed at rest')
  t.notMatch(JSON.stringify(destinations), SECRET_PATTERN, 'no secret in notification_destinations')
  const deliveries = await ctx.store.db.selectFrom('notification_deliveries').selectAll().execute()
  t.notMatch(JSON.stringify(deliveries), SECRET_PATTERN, 'no secret in notification_deliveries (payloads, error messages)')
  const list = await ctx.app.inject({ method: 'GET', url: '/api/v1/notifications/destinations', headers: ctx.auth })
  t.notMatch(list.body, SECRET_PATTERN, 'the API shows no secret')
}
