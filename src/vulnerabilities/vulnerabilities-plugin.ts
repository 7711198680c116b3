// The vulnerabilities feature as one plugin: its routes, the background import runner, and the
// listener that recomputes a host's exposure when a report changed its packages. Recomputes run one
// after another (a burst of reports queues instead of running hundreds of matches at once).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { recomputeHostExposure, type ExposureDeps } from './exposure-service.js'
import { ImportJobs } from './import-jobs.js'
import { uploadRoutes } from './upload-routes.js'
import { vulnerabilityRoutes } from './vulnerability-routes.js'

declare module 'fastify' {
  interface FastifyInstance {
    vulnerabilityImports: ImportJobs
    /** Exposure recomputes triggered by reports: `settled()` resolves once the queue is empty. */
    vulnerabilityExposure: { settled(): Promise<void> }
  }
}

async function vulnerabilitiesPlugin(app: FastifyInstance): Promise<void> {
  const deps: ExposureDeps = { store: app.store, events: app.events, log: app.log }
  let queue: Promise<void> = Promise.resolve()
  app.events.on('host_packages_changed', ({ hostId }) => {
    queue = queue
      .then(() => recomputeHostExposure(deps, hostId))
      .then(
        () => undefined,
        (err: unknown) => app.log.error({ err, hostId }, 'vulnerability exposure recompute failed')
      )
  })
  const imports = new ImportJobs(deps)
  app.decorate('vulnerabilityImports', imports)
  app.decorate('vulnerabilityExposure', {
    async settled() {
      let seen: Promise<void>
      do {
        seen = queue
        await seen
      } while (seen !== queue)
    }
  })
  app.addHook('onClose', async () => {
    await imports.settled()
    await queue
  })
  await app.register(vulnerabilityRoutes)
  await app.register(uploadRoutes())
}

export default fp(vulnerabilitiesPlugin, {
  name: 'vulnerabilities',
  dependencies: ['app-context', 'session-auth', 'rate-limits', 'audit', 'hosts']
})
