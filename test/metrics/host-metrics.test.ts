// Per-host series on /metrics: off by default, on with PATCHMON_METRICS_PER_HOST=true; one series
// per host per metric labelled by id and name; the CVE series only with a CVE source; checked by
// Prometheus' own promtool when it is installed; and the Grafana dashboard in packaging/grafana
// uses only metric names and labels this output really has.
import t, { type Test } from 'tap'
import { execFile, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { bearer, buildTestApp, type TestApp } from '../helpers/test-app.js'
import { agentReport, createHostViaApi, postReport } from '../helpers/agent-fixtures.js'

const DASHBOARD = join(__dirname, '..', '..', 'packaging', 'grafana', 'patchmon-fleet.json')

async function scrape(ctx: TestApp): Promise<string> {
  const token = readFileSync(join(ctx.dataDir, 'metrics-token'), 'utf8').trim()
  const res = await ctx.app.inject({ method: 'GET', url: '/metrics', headers: bearer(token) })
  if (res.statusCode !== 200) throw new Error(`/metrics: ${res.statusCode}`)
  return res.body
}

/** Sample lines of one metric: labels -> value. */
function samples(body: string, name: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const line of body.split('\n')) {
    const m = new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`).exec(line)
    if (m) out.set(m[1] as string, Number(m[2]))
  }
  return out
}

const pkg = (name: string, needsUpdate: boolean, isSecurityUpdate = false) => ({
  name,
  currentVersion: '1.0',
  ...(needsUpdate ? { availableVersion: '1.1' } : {}),
  needsUpdate,
  isSecurityUpdate
})

/** Two reported hosts with the same friendly name (names are not unique) and one never reported. */
async function fleet(t: Test, ctx: TestApp) {
  const a = await createHostViaApi(ctx.app, ctx.adminToken, 'web')
  const b = await createHostViaApi(ctx.app, ctx.adminToken, 'web')
  const silent = await createHostViaApi(ctx.app, ctx.adminToken, 'silent')
  const report = agentReport([pkg('openssl', true, true), pkg('curl', true), pkg('bash', false)], { needsReboot: true })
  t.equal((await postReport(ctx, a, report)).statusCode, 200)
  t.equal((await postReport(ctx, b, agentReport([pkg('bash', false)]))).statusCode, 200)
  return { a, b, silent }
}

t.test('per-host series are off by default', async (t) => {
  const ctx = await buildTestApp(t)
  await fleet(t, ctx)
  const body = await scrape(ctx)
  t.match(body, /^patchmon_hosts\{/m, 'the fleet series are there')
  t.notMatch(body, /patchmon_host_/, 'no per-host series')
})

t.test('PATCHMON_METRICS_PER_HOST=true adds one series per host per metric, labelled by id and name', async (t) => {
  const ids: string[] = []
  const ctx = await buildTestApp(t, {
    env: { PATCHMON_METRICS_PER_HOST: 'true' },
    cveCountsByHost: async () => new Map([[ids[0] as string, 4]])
  })
  const { a, b, silent } = await fleet(t, ctx)
  ids.push(a.id)
  const body = await scrape(ctx)
  const label = (id: string, name: string) => `host_id="${id}",host="${name}",service="patchmon"`
  t.same(
    samples(body, 'patchmon_host_outdated_packages'),
    new Map([
      [label(a.id, 'web'), 2],
      [label(b.id, 'web'), 0],
      [label(silent.id, 'silent'), 0]
    ]),
    'two hosts named "web" stay two series'
  )
  t.equal(samples(body, 'patchmon_host_security_updates').get(label(a.id, 'web')), 1)
  t.equal(samples(body, 'patchmon_host_reboot_required').get(label(a.id, 'web')), 1)
  t.equal(samples(body, 'patchmon_host_reboot_required').get(label(b.id, 'web')), 0)
  t.equal(samples(body, 'patchmon_host_cves_open').get(label(a.id, 'web')), 4)
  t.equal(samples(body, 'patchmon_host_cves_open').get(label(b.id, 'web')), 0, 'a host missing from the CVE map has none')
  const since = samples(body, 'patchmon_host_seconds_since_last_report')
  t.same([...since.keys()].sort(), [label(a.id, 'web'), label(b.id, 'web')].sort(), 'no series for a host that never reported')
  t.ok([...since.values()].every((v) => v >= 0 && v < 600))

  const del = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/hosts/${b.id}`, headers: bearer(ctx.adminToken) })
  t.equal(del.statusCode, 200)
  await new Promise((resolve) => setTimeout(resolve, 1_100))
  const after = await scrape(ctx)
  t.notMatch(after, new RegExp(b.id), 'a deleted host disappears from the next scrape')
})

