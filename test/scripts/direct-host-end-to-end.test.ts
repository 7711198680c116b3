// End to end with the real server: the direct-host script downloaded from
// /api/v1/auto-enrollment/script enrolls a sandbox root with dash, the served install script and
// shell agent report, and the served removal script takes it all away again.
import t from 'tap'
import type { AddressInfo } from 'node:net'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { buildTestApp } from '../helpers/test-app.js'
import { distroSandbox, runShell, tempDir } from './helpers/run-script.js'

interface HostRow {
  friendly_name: string
  status: string
  os_type: string | null
  total_packages: number
  outdated_packages: number
  security_updates: number
  total_repos: number
}

t.test('direct-host script and removal script served by the real server enroll, report and remove', async (t) => {
  const ctx = await buildTestApp(t)
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const url = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`
  const auth = { authorization: `Bearer ${ctx.adminToken}` }
  const created = await fetch(`${url}/api/v1/auto-enrollment/tokens`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ token_name: 'Direct e2e', metadata: { integration_type: 'direct-host' } })
  })
  const { token } = (await created.json()) as { token: { token_key: string; token_secret: string } }
  const script = await (
    await fetch(`${url}/api/v1/auto-enrollment/script?type=direct-host&token_key=${token.token_key}&token_secret=${token.token_secret}`)
  ).text()
  t.match(script, /^#!\/bin\/sh\n/)

  const root = tempDir(t, 'patchmon-e2e-direct-')
  const bin = distroSandbox(root, 'rocky-9')
  const env = {
    PATCHMON_ROOT: root,
    PATCHMON_SERVICE_MANAGER: 'systemd',
    PATCHMON_SKIP_SERVICE_START: 'true',
    PATCHMON_SKIP_REFRESH: 'true',
    FRIENDLY_NAME: 'rocky-direct'
  }
  const run = await runShell('dash', ['-s'], { stdin: script, env, pathPrefix: [bin], timeoutMs: 60_000 })
  t.equal(run.code, 0, run.stdout + run.stderr)
  t.equal(run.stdout.trimEnd().split('\n').pop(), 'Auto-enrollment complete!')

  const { hosts } = (await (await fetch(`${url}/api/v1/hosts`, { headers: auth })).json()) as { hosts: HostRow[] }
  t.same(
    hosts.map((h) => [h.friendly_name, h.status, h.os_type, h.total_packages, h.outdated_packages, h.security_updates, h.total_repos]),
    [['rocky-direct', 'active', 'Rocky Linux', 10, 7, 5, 4]]
  )

  const remover = await (await fetch(`${url}/api/v1/hosts/remove`)).text()
  const removed = await runShell('dash', ['-s'], { stdin: remover, env: { PATCHMON_ROOT: root, PATCHMON_SKIP_SERVICE_START: 'true' } })
  t.equal(removed.code, 0, removed.stderr)
  t.notOk(existsSync(join(root, 'usr/local/bin/patchmon-agent')))
  t.notOk(existsSync(join(root, 'etc/patchmon/credentials.yml')))
  t.notOk(existsSync(join(root, 'etc/systemd/system/patchmon-agent.service')))
})
