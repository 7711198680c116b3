// GET /metrics in Prometheus text format: request counts and latency by route, reports ingested,
// hosts by status, SQLite size, plus Node process metrics. Features add their own series through
// `app.metrics` (a per-app registry, so several apps in one test process never collide).
// Always behind a bearer token: PATCHMON_METRICS_TOKEN, or the one generated into
// <data dir>/metrics-token (Prometheus reads it with `authorization: credentials_file`).
// Per-host series are opt-in (PATCHMON_METRICS_PER_HOST, host-metrics.ts).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { existsSync, statSync } from 'node:fs'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import { unauthorized } from '../http/errors.js'
import { safeEqual } from '../security/secret-hashing.js'
import { hostCountsByStatus } from '../hosts/fleet-stats-queries.js'
import type { CveCountsSource } from '../trends/cve-source.js'
import { registerHostMetrics } from './host-metrics.js'

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry
  }
}

const REPORT_ROUTE = '/api/v1/hosts/update'

export interface MetricsOptions {
  /** Open CVEs per host for the per-host series (absent: that series is omitted). */
  cveCountsByHost?: CveCountsSource | undefined
}

async function metricsPlugin(app: FastifyInstance, opts: MetricsOptions): Promise<void> {
  const registry = new Registry()
  registry.setDefaultLabels({ service: 'patchmon' })
  collectDefaultMetrics({ register: registry, prefix: 'patchmon_' })
  app.decorate('metrics', registry)

  const requests = new Counter({
    name: 'patchmon_http_requests_total',
    help: 'HTTP requests by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry]
  })
  const latency = new Histogram({
    name: 'patchmon_http_request_duration_seconds',
    help: 'HTTP request latency by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry]
  })
  const reports = new Counter({ name: 'patchmon_reports_ingested_total', help: 'Agent reports accepted', registers: [registry] })

  new Gauge({
    name: 'patchmon_hosts',
    help: 'Hosts by status (pending = never reported, active = reporting, inactive = overdue)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const counts = await hostCountsByStatus(app.store.db, await app.settings.get('update_interval'))
      for (const [status, n] of Object.entries(counts)) this.set({ status }, n)
    }
  })
  new Gauge({
    name: 'patchmon_sqlite_size_bytes',
    help: 'Size of the database file plus its write-ahead log',
    registers: [registry],
    collect() {
      const wal = `${app.store.file}-wal`
      const main = existsSync(app.store.file) ? statSync(app.store.file).size : 0
      this.set(main + (existsSync(wal) ? statSync(wal).size : 0))
    }
  })

  if (app.config.metricsPerHost) registerHostMetrics(app, registry, opts.cveCountsByHost)

  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL: bounded label cardinality and no ids or secrets.
    const route = request.routeOptions.url ?? 'unmatched'
    if (route === '/metrics') return
    requests.inc({ method: request.method, route, status_code: String(reply.statusCode) })
    latency.observe({ method: request.method, route }, reply.elapsedTime / 1000)
    if (route === REPORT_ROUTE && reply.statusCode === 200) reports.inc()
  })

  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const header = request.headers.authorization ?? ''
    const given = header.startsWith('Bearer ') ? header.slice(7) : ''
    if (!safeEqual(given, app.config.metricsToken)) throw unauthorized()
    reply.type(registry.contentType)
    return registry.metrics()
  })
}

export default fp(metricsPlugin, { name: 'metrics', dependencies: ['app-context'] })
