// The vulnerabilities feature as one plugin: its routes, the background import runner, and the
// listener that recomputes a host's exposure when a report changed its packages. Recomputes run one
// after another (a burst of reports queues instead of running hundreds of matches at once).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { recomputeHostExposure, type ExposureDeps } from './exposure-service.js'
import { ImportJobs } from './import-jobs.js'
import { downloadRoutes } from './download-routes.js'
import { FeedSchedule } from './feed-schedule.js'
import { uploadRoutes } from './upload-routes.js'
import { vulnerabilityRoutes } from './vulnerability-routes.js'

declare module 'fastify' {
  interface FastifyInstance {
    vulnerabilityImports: ImportJobs
    /** Exposure recomputes triggered by reports: `settled()` resolves once the queue is empty. */
    vulnerabilityExposure: { settled(): Promise<void> }
    /** The scheduled feed download (off by default); tests call tick() or runRound(). */
    vulnerabilityDownloads: FeedSchedule
  }
}

export const FEED_DOWNLOAD_TIMER = 'vulnerabilities:feed-download'
/** How often the timer looks whether a download is due; the interval itself is a setting in hours. */
const FEED_DOWNLOAD_CHECK_MS = 10 * 60_000

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
  // The notifications' outbound HTTP: the same SSRF policy, allowed targets and proxy for feed downloads.
  const schedule = new FeedSchedule({ db: app.store.db, settings: app.settings, http: () => app.notifications.http, imports, log: app.log })
  app.decorate('vulnerabilityDownloads', schedule)
  app.timers.add({
    name: FEED_DOWNLOAD_TIMER,
    everyMs: FEED_DOWNLOAD_CHECK_MS,
    runOnStart: true,
    run: () => schedule.tick().then(() => undefined)
  })
  app.addHook('onClose', async () => {
    await schedule.close()
    await imports.settled()
    await queue
  })
  await app.register(vulnerabilityRoutes)
  await app.register(uploadRoutes())
  await app.register(downloadRoutes(schedule))
}

export default fp(vulnerabilitiesPlugin, {
  name: 'vulnerabilities',
  dependencies: ['app-context', 'session-auth', 'rate-limits', 'audit', 'hosts', 'notifications']
})