t.test('while the CVE source has no data the CVE series has no samples; the others stay', async (t) => {
  const ctx = await buildTestApp(t, { env: { PATCHMON_METRICS_PER_HOST: 'true' }, cveCountsByHost: async () => undefined })
  await fleet(t, ctx)
  const body = await scrape(ctx)
  t.equal(samples(body, 'patchmon_host_cves_open').size, 0)
  t.match(body, /^patchmon_host_security_updates\{/m)
})

const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' })

t.test(
  'promtool check metrics accepts the output',
  { skip: promtool.status === 0 ? false : 'promtool not installed (apt-get install prometheus)' },
  async (t) => {
    const ctx = await buildTestApp(t, { env: { PATCHMON_METRICS_PER_HOST: 'true' }, cveCountsByHost: async () => new Map() })
    await fleet(t, ctx)
    const body = await scrape(ctx)
    const raw = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' })
    t.not(raw.status, 1, `the whole output parses: ${raw.stdout}${raw.stderr}`)
    // prom-client's own Node gauges nodejs_active_*_total carry a "_total" suffix promtool frowns on
    // (exit 3, lint only): not ours to rename. Without them the check must be clean.
    const ours = body
      .split('\n')
      .filter((line) => !/patchmon_nodejs_active_(handles|requests|resources)_total/.test(line))
      .join('\n')
    t.match(ours, /^patchmon_host_cves_open\{/m, 'the per-host series are in what promtool checks')
    const check = spawnSync('promtool', ['check', 'metrics', '--extended'], { input: ours, encoding: 'utf8' })
    t.equal(check.status, 0, `promtool: ${check.stderr}`)
    t.match(check.stdout, /patchmon_host_security_updates\s+3\s/, 'cardinality: one series per host (3 hosts)')
    t.match(check.stdout, /patchmon_host_seconds_since_last_report\s+2\s/, 'the never-reported host has none')
  }
)

t.test('every PromQL expression of the Grafana dashboard names metrics and labels /metrics exposes', async (t) => {
  const ctx = await buildTestApp(t, { env: { PATCHMON_METRICS_PER_HOST: 'true' }, cveCountsByHost: async () => new Map() })
  await fleet(t, ctx)
  const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const token = readFileSync(join(ctx.dataDir, 'metrics-token'), 'utf8').trim()
  // Scraped over HTTP with curl, as Prometheus would.
  const { stdout: live } = await promisify(execFile)('curl', [
    '-sS',
    '--fail',
    '-H',
    `Authorization: Bearer ${token}`,
    `${address}/metrics`
  ])
  const exposed = new Set([...live.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{| )/gm)].map((m) => m[1] as string))
  const labels = new Set([...live.matchAll(/[{,]([a-zA-Z_][a-zA-Z0-9_]*)="/g)].map((m) => m[1] as string))

  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
    panels: { title: string; targets: { expr: string; legendFormat?: string }[] }[]
  }
  const targets = dashboard.panels.flatMap((p) => p.targets.map((target) => ({ panel: p.title, ...target })))
  t.ok(targets.length >= 8, 'the dashboard has its panels')
  for (const target of targets) {
    const names = [...target.expr.matchAll(/\bpatchmon_[a-zA-Z0-9_:]+/g)].map((m) => m[0])
    t.ok(names.length > 0, `${target.panel}: names a patchmon metric`)
    for (const name of names) t.ok(exposed.has(name), `${target.panel}: ${name} is exposed`)
    for (const m of target.expr.matchAll(/\{([^}]*)\}/g)) {
      for (const l of (m[1] as string).matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*[=!~]/g))
        t.ok(labels.has(l[1] as string), `${target.panel}: label ${l[1]}`)
    }
    for (const l of (target.legendFormat ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g))
      t.ok(labels.has(l[1] as string), `${target.panel}: legend label ${l[1]}`)
  }
  const titles = dashboard.panels.map((p) => p.title)
  for (const wanted of ['Fleet totals', 'Top 10 hosts by security updates', 'Hosts not reporting']) t.ok(titles.includes(wanted), wanted)
})
