// A new user's first host, in a bare trixie (field lab): the install one-liner exactly as the
// dashboard shows it installs our shell agent as a systemd service, the host reports, the agent
// holds the live channel (the host shows connected), and "Report now" through the real HTTP route
// lands a new report within 5 s; "Update agent" installs a newer served agent and the service runs on as it.
import t from 'tap'
import type { AddressInfo } from 'node:net'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { bootFieldLab, exposeHostPort, fieldLabUnavailable } from '../helpers/field-lab.js'
import { buildFlatRepo } from '../helpers/local-apt-repo.js'
import { bearer, buildTestApp, type TestApp } from '../helpers/test-app.js'
import { installOneLiner } from '../../src/dashboard/ui/host-types.js'
import { AGENT_PATH } from '../scripts/helpers/fake-patchmon.js'

const unavailable = fieldLabUnavailable()
const LAB_PORT = 3000

async function lastUpdate(ctx: TestApp, hostId: string): Promise<string | null> {
  const row = await ctx.store.db.selectFrom('hosts').select('last_update').where('id', '=', hostId).executeTakeFirst()
  return row?.last_update ?? null
}

async function until<T>(
  probe: () => Promise<T | undefined | null | false>,
  what: string,
  limitMs: number
): Promise<{ value: T; ms: number }> {
  const started = Date.now()
  while (Date.now() - started < limitMs) {
    const value = await probe()
    if (value) return { value, ms: Date.now() - started }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`timed out after ${limitMs} ms waiting for ${what}`)
}

