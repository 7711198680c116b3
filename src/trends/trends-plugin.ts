// Trends (docs/trends.md): the daily snapshot and its retention (one timer, hourly, also at
// start), the report hook behind "last patched" and "mean time to patch", and the read routes.
// `cveCountsByHost` is the optional "CVEs open" source (cve-source.ts); without it that figure is NULL.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { CveCountsSource } from './cve-source.js'
import { dailyTrendsTick } from './daily-snapshot.js'
import { recordIngestedReport } from './report-hook.js'
import { trendRoutes } from './trend-routes.js'

export const TRENDS_TIMER = 'trends:daily'
const TICK_EVERY_MS = 60 * 60_000

export interface TrendsOptions {
  cveCountsByHost?: CveCountsSource | undefined
}

export interface TrendsService {
  /** The trends clock: snapshot days, report-hook times and read windows (tests move it). */
  now: () => Date
  cveCountsByHost: CveCountsSource | undefined
  /** Resolves once every report-hook write started so far has finished (close and tests wait on it). */
  settled: () => Promise<void>
}

declare module 'fastify' {
  interface FastifyInstance {
    trends: TrendsService
  }
}

async function trendsPlugin(app: FastifyInstance, opts: TrendsOptions): Promise<void> {
  const pending = new Set<Promise<void>>()
  const trends: TrendsService = {
    now: () => new Date(),
    cveCountsByHost: opts.cveCountsByHost,
    settled: async () => {
      await Promise.allSettled([...pending])
    }
  }
  app.decorate('trends', trends)
  app.events.on('host_report_ingested', (report) => {
    const write = recordIngestedReport(app.store.db, report, trends.now()).finally(() => pending.delete(write))
    pending.add(write)
    return write
  })
  app.addHook('onClose', () => trends.settled())
  app.timers.add({
    name: TRENDS_TIMER,
    everyMs: TICK_EVERY_MS,
    runOnStart: true,
    run: async () => {
      const retention = Math.max(1, Number(await app.settings.get('trend_retention_days')) || 1)
      const outcome = await dailyTrendsTick(app.store.db, trends.now(), retention, trends.cveCountsByHost)
      if (outcome.snapshot)
        app.log.info({ day: outcome.snapshot.day, hosts: outcome.snapshot.hosts, pruned: outcome.pruned }, 'trend snapshot taken')
    }
  })
  await app.register(trendRoutes)
}

export default fp(trendsPlugin, { name: 'trends', dependencies: ['app-context', 'session-auth', 'rate-limits', 'audit', 'hosts'] })
