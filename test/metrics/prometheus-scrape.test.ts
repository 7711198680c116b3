// A real Prometheus (Debian's package) scrapes /metrics with the scrape config docs/trends.md
// shows, and evaluates every PromQL expression of the Grafana dashboard against what it scraped:
// the dashboard's queries parse, run, and the per-host series answer with the expected values.
import t from 'tap'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildTestApp } from '../helpers/test-app.js'
import { agentReport, createHostViaApi, postReport } from '../helpers/agent-fixtures.js'
import { freePort } from '../packaging/run-binary.js'

const ROOT = join(__dirname, '..', '..')
const missing = spawnSync('prometheus', ['--version']).status === 0 ? false : 'prometheus is not installed (apt-get install prometheus)'

interface PromReply {
  status: string
  error?: string
  data: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] }
}

/** The scrape config of docs/trends.md, verbatim but for where the server and the token are. */
function documentedScrapeConfig(target: string, tokenFile: string): string {
  const doc = readFileSync(join(ROOT, 'docs', 'trends.md'), 'utf8')
  const block = /```yaml\n(scrape_configs:[\s\S]*?)```/.exec(doc)?.[1]
  if (!block) throw new Error('docs/trends.md has no scrape_configs block')
  return block
    .replace("'patchmon.example.com:3000'", `'${target}'`)
    .replace('/var/lib/patchmon/metrics-token', tokenFile)
    .replace('scrape_interval: 60s', 'scrape_interval: 1s') // the test cannot wait a minute for the first scrape
}

t.test(
  'Prometheus scrapes /metrics with the documented config and runs every dashboard query',
  { skip: missing, timeout: 240_000 },
  async (t) => {
    const ids: string[] = []
    const ctx = await buildTestApp(t, {
      env: { PATCHMON_METRICS_PER_HOST: 'true' },
      cveCountsByHost: async () => new Map([[ids[0] as string, 2]])
    })
    const web = await createHostViaApi(ctx.app, ctx.adminToken, 'web-17')
    ids.push(web.id)
    await createHostViaApi(ctx.app, ctx.adminToken, 'never-reported')
    const pkgs = [
      { name: 'openssl', currentVersion: '3.0.1', availableVersion: '3.0.2', needsUpdate: true, isSecurityUpdate: true },
      { name: 'curl', currentVersion: '7.88', availableVersion: '7.89', needsUpdate: true, isSecurityUpdate: false }
    ]
    t.equal((await postReport(ctx, web, agentReport(pkgs, { needsReboot: true }))).statusCode, 200)
    const port = await freePort()
    await ctx.app.listen({ host: '127.0.0.1', port })

    const dir = mkdtempSync(join(tmpdir(), 'patchmon-prometheus-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    const config = join(dir, 'prometheus.yml')
    writeFileSync(config, documentedScrapeConfig(`127.0.0.1:${port}`, join(ctx.dataDir, 'metrics-token')))
    const check = spawnSync('promtool', ['check', 'config', config], { encoding: 'utf8' })
    t.equal(check.status, 0, `promtool check config: ${check.stdout}${check.stderr}`)

    const promPort = await freePort()
    const prometheus = spawn(
      'prometheus',
      [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`],
      { stdio: 'ignore' }
    )
    t.teardown(() => {
      prometheus.kill('SIGKILL')
    })
    const api = `http://127.0.0.1:${promPort}/api/v1`
    const query = async (expr: string): Promise<PromReply> =>
      (await fetch(`${api}/query?query=${encodeURIComponent(expr)}`)).json() as Promise<PromReply>

    // Ready, then wait for a successful scrape of our target (bounded: 120 tries of half a second).
    let up = false
    for (let i = 0; i < 120 && !up; i++) {
      await new Promise((r) => setTimeout(r, 500))
      try {
        // Two scrapes, so that rate() over the report counter has its two samples too.
        const r = await query('count_over_time(up{job="patchmon"}[5m]) >= 2 and on() patchmon_host_security_updates')
        up = r.status === 'success' && r.data.result.length > 0
      } catch {
        // not listening yet
      }
    }
    t.ok(up, 'Prometheus scraped PatchMon with the bearer token from the credentials file')

    const dashboard = JSON.parse(readFileSync(join(ROOT, 'packaging', 'grafana', 'patchmon-fleet.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[]
    }
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        // Grafana fills the dashboard variable in before the query reaches Prometheus.
        const expr = target.expr.replace('$stale_after_seconds', '0')
        const reply = await query(expr)
        t.equal(reply.status, 'success', `${panel.title}: ${expr} ${reply.error ?? ''}`)
        t.ok(reply.data.result.length > 0, `${panel.title}: ${expr} has data`)
      }
    }
    const value = async (expr: string) => Number((await query(expr)).data.result[0]?.value[1])
    t.equal(await value('sum(patchmon_host_security_updates)'), 1)
    t.equal(await value('sum(patchmon_host_outdated_packages)'), 2)
    t.equal(await value('sum(patchmon_host_reboot_required)'), 1)
    t.equal(await value('sum(patchmon_host_cves_open)'), 2)
    const top = await query('topk(10, patchmon_host_security_updates > 0)')
    t.same(
      top.data.result.map((r) => [r.metric.host, r.metric.host_id]),
      [['web-17', web.id]]
    )
    const silent = await query('patchmon_host_seconds_since_last_report')
    t.same(
      silent.data.result.map((r) => r.metric.host),
      ['web-17'],
      'a host that never reported has no seconds-since-report series'
    )
  }
)
