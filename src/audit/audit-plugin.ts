// The audit feature as one plugin. Registered before every other feature, so its onRoute hook
// sees all their routes (audit-hooks.ts). Features that own a kind of target register a label
// lookup in app.auditLabels; the retention timer prunes entries older than the setting.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { installAuditHooks, type AuditLabelLookup, type DeclaredRoute } from './audit-hooks.js'
import { auditRoutes } from './audit-routes.js'
import { pruneAuditLog } from './audit-service.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Target type -> a lookup of its display name by id (e.g. 'host' -> friendly name). */
    auditLabels: Map<string, AuditLabelLookup>
    /** Every POST/PUT/PATCH/DELETE route with its audit declaration (checked by a test). */
    auditDeclaredRoutes: readonly DeclaredRoute[]
  }
}

export const AUDIT_RETENTION_TIMER = 'audit:retention'

async function auditPlugin(app: FastifyInstance): Promise<void> {
  const labels = new Map<string, AuditLabelLookup>()
  const declared: DeclaredRoute[] = []
  app.decorate('auditLabels', labels)
  app.decorate('auditDeclaredRoutes', declared)
  installAuditHooks(app, labels, declared)
  app.timers.add({
    name: AUDIT_RETENTION_TIMER,
    everyMs: 6 * 3_600_000,
    runOnStart: true,
    run: async () => {
      const pruned = await pruneAuditLog(app)
      if (pruned > 0) app.log.info({ pruned }, 'audit log entries past retention removed')
    }
  })
  await app.register(auditRoutes)
}

export default fp(auditPlugin, { name: 'audit', dependencies: ['app-context', 'session-auth', 'rate-limits'] })
