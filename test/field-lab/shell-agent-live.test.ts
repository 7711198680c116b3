// A new user's first host, in a bare trixie (field lab): the install one-liner exactly as the
// dashboard shows it installs our shell agent as a systemd service, the host reports, the agent
// holds the live channel (the host shows connected), and "Report now" through the real HTTP route
// lands a new report within 5 s.
import t from 'tap'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { bootFieldLab, exposeHostPort, fieldLabUnavailable } from '../helpers/field-lab.js'
import { buildFlatRepo } from '../helpers/local-apt-repo.js'
import { bearer, buildTestApp, type TestApp } from '../helpers/test-app.js'
import { installOneLiner } from '../../src/dashboard/ui/host-types.js'

const unavailable = fieldLabUnavailable()
const LAB_PORT = 3000

async function lastUpdate(ctx: TestApp, hostId: string): Promise<string | null> {
  const row = await ctx.store.db.selectFrom('hosts').select('last_update').where('id', '=', hostId).executeTakeFirst()
  return row?.last_update ?? null
}

async function until<T>(probe: () => Promise<T | undefined | null | false>, what: string, limitMs: number): Promise<{ value: T; ms: number }> {
  const started = Date.now()
  while (Date.now() - started < limitMs) {
    const value = await probe()
    if (value) return { value, ms: Date.now() - started }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`timed out after ${limitMs} ms waiting for ${what}`)
}

t.test('the dashboard\'s install one-liner, run as pasted in a bare trixie, installs an agent that reports and answers Report now within 5 s', { skip: unavailable }, async (t) => {
  const started = Date.now()
  const lab = await bootFieldLab(t)
  const ctx = await buildTestApp(t)
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  await exposeHostPort(lab, (ctx.app.server.address() as AddressInfo).port, LAB_PORT)
  const admin = bearer(ctx.adminToken)

  // The lab has no network: its Debian mirror is a local flat repository (with one update), so apt
  // answers as fast as on a host whose mirror is reachable instead of waiting out a DNS timeout.
  const debconf = (await lab.exec("dpkg-query -W -f '${Version}' debconf")).stdout.trim()
  const mirror = buildFlatRepo(join(lab.root, 'srv/mirror'), '/srv/mirror', 'trixie', [{ name: 'debconf', version: `${debconf}.lab1`, arch: 'all', multiArch: 'foreign' }])
  const sources = await lab.exec(`echo '${mirror.sourcesLine}' > /etc/apt/sources.list && apt-get update -qq`, { timeoutMs: 60_000 })
  t.equal(sources.code, 0, sources.stderr)

  // What an admin does in the dashboard: set the Server URL the hosts reach, add a host, copy its one-liner.
  const saved = await ctx.app.inject({ method: 'PUT', url: '/api/v1/settings', headers: admin, payload: { server_url: `http://127.0.0.1:${LAB_PORT}` } })
  t.equal(saved.statusCode, 200, saved.body)
  const settings = (await ctx.app.inject({ method: 'GET', url: '/api/v1/settings', headers: admin })).json<{ effective_server_url: string; ignore_ssl_self_signed: boolean }>()
  const address = { url: settings.effective_server_url.replace(/\/+$/, ''), curlFlags: settings.ignore_ssl_self_signed ? '-sk' as const : '-s' as const }
  const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/hosts', headers: admin, payload: { friendly_name: 'first-host' } })
  t.equal(created.statusCode, 201, 'host created')
  const host = created.json<{ id: string; api_id: string; api_key: string }>()
  const oneLiner = installOneLiner(address, host.api_id, host.api_key)
  t.equal(oneLiner, `curl -s "http://127.0.0.1:${LAB_PORT}/api/v1/hosts/install" -H "X-API-ID: ${host.api_id}" -H "X-API-KEY: ${host.api_key}" | sh`)

  const pasted = Date.now()
  const install = await lab.exec(oneLiner, { timeoutMs: 180_000 })
  t.equal(install.code, 0, `${install.stdout}\n${install.stderr}`)
  t.match(install.stdout, 'PatchMon Agent installation completed successfully!')
  const active = await lab.exec('systemctl is-active patchmon-agent.service')
  t.equal(active.stdout.trim(), 'active', 'the agent runs as a systemd service')
  const first = await until(() => lastUpdate(ctx, host.id), 'the first report', 120_000)
  t.comment(`one-liner pasted -> first report stored: ${Date.now() - pasted} ms`)

  const connected = await until(async () => {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}/connection`, headers: admin })
    const state = res.json<{ connected: boolean; transports: string[] }>()
    return state.connected ? state : undefined
  }, 'the live channel', 30_000)
  t.same(connected.value.transports, ['poll'], 'the host shows connected (long-poll)')

  // The service's own first report came before the channel opened; a new one now can only be the requested one.
  const before = await lastUpdate(ctx, host.id)
  t.ok(before !== null && before >= first.value)
  const clicked = Date.now()
  const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/hosts/${host.id}/report-now`, headers: admin })
  t.equal(res.statusCode, 202, res.body)
  const next = await until(async () => {
    const at = await lastUpdate(ctx, host.id)
    return at !== null && before !== null && at > before ? at : undefined
  }, 'the requested report', 5_000)
  t.ok(next.ms < 5_000, `Report now -> new report stored: ${Date.now() - clicked} ms`)
  const logged = await until(async () => {
    const journal = await lab.exec('journalctl -u patchmon-agent.service --no-pager -o cat')
    return journal.stdout.includes('Report requested from the dashboard') ? journal.stdout : undefined
  }, 'the agent to log the request', 10_000)
  t.match(logged.value, /Report requested from the dashboard\nReport sent: /, 'the report came from the request')
  t.comment(`lab run: ${Date.now() - started} ms`)
})
