// `patchmon proxmox-collect` as it runs on a Proxmox host: the real CLI process, the suite's fake
// `pct` (containers are sandbox folders whose package managers replay their tools' output), a real
// server listening on loopback with an auto-enrollment token made through the token API.
// debian-13 replays dpkg-query/apt-get output recorded for real in the field lab's trixie rootfs
// (test/fixtures/distros/record-debian-13.ts); alpine-3.20, rocky-9 and arch are the suite's
// apk, rpm/dnf and pacman fixtures in those tools' exact output formats.
import t, { type Test } from 'tap'
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { buildTestApp } from '../helpers/test-app.js'
import { fakeProxmox, PCT_BIN_DIR, cleanEnv, tempDir, type FakeContainer } from '../scripts/helpers/run-script.js'

const TSX = join(__dirname, '../../node_modules/.bin/tsx')
const MAIN = join(__dirname, '../../src/main.ts')
const DISTROS = join(__dirname, '../fixtures/distros')

const CONTAINERS: FakeContainer[] = [
  { vmid: 100, name: 'web', status: 'running', distro: 'debian-13', hostname: 'web.lab' },
  { vmid: 101, name: 'cache', status: 'running', distro: 'alpine-3.20' },
  { vmid: 102, name: 'db', status: 'running', distro: 'rocky-9' },
  { vmid: 103, name: 'arch-box', status: 'running', distro: 'arch' },
  { vmid: 104, name: 'old', status: 'stopped', distro: 'debian-12' },
  { vmid: 105, name: 'backup-nightly', status: 'running', distro: 'debian-12' },
  { vmid: 106, name: 'scratch', status: 'running', distro: 'ubuntu-24.04' }
]

interface HostRow {
  id: string
  friendly_name: string
  os_type: string
  total_packages: number
  outdated_packages: number
  security_updates: number
  agent_version: string | null
}

function collect(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(TSX, [MAIN, 'proxmox-collect', ...args], { env: cleanEnv(env, [PCT_BIN_DIR]) })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

async function lab(t: Test) {
  const ctx = await buildTestApp(t)
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const url = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`
  const auth = { authorization: `Bearer ${ctx.adminToken}` }
  const created = await fetch(`${url}/api/v1/auto-enrollment/tokens`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ token_name: 'Proxmox collector', max_hosts_per_day: 10 })
  })
  const { token } = (await created.json()) as { token: { token_key: string; token_secret: string } }
  const work = tempDir(t, 'patchmon-collect-')
  const configFile = join(work, 'proxmox-collect.conf')
  const credentialsFile = join(work, 'state/credentials.json')
  writeFileSync(
    configFile,
    `# written like docs/proxmox.md says\nPATCHMON_URL="${url}/"\nAUTO_ENROLLMENT_KEY=${token.token_key}\n` +
      `AUTO_ENROLLMENT_SECRET='${token.token_secret}'\nPROXMOX_EXCLUDE=backup-*\nPROXMOX_CREDENTIALS_FILE=${credentialsFile}\n`,
    { mode: 0o600 }
  )
  const pct = fakeProxmox(t, CONTAINERS)
  const hosts = async () => ((await (await fetch(`${url}/api/v1/hosts?sort=name`, { headers: auth })).json()) as { hosts: HostRow[] }).hosts
  return { url, auth, token, configFile, credentialsFile, pct, hosts, env: { FAKE_PCT_DIR: pct, PATCHMON_SKIP_REFRESH: 'true' } }
}

/** What the recorded trixie output says, counted independently of the agent: installed packages, upgrades, security upgrades. */
function recordedDebianCounts(): [number, number, number] {
  const dpkg = readFileSync(join(DISTROS, 'debian-13/out/dpkg-query.out'), 'utf8').split('\n')
  const apt = readFileSync(join(DISTROS, 'debian-13/out/apt-get-upgrade.out'), 'utf8').split('\n')
  const inst = apt.filter((l) => l.startsWith('Inst '))
  return [dpkg.filter((l) => / ok installed\t/.test(l)).length, inst.length, inst.filter((l) => /-security/.test(l)).length]
}

