// Per-host gauges on /metrics (opt-in: PATCHMON_METRICS_PER_HOST=true; docs/configuration.md).
// Labels: `host_id` (the host's id: unique and stable across renames, so a series is one host for
// its whole life) and `host` (its friendly name, for people reading Grafana; friendly names are
// not unique, so the id is what keeps two same-named hosts apart). Both are fixed per host, so the
// cardinality is one series per host per metric: 10,000 hosts = 40,000-50,000 series.
// Hosts that never reported have no seconds-since-report series; without a CVE source the CVE
// series is not exposed at all. Every series is rebuilt per scrape, so a deleted host disappears.
import type { FastifyInstance } from 'fastify'
import { Gauge, type Registry } from 'prom-client'
import { hostListRows } from '../hosts/host-read-queries.js'
import type { CveCountsSource } from '../trends/cve-source.js'

const LABELS = ['host_id', 'host'] as const

type HostRows = Awaited<ReturnType<typeof hostListRows>>['rows']

export const HOST_METRIC_NAMES = {
  outdated: 'patchmon_host_outdated_packages',
  security: 'patchmon_host_security_updates',
  reboot: 'patchmon_host_reboot_required',
  cves: 'patchmon_host_cves_open',
  sinceReport: 'patchmon_host_seconds_since_last_report'
} as const

export function registerHostMetrics(app: FastifyInstance, registry: Registry, cveCountsByHost: CveCountsSource | undefined): void {
  // One read per scrape, shared by the gauges: each collect() awaits the same promise.
  let scrape: { at: number; rows: Promise<HostRows>; cves: Promise<Map<string, number> | undefined> } | undefined
  const current = () => {
    const now = Date.now()
    if (!scrape || now - scrape.at > 1_000) {
      scrape = {
        at: now,
        rows: hostListRows(app.store.db, undefined).then((r) => r.rows),
        cves: cveCountsByHost ? cveCountsByHost(app.store.db) : Promise.resolve(undefined)
      }
    }
    return scrape
  }
  const gauge = (name: string, help: string, value: (row: HostRows[number], cves: Map<string, number> | undefined) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: LABELS,
      registers: [registry],
      async collect() {
        const { rows, cves } = current()
        const [hosts, counts] = await Promise.all([rows, cves])
        this.reset()
        for (const row of hosts) {
          const v = value(row, counts)
          if (v !== null) this.set({ host_id: row.id, host: row.friendly_name }, v)
        }
      }
    })

  gauge(HOST_METRIC_NAMES.outdated, 'Packages with an update available, per host', (r) => r.outdated_packages)
  gauge(HOST_METRIC_NAMES.security, 'Packages with a security update available, per host', (r) => r.security_updates)
  gauge(HOST_METRIC_NAMES.reboot, '1 when the host reports that it needs a reboot, per host', (r) => (r.needs_reboot === 1 ? 1 : 0))
  // No series while the source has no data (no feed imported yet): absent, not a claim of zero.
  if (cveCountsByHost) gauge(HOST_METRIC_NAMES.cves, 'Open CVEs affecting the host', (r, cves) => (cves ? (cves.get(r.id) ?? 0) : null))
  gauge(HOST_METRIC_NAMES.sinceReport, 'Seconds since the host last reported (absent until its first report)', (r) =>
    r.last_update === null ? null : Math.max(0, Math.round((Date.now() - Date.parse(r.last_update)) / 1000))
  )
}
