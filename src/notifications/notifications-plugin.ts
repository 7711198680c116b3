// Wires the notifications feature: the delivery service (app.notifications), one listener per
// notifiable event, the host-down check, log retention and outbox sweep timers, routing of
// event_outbox rows left by the previous run and re-queueing of pending deliveries on start, a
// brief queue drain on close, and the routes.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { checkHostsDown } from './host-down-monitor.js'
import { NotificationService } from './notification-service.js'
import { routeEvent, routeOutboxLeftovers, ROUTED_EVENTS } from './event-routing.js'
import { destinationRoutes } from './destination-routes.js'
import { routeRuleRoutes } from './route-rule-routes.js'
import { deliveryLogRoutes } from './delivery-log-routes.js'
import { findDestination } from './destination-store.js'

declare module 'fastify' {
  interface FastifyInstance {
    notifications: NotificationService
  }
}

export const HOST_DOWN_TIMER = 'notifications:host-down-check'
export const LOG_RETENTION_TIMER = 'notifications:log-retention'
export const OUTBOX_SWEEP_TIMER = 'notifications:outbox-sweep'
/** A live listener records its deliveries within milliseconds; older rows are its failures. */
export const OUTBOX_SWEEP_AGE_MS = 60_000

/** Deletes finished deliveries older than the retention setting; pending ones are never pruned. */
export async function pruneDeliveryLog(app: FastifyInstance): Promise<number> {
  const days = await app.settings.get('notification_log_retention_days')
  const cutoff = new Date(app.notifications.now().getTime() - Math.max(1, Number(days)) * 86_400_000).toISOString()
  const result = await app.store.db
    .deleteFrom('notification_deliveries')
    .where('status', 'in', ['sent', 'failed'])
    .where('created_at', '<', cutoff)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

async function notificationsPlugin(app: FastifyInstance): Promise<void> {
  const service = new NotificationService(app.store.db, app.secretBox, app.log)
  app.decorate('notifications', service)
  app.auditLabels.set('destination', async (id) => (await findDestination(app.store.db, app.secretBox, id))?.displayName)
  // Environment and dashboard setting both widen the policy; read per request, so a saved setting applies at once.
  service.http.policy = async () => ({
    allowPrivateNetworks: app.config.notifyAllowPrivateNetworks || (await app.settings.get('notify_allow_private_networks')) === true,
    allowedTargets: [...app.config.notifyAllowedTargets, ...((await app.settings.get('notify_allowed_targets')) ?? [])]
  })

  for (const name of ROUTED_EVENTS) {
    // `name` is a union inside the loop, so TypeScript cannot pair it with its payload type; the bus
    // guarantees the pairing (listener registered under the same name), hence the cast.
    app.events.on(name, (payload, meta) => service.track(routeEvent(app, service, name, payload as never, meta)))
  }

  // Set by the first check after start, from the same (injectable) clock.
  let watchingSince: Date | undefined
  app.timers.add({
    name: HOST_DOWN_TIMER,
    everyMs: 60_000,
    runOnStart: true,
    run: async () => {
      const now = service.now()
      watchingSince ??= now
      await service.track(checkHostsDown(app.store.db, app.settings, app.events, now, watchingSince))
    }
  })
  app.timers.add({
    name: LOG_RETENTION_TIMER,
    everyMs: 6 * 3_600_000,
    runOnStart: true,
    run: () => pruneDeliveryLog(app).then(() => undefined)
  })
  app.timers.add({
    name: OUTBOX_SWEEP_TIMER,
    everyMs: 60_000,
    run: async () => {
      await service.track(routeOutboxLeftovers(app, service, new Date(service.now().getTime() - OUTBOX_SWEEP_AGE_MS)))
    }
  })

  app.addHook('onReady', async () => {
    // Outbox first: the deliveries it records are queued once, requeuePending skips queued keys.
    await service.track(routeOutboxLeftovers(app, service))
    await service.requeuePending()
  })
  app.addHook('onClose', async () => {
    await service.close()
  })

  await app.register(destinationRoutes)
  await app.register(routeRuleRoutes)
  await app.register(deliveryLogRoutes)
}

export default fp(notificationsPlugin, { name: 'notifications', dependencies: ['app-context', 'session-auth', 'audit'] })
