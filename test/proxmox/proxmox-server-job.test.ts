// The server job (PATCHMON_PROXMOX_COLLECT=true) on a server that runs on the Proxmox host: the
// timer runs the same collection as the command, reporting to this server over loopback HTTP.
// Time is driven explicitly (timers.runNow); pct is the suite's fake.
import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildTestApp } from '../helpers/test-app.js'
import { fakeProxmox, PCT_BIN_DIR, tempDir, type FakeContainer } from '../scripts/helpers/run-script.js'
import { PROXMOX_COLLECT_TIMER } from '../../src/proxmox/proxmox-plugin.js'

const CONTAINERS: FakeContainer[] = [
  { vmid: 200, name: 'web', status: 'running', distro: 'debian-13' },
  { vmid: 201, name: 'cache', status: 'running', distro: 'alpine-3.20' },
  { vmid: 202, name: 'ignored', status: 'running', distro: 'arch' }
]

t.test('off by default: no timer', async (t) => {
  const ctx = await buildTestApp(t)
  t.notOk(ctx.app.timers.names().includes(PROXMOX_COLLECT_TIMER))
})

t.test('on: each run enrolls new containers and reports them to this server', async (t) => {
  const work = tempDir(t, 'patchmon-proxmox-job-')
  const configFile = join(work, 'proxmox-collect.conf')
  // The job reads its settings file at each run, so the token can be made after start-up.
  const withJob = await buildTestApp(t, { env: { PATCHMON_PROXMOX_COLLECT: 'true', PATCHMON_PROXMOX_COLLECT_CONFIG: configFile } })
  await withJob.app.listen({ port: 0, host: '127.0.0.1' })
  t.ok(withJob.app.timers.names().includes(PROXMOX_COLLECT_TIMER))
  const created = await withJob.app.inject({
    method: 'POST',
    url: '/api/v1/auto-enrollment/tokens',
    headers: { authorization: `Bearer ${withJob.adminToken}` },
    payload: { token_name: 'Proxmox job', max_hosts_per_day: 10 }
  })
  const { token } = created.json() as { token: { token_key: string; token_secret: string } }
  writeFileSync(
    configFile,
    `AUTO_ENROLLMENT_KEY=${token.token_key}\nAUTO_ENROLLMENT_SECRET=${token.token_secret}\nPROXMOX_EXCLUDE=ignored\n` +
      `PCT=${join(PCT_BIN_DIR, 'pct')}\nPROXMOX_CREDENTIALS_FILE=${join(work, 'credentials.json')}\n`,
    { mode: 0o600 }
  )
  // The fake pct and the shell agent read these from the environment the job's pct inherits.
  const saved = { FAKE_PCT_DIR: process.env.FAKE_PCT_DIR, PATCHMON_SKIP_REFRESH: process.env.PATCHMON_SKIP_REFRESH }
  process.env.FAKE_PCT_DIR = fakeProxmox(t, CONTAINERS)
  process.env.PATCHMON_SKIP_REFRESH = 'true'
  t.teardown(() => {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
  })
  await withJob.app.timers.runNow(PROXMOX_COLLECT_TIMER)
  const hosts = async () =>
    (
      (
        await withJob.app.inject({
          method: 'GET',
          url: '/api/v1/hosts?sort=name',
          headers: { authorization: `Bearer ${withJob.adminToken}` }
        })
      ).json() as { hosts: { friendly_name: string; status: string; total_packages: number }[] }
    ).hosts.map((h) => [h.friendly_name, h.status, h.total_packages])
  t.same(await hosts(), [
    ['cache', 'active', 13],
    ['web', 'active', 115]
  ])
  t.ok(
    withJob.logs.some((l) => l.includes('"job":"proxmox-collect"') && l.includes('"reported":2') && l.includes('"enrolled":2')),
    'the run is logged with its counts'
  )
  t.notOk(
    withJob.logs.some((l) => l.includes(token.token_secret)),
    'the token secret is never logged'
  )

  await withJob.app.timers.runNow(PROXMOX_COLLECT_TIMER)
  t.equal((await hosts()).length, 2, 'the next run reports with the stored credentials, no duplicates')
})
