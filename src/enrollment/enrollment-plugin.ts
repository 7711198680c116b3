// Auto-enrollment (enroll, bulk enroll, served scripts) and agent installation (install script,
// bootstrap exchange, removal script). Token administration lives with the integration tokens.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { BootstrapTokenStore } from './bootstrap-tokens.js'
import { readScriptAsset, type ScriptReader } from './served-scripts.js'
import { enrollRoutes } from './enroll-routes.js'
import { scriptRoutes } from './script-routes.js'
import { installRoutes } from './install-routes.js'

export interface EnrollmentClock {
  now: () => Date
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Time source of the daily cap, notes and bootstrap expiry; tests replace `now`. */
    enrollmentClock: EnrollmentClock
    /** Reads served shell files by asset key; tests point it at fixtures. */
    scriptReader: ScriptReader
    bootstrapTokens: BootstrapTokenStore
  }
}

async function enrollment(app: FastifyInstance): Promise<void> {
  const clock: EnrollmentClock = { now: () => new Date() }
  app.decorate('enrollmentClock', clock)
  app.decorate('scriptReader', readScriptAsset)
  app.decorate('bootstrapTokens', new BootstrapTokenStore(app.secretBox, () => clock.now().getTime()))
  await app.register(enrollRoutes)
  await app.register(scriptRoutes)
  await app.register(installRoutes)
}

export default fp(enrollment, { name: 'enrollment', dependencies: ['app-context', 'rate-limits', 'session-auth'] })
