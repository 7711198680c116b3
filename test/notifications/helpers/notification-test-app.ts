// A test app whose outbound notification traffic goes to a local recording receiver, acting as
// the HTTP proxy (HTTP_PROXY), so `http://discord.com/api/webhooks/…` URLs reach it with their
// real host name and path: format detection runs as in production, nothing leaves loopback.
// Retry back-off and timeouts are shortened; time is driven through app.notifications.now.
import type { Test } from 'tap'
import { bearer, buildTestApp, type TestApp, type TestAppOptions } from '../../helpers/test-app.js'
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js'
import { createHost } from '../../../src/hosts/host-service.js'

export interface NotificationTestApp extends TestApp {
  receiver: WebhookReceiver
  auth: { authorization: string }
  restartNotifications(): Promise<NotificationTestApp>
}

export const DISCORD_URL = 'http://discord.com/api/webhooks/1234567890/secretTOKENabcdefghijklmnop'
export const SLACK_URL = 'http://hooks.slack.com/services/T000/B000/slackSECRETxxxxxxxx'
export const GENERIC_URL = 'http://hooks.example.net/patchmon/genericSECRET123456'

function tune(ctx: TestApp): void {
  const svc = ctx.app.notifications
  svc.options.retryBaseMs = 20
  svc.options.maxRetryDelayMs = 400
  // Generous for loaded CI machines; the timeout test sets its own short one.
  svc.http.timeoutMs = 3_000
}

export async function buildNotificationTestApp(
  t: Test,
  receiver?: WebhookReceiver,
  options: TestAppOptions = {}
): Promise<NotificationTestApp> {
  const rx = receiver ?? (await startWebhookReceiver())
  if (!receiver) t.teardown(() => rx.close())
  process.env.HTTP_PROXY = rx.url
  process.env.HTTPS_PROXY = rx.url
  process.env.NO_PROXY = ''
  const wrap = (ctx: TestApp): NotificationTestApp => {
    tune(ctx)
    return {
      ...ctx,
      receiver: rx,
      auth: bearer(ctx.adminToken),
      async restartNotifications() {
        return wrap(await ctx.restart())
      }
    }
  }
  // The local SMTP receiver listens on loopback, which the outbound policy blocks by default.
  return wrap(await buildTestApp(t, { ...options, env: { PATCHMON_NOTIFY_ALLOWED_TARGETS: '127.0.0.1', ...options.env } }))
}

export async function addDestination(
  ctx: NotificationTestApp,
  url: string,
  extra: Record<string, unknown> = {},
  displayName = 'Ops'
): Promise<string> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/notifications/destinations',
    headers: ctx.auth,
    payload: { channel_type: 'webhook', display_name: displayName, config: { url, ...extra } }
  })
  if (res.statusCode !== 201) throw new Error(`destination: ${res.statusCode} ${res.body}`)
  return res.json().id as string
}

export async function addRule(ctx: NotificationTestApp, destinationId: string, rule: Record<string, unknown> = {}): Promise<string> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/notifications/routes',
    headers: ctx.auth,
    payload: { destination_id: destinationId, event_types: ['*'], min_severity: 'informational', ...rule }
  })
  if (res.statusCode !== 201) throw new Error(`rule: ${res.statusCode} ${res.body}`)
  return res.json().id as string
}

export async function deliveryLog(ctx: NotificationTestApp, query = ''): Promise<Array<Record<string, unknown>>> {
  const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/notifications/delivery-log${query}`, headers: ctx.auth })
  if (res.statusCode !== 200) throw new Error(`log: ${res.statusCode} ${res.body}`)
  return res.json().deliveries
}

export async function insertHost(ctx: TestApp, name: string, lastUpdate: Date | null): Promise<string> {
  const { host } = await createHost(ctx.store.db, { friendlyName: name })
  await ctx.store.db
    .updateTable('hosts')
    .set({ last_update: lastUpdate?.toISOString() ?? null, status: lastUpdate ? 'active' : 'pending' })
    .where('id', '=', host.id)
    .execute()
  return host.id
}

/** Polls the newest delivery until it matches (bounded: 200 × 10 ms); for states between attempts. */
export async function waitForNewestDelivery(
  ctx: NotificationTestApp,
  matches: (row: Record<string, unknown>) => boolean
): Promise<Record<string, unknown> | undefined> {
  for (let i = 0; i < 200; i++) {
    const [row] = await deliveryLog(ctx)
    if (row && matches(row)) return row
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return undefined
}