t.test('collects every running, not excluded container through pct exec, enrolls them once, reports like an agent', async (t) => {
  const l = await lab(t)
  const run = await collect(['--config', l.configFile, '--exclude', '106'], l.env)
  t.equal(run.code, 0, run.stdout + run.stderr)
  t.match(run.stdout, '[INFO] Found 7 LXC container(s)')
  t.match(run.stdout, '[WARN] LXC 104: old is stopped - skipping')
  t.match(run.stdout, '[INFO] LXC 105: backup-nightly excluded - skipping')
  t.match(run.stdout, '[INFO] LXC 106: scratch excluded - skipping')
  t.match(run.stdout, /\[INFO\] Reported: 4\n\[INFO\] Newly Enrolled: 4\n\[INFO\] Skipped: 3\n\[INFO\] Failed: 0/)
  t.notMatch(run.stdout + run.stderr, l.token.token_secret, 'the token secret is never printed')

  const [installed, upgrades, security] = recordedDebianCounts()
  t.same(
    (await l.hosts()).map((h) => [h.friendly_name, h.os_type, h.total_packages, h.outdated_packages, h.security_updates, h.agent_version]),
    [
      ['arch-box', 'Arch Linux', 10, 3, 0, '1.1.0'],
      ['cache', 'Alpine Linux', 13, 4, 0, '1.1.0'],
      ['db', 'Rocky Linux', 10, 7, 5, '1.1.0'],
      ['web.lab', 'Debian GNU/Linux', installed, upgrades, security, '1.1.0']
    ],
    'each container became a host named by its hostname, with what its package manager says'
  )
  t.same([installed, upgrades, security], [115, 3, 1], 'the recorded trixie has 115 packages, 3 upgrades, 1 from a -security suite')

  const calls = readFileSync(join(l.pct, 'exec.log'), 'utf8')
    .split('\n')
    .filter((c) => c !== '')
  t.same(
    calls.map((c) => c.split('\t')[0]),
    ['100', '101', '102', '103'],
    'pct exec only in running, not excluded containers, one after another'
  )
  t.ok(
    calls.every((c) => c.endsWith('\tsh -s collect')),
    'the POSIX sh of each container (Alpine has no bash) reads the script from stdin'
  )

  t.equal(statSync(l.credentialsFile).mode & 0o777, 0o600, 'credentials file is 0600')
  t.equal(statSync(join(l.credentialsFile, '..')).mode & 0o777, 0o700)
  const creds = JSON.parse(readFileSync(l.credentialsFile, 'utf8')) as Record<string, { api_id: string; friendly_name: string }>
  t.same(Object.keys(creds).sort(), ['100', '101', '102', '103'])
  t.match(creds['100'], { friendly_name: 'web.lab', api_id: /^patchmon_[0-9a-f]{16}$/ })

  const again = await collect(['--config', l.configFile, '--exclude', '106'], l.env)
  t.equal(again.code, 0, again.stdout + again.stderr)
  t.match(again.stdout, /\[INFO\] Reported: 4\n\[INFO\] Newly Enrolled: 0\n/)
  t.equal((await l.hosts()).length, 4, 'no duplicate hosts: the stored credentials are used')

  // A host deleted on the server is not silently enrolled again: the run says what to do.
  const arch = (await l.hosts()).find((h) => h.friendly_name === 'arch-box') as HostRow
  const del = await fetch(`${l.url}/api/v1/hosts/${arch.id}`, { method: 'DELETE', headers: l.auth })
  t.equal(del.status, 200)
  const third = await collect(['--config', l.configFile, '--exclude', '106'], l.env)
  t.equal(third.code, 1, 'a failed container makes the run fail (the timer unit shows it)')
  t.match(third.stdout, /\[ERROR\] LXC 103: arch-box: the server refused its credentials .*remove vmid 103 from/)
  t.match(third.stdout, /\[INFO\] Reported: 3\n\[INFO\] Newly Enrolled: 0\n\[INFO\] Skipped: 3\n\[INFO\] Failed: 1/)
  t.equal((await l.hosts()).length, 3)
})

t.test('dry run lists what it would do and changes nothing; settings come from the environment too', async (t) => {
  const l = await lab(t)
  const run = await collect(['--dry-run'], {
    ...l.env,
    PATCHMON_URL: l.url,
    AUTO_ENROLLMENT_KEY: l.token.token_key,
    AUTO_ENROLLMENT_SECRET: l.token.token_secret,
    PROXMOX_EXCLUDE: 'scratch, backup-*',
    PROXMOX_CREDENTIALS_FILE: l.credentialsFile,
    HOST_PREFIX: 'pve-'
  })
  t.equal(run.code, 0, run.stdout + run.stderr)
  t.match(run.stdout, '[INFO] [DRY RUN] LXC 100: web: 115 packages; would enroll pve-web.lab and report')
  t.match(run.stdout, '[INFO] [DRY RUN] LXC 101: cache: 13 packages; would enroll pve-cache and report')
  t.match(run.stdout, /\[INFO\] Reported: 0 \(dry run\)\n\[INFO\] Newly Enrolled: 0\n\[INFO\] Skipped: 3\n\[INFO\] Failed: 0/)
  t.same(await l.hosts(), [], 'nothing enrolled')
  t.notOk(existsSync(l.credentialsFile), 'no credentials written')
})

t.test('missing settings are named; pct missing is explained', async (t) => {
  const missing = await collect(['--config', '/nonexistent/proxmox-collect.conf'], {})
  t.equal(missing.code, 1)
  t.match(missing.stderr, 'patchmon: configuration file /nonexistent/proxmox-collect.conf does not exist')
  const unset = await collect([], { PATCHMON_URL: 'http://127.0.0.1:9' })
  t.equal(unset.code, 1)
  t.match(unset.stderr, /AUTO_ENROLLMENT_KEY, AUTO_ENROLLMENT_SECRET not set/)
  const noPct = await collect([], {
    PATCHMON_URL: 'http://127.0.0.1:9',
    AUTO_ENROLLMENT_KEY: 'k',
    AUTO_ENROLLMENT_SECRET: 's',
    PCT: '/nonexistent/pct'
  })
  t.equal(noPct.code, 1)
  t.match(noPct.stderr, /\/nonexistent\/pct not found: run this on the Proxmox host/)
})