t.test(
  "the dashboard's install one-liner, run as pasted in a bare trixie, installs an agent that reports and answers Report now and Update agent within 5 s",
  { skip: unavailable },
  async (t) => {
    const started = Date.now()
    const lab = await bootFieldLab(t)
    const ctx = await buildTestApp(t)
    await ctx.app.listen({ port: 0, host: '127.0.0.1' })
    await exposeHostPort(lab, (ctx.app.server.address() as AddressInfo).port, LAB_PORT)
    const admin = bearer(ctx.adminToken)

    // The lab has no network: its Debian mirror is a local flat repository (with one update), so apt
    // answers as fast as on a host whose mirror is reachable instead of waiting out a DNS timeout.
    const debconf = (await lab.exec("dpkg-query -W -f '${Version}' debconf")).stdout.trim()
    const mirror = buildFlatRepo(join(lab.root, 'srv/mirror'), '/srv/mirror', 'trixie', [
      { name: 'debconf', version: `${debconf}.lab1`, arch: 'all', multiArch: 'foreign' }
    ])
    const sources = await lab.exec(`echo '${mirror.sourcesLine}' > /etc/apt/sources.list && apt-get update -qq`, { timeoutMs: 60_000 })
    t.equal(sources.code, 0, sources.stderr)

    // What an admin does in the dashboard: set the Server URL the hosts reach, add a host, copy its one-liner.
    const saved = await ctx.app.inject({
      method: 'PUT',
      url: '/api/v1/settings',
      headers: admin,
      payload: { server_url: `http://127.0.0.1:${LAB_PORT}` }
    })
    t.equal(saved.statusCode, 200, saved.body)
    const settings = (await ctx.app.inject({ method: 'GET', url: '/api/v1/settings', headers: admin })).json<{
      effective_server_url: string
      ignore_ssl_self_signed: boolean
    }>()
    const address = {
      url: settings.effective_server_url.replace(/\/+$/, ''),
      curlFlags: settings.ignore_ssl_self_signed ? ('-sk' as const) : ('-s' as const)
    }
    const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/hosts', headers: admin, payload: { friendly_name: 'first-host' } })
    t.equal(created.statusCode, 201, 'host created')
    const host = created.json<{ id: string; api_id: string; api_key: string }>()
    const oneLiner = installOneLiner(address, host.api_id, host.api_key)
    t.equal(
      oneLiner,
      `curl -s "http://127.0.0.1:${LAB_PORT}/api/v1/hosts/install" -H "X-API-ID: ${host.api_id}" -H "X-API-KEY: ${host.api_key}" | sh`
    )

    const pasted = Date.now()
    const install = await lab.exec(oneLiner, { timeoutMs: 180_000 })
    t.equal(install.code, 0, `${install.stdout}\n${install.stderr}`)
    t.match(install.stdout, 'PatchMon Agent installation completed successfully!')
    const active = await lab.exec('systemctl is-active patchmon-agent.service')
    t.equal(active.stdout.trim(), 'active', 'the agent runs as a systemd service')
    const first = await until(() => lastUpdate(ctx, host.id), 'the first report', 120_000)
    t.comment(`one-liner pasted -> first report stored: ${Date.now() - pasted} ms`)

    const connected = await until(
      async () => {
        const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}/connection`, headers: admin })
        const state = res.json<{ connected: boolean; transports: string[] }>()
        return state.connected ? state : undefined
      },
      'the live channel',
      30_000
    )
    t.same(connected.value.transports, ['poll'], 'the host shows connected (long-poll)')

    // The service's own first report came before the channel opened; a new one now can only be the requested one.
    const before = await lastUpdate(ctx, host.id)
    t.ok(before !== null && before >= first.value)
    const clicked = Date.now()
    const res = await ctx.app.inject({ method: 'POST', url: `/api/v1/hosts/${host.id}/report-now`, headers: admin })
    t.equal(res.statusCode, 202, res.body)
    const next = await until(
      async () => {
        const at = await lastUpdate(ctx, host.id)
        return at !== null && before !== null && at > before ? at : undefined
      },
      'the requested report',
      5_000
    )
    t.ok(next.ms < 5_000, `Report now -> new report stored: ${Date.now() - clicked} ms`)
    const logged = await until(
      async () => {
        const journal = await lab.exec('journalctl -u patchmon-agent.service --no-pager -o cat')
        return journal.stdout.includes('Report requested from the dashboard') ? journal.stdout : undefined
      },
      'the agent to log the request',
      10_000
    )
    t.match(logged.value, /Report requested from the dashboard\nReport sent: /, 'the report came from the request')

    // Update agent: the server now serves a newer agent (an operator dropped it into the agent folder).
    const served = readFileSync(AGENT_PATH, 'utf8')
    const current = /^AGENT_VERSION="(.*)"$/m.exec(served)?.[1] ?? ''
    const newer = served.replace(/^AGENT_VERSION=".*"$/m, 'AGENT_VERSION="99.0.0"')
    mkdirSync(join(ctx.dataDir, 'agents'), { recursive: true })
    writeFileSync(join(ctx.dataDir, 'agents/patchmon-agent-linux-amd64'), newer, { mode: 0o755 })
    const agentVersion = async () =>
      (await ctx.store.db.selectFrom('hosts').select('agent_version').where('id', '=', host.id).executeTakeFirst())?.agent_version
    t.equal(await agentVersion(), current)
    const updateClicked = Date.now()
    const upd = await ctx.app.inject({ method: 'POST', url: `/api/v1/hosts/${host.id}/update-agent`, headers: admin })
    t.equal(upd.statusCode, 202, upd.body)
    const updated = await until(async () => (await agentVersion()) === '99.0.0', 'a report from the updated agent', 10_000)
    t.ok(updated.ms < 5_000, `Update agent -> report from the new version stored: ${Date.now() - updateClicked} ms`)
    t.match((await lab.exec('/usr/local/bin/patchmon-agent --version')).stdout, 'patchmon-agent version 99.0.0')
    t.equal(
      (await lab.exec('ls /usr/local/bin | grep -c "^patchmon-agent.backup."')).stdout.trim(),
      '1',
      'the old agent is kept as a backup'
    )
    t.equal(
      (await lab.exec('systemctl is-active patchmon-agent.service')).stdout.trim(),
      'active',
      'the service runs on as the new version'
    )
    await until(
      async () =>
        (await ctx.app.inject({ method: 'GET', url: `/api/v1/hosts/${host.id}/connection`, headers: admin })).json<{ connected: boolean }>()
          .connected,
      'the channel of the new version',
      10_000
    )
    t.comment(`lab run: ${Date.now() - started} ms`)
  }
)
