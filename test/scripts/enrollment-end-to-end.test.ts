// End to end with the real server: buildTestApp listening on 127.0.0.1, a token made through the
// token API, the Proxmox script downloaded from /api/v1/auto-enrollment/script and run by bash with
// the fake pct; inside each container the served install script and the served shell agent run.
// Hosts must appear with their reports; a second run must enroll nothing.
import t from 'tap'
import type { AddressInfo } from 'node:net'
import { buildTestApp } from '../helpers/test-app.js'
import { fakeProxmox, PCT_BIN_DIR, runShell, type FakeContainer } from './helpers/run-script.js'

const CONTAINERS: FakeContainer[] = [
  { vmid: 100, name: 'webserver', status: 'running', distro: 'debian-12', ip: '10.0.0.100' },
  { vmid: 101, name: 'cache', status: 'running', distro: 'alpine-3.20' },
  { vmid: 102, name: 'database', status: 'stopped', distro: 'rocky-9' }
]

interface HostRow {
  friendly_name: string
  status: string
  os_type: string | null
  total_packages: number
  outdated_packages: number
  security_updates: number
  total_repos: number
  agent_version: string | null
}

t.test('Proxmox script served by the real server enrolls containers whose agents then report', async (t) => {
  const ctx = await buildTestApp(t)
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const url = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`
  const auth = { authorization: `Bearer ${ctx.adminToken}` }

  const created = await fetch(`${url}/api/v1/auto-enrollment/tokens`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ token_name: 'Proxmox e2e', max_hosts_per_day: 10, metadata: { integration_type: 'proxmox-lxc' } })
  })
  t.equal(created.status, 201)
  const { token } = (await created.json()) as { token: { token_key: string; token_secret: string } }

  const download = await fetch(
    `${url}/api/v1/auto-enrollment/script?type=proxmox-lxc&token_key=${token.token_key}&token_secret=${token.token_secret}`
  )
  t.equal(download.status, 200)
  const script = await download.text()
  t.match(script, /^#!.*bash\n/)
  t.notMatch(script, '# @PATCHMON_CONFIG@', 'the server filled in its configuration')

  const pct = fakeProxmox(t, CONTAINERS)
  const env = {
    FAKE_PCT_DIR: pct,
    ENROLL_DELAY: '0',
    PATCHMON_SERVICE_MANAGER: 'systemd',
    PATCHMON_SKIP_SERVICE_START: 'true',
    PATCHMON_SKIP_REFRESH: 'true'
  }
  const run = await runShell('bash', ['-s'], { stdin: script, env, pathPrefix: [PCT_BIN_DIR], timeoutMs: 90_000 })
  t.equal(run.code, 0, run.stdout + run.stderr)
  t.match(run.stdout, '[INFO] Successfully Enrolled: 2')
  t.match(run.stdout, '[INFO] Skipped: 1')
  t.notMatch(run.stdout + run.stderr, token.token_secret, 'the token secret is never printed')

  const listed = await fetch(`${url}/api/v1/hosts?sort=name`, { headers: auth })
  const { hosts } = (await listed.json()) as { hosts: HostRow[] }
  t.same(
    hosts.map((h) => [
      h.friendly_name,
      h.status,
      h.os_type,
      h.total_packages,
      h.outdated_packages,
      h.security_updates,
      h.total_repos,
      h.agent_version
    ]),
    [
      ['cache', 'active', 'Alpine Linux', 13, 4, 0, 3, '1.1.0'],
      ['webserver', 'active', 'Debian GNU/Linux', 12, 4, 2, 4, '1.1.0']
    ]
  )

  const again = await runShell('bash', ['-s'], { stdin: script, env, pathPrefix: [PCT_BIN_DIR], timeoutMs: 90_000 })
  t.equal(again.code, 0, again.stdout)
  t.match(again.stdout, '[INFO] Successfully Enrolled: 0')
  t.match(again.stdout, '[INFO] Skipped: 3')
  const relisted = (await (await fetch(`${url}/api/v1/hosts`, { headers: auth })).json()) as { total: number }
  t.equal(relisted.total, 2, 'no duplicate hosts')
})
