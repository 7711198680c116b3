// The Proxmox LXC enrollment script as served (`curl ... | bash`), run by real bash with a fake
// `pct` whose containers are sandbox directories, against the stand-in server. Inside each
// container the real install script and the real shell agent run.
import t, { type Test } from 'tap'
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { startFakePatchMon, scriptPath, type FakePatchMon } from './helpers/fake-patchmon.js'
import { injectScriptConfig } from './helpers/script-config.js'
import { fakeProxmox, PCT_BIN_DIR, runShell, tempDir, type FakeContainer } from './helpers/run-script.js'

const THREE: FakeContainer[] = [
  { vmid: 100, name: 'webserver', status: 'running', distro: 'debian-12', ip: '10.0.0.100' },
  { vmid: 101, name: 'cache', status: 'running', distro: 'alpine-3.20' },
  { vmid: 102, name: 'database', status: 'stopped', distro: 'rocky-9' }
]

function servedScript(server: FakePatchMon): string {
  return injectScriptConfig(readFileSync(scriptPath('proxmox-lxc.sh'), 'utf8'), {
    PATCHMON_URL: server.url,
    AUTO_ENROLLMENT_KEY: server.tokenKey,
    AUTO_ENROLLMENT_SECRET: server.tokenSecret,
    CURL_FLAGS: '-s',
    FORCE_INSTALL: 'false'
  })
}

async function enrollRun(t: Test, server: FakePatchMon, pctDir: string, env: Record<string, string> = {}) {
  return runShell('bash', ['-s'], {
    stdin: servedScript(server),
    env: {
      FAKE_PCT_DIR: pctDir,
      ENROLL_DELAY: '0',
      PATCHMON_SERVICE_MANAGER: 'systemd',
      PATCHMON_SKIP_SERVICE_START: 'true',
      PATCHMON_SKIP_REFRESH: 'true',
      ...env
    },
    pathPrefix: [PCT_BIN_DIR],
    timeoutMs: 90_000
  })
}

const summary = (out: string) => ({
  total: /\[INFO\] Total Containers Found: (\d+)/.exec(out)?.[1],
  enrolled: /\[INFO\] Successfully Enrolled: (\d+.*)/.exec(out)?.[1],
  skipped: /\[INFO\] Skipped: (\d+)/.exec(out)?.[1],
  failed: /\[INFO\] Failed: (\d+)/.exec(out)?.[1]
})

t.test('dry run changes nothing and reports "Successfully Enrolled: N (dry run)"', async (t) => {
  const server = await startFakePatchMon(t)
  const pct = fakeProxmox(t, THREE)
  const run = await enrollRun(t, server, pct, { DRY_RUN: 'true', HOST_PREFIX: 'proxmox-' })
  t.equal(run.code, 0, run.stderr)
  t.match(run.stdout, '[INFO] Found 3 LXC container(s)')
  t.match(run.stdout, '[INFO] Processing LXC 100: webserver (status: running)')
  t.match(run.stdout, '[INFO] [DRY RUN] Would enroll: proxmox-webserver')
  t.match(run.stdout, '[INFO] [DRY RUN] Would enroll: proxmox-cache')
  t.match(run.stdout, '[INFO] Processing LXC 102: database (status: stopped)')
  t.same(summary(run.stdout), { total: '3', enrolled: '2 (dry run)', skipped: '1', failed: '0' })
  t.equal(server.requestsTo('/api/v1/auto-enrollment/enroll').length, 0)
  t.notOk(existsSync(join(pct, '100/root/etc/patchmon')), 'nothing written in the container')
})

t.test('enrolls running containers, installs the agent in each, and a second run skips them', async (t) => {
  const server = await startFakePatchMon(t)
  const pct = fakeProxmox(t, THREE)
  const run = await enrollRun(t, server, pct)
  t.equal(run.code, 0, run.stdout + run.stderr)
  t.same(summary(run.stdout), { total: '3', enrolled: '2', skipped: '1', failed: '0' })
  t.match(run.stdout, '[SUCCESS] webserver enrolled and agent installed')
  t.match(run.stdout, '[INFO] Progress: 3/3 (enrolled: 2, skipped: 1, failed: 0)')
  t.match(run.stdout, '[WARN] LXC 102 (database) is stopped - skipping')

  const first = JSON.parse(server.requestsTo('/api/v1/auto-enrollment/enroll')[0]?.body ?? '{}') as Record<string, unknown>
  t.same(first, {
    friendly_name: 'webserver',
    machine_id: '8f2c1e7a9b3d4c5e6f708192a3b4c5d6',
    metadata: { vmid: '100', proxmox_node: hostname(), ip_address: '10.0.0.100', os_info: 'Debian GNU/Linux 12 (bookworm)' }
  })
  const second = JSON.parse(server.requestsTo('/api/v1/auto-enrollment/enroll')[1]?.body ?? '{}') as { machine_id: string }
  t.match(second.machine_id, /^proxmox-lxc-101-[0-9a-f-]{36}$/, 'no machine-id file: generated id')
  t.same(
    server.hosts.map((h) => [h.friendlyName, h.reports.length]),
    [
      ['webserver', 1],
      ['cache', 1]
    ]
  )
  t.same(
    server.hosts.map((h) => (h.reports[0] as { packageManager: string }).packageManager),
    ['apt', 'apk']
  )
  t.ok(existsSync(join(pct, '100/root/etc/patchmon/credentials.yml')))
  t.ok(existsSync(join(pct, '101/root/usr/local/bin/patchmon-agent')))

  const again = await enrollRun(t, server, pct)
  t.equal(again.code, 0)
  t.equal(again.stdout.split('[INFO] ✓ Host already enrolled and agent ping successful - skipping enrollment').length - 1, 2)
  t.same(summary(again.stdout), { total: '3', enrolled: '0', skipped: '3', failed: '0' })
  t.equal(server.hosts.length, 2, 'no duplicate hosts')
})

t.test('EXCLUDE_IDS skips the listed containers; SKIP_STOPPED=false enrolls stopped ones but cannot install', async (t) => {
  const server = await startFakePatchMon(t)
  const pct = fakeProxmox(t, THREE)
  const run = await enrollRun(t, server, pct, { EXCLUDE_IDS: '101, 999', SKIP_STOPPED: 'false', FORCE_INSTALL: 'true' })
  t.equal(run.code, 1)
  t.equal(server.requestsTo('/api/v1/hosts/install')[0]?.query.get('force'), 'true', 'FORCE_INSTALL reaches the install URL')
  t.match(run.stdout, '[WARN] LXC 101 (cache) is in EXCLUDE_IDS - skipping')
  t.match(run.stdout, '[WARN] Failed to install agent in database (exit: 1)')
  t.same(summary(run.stdout), { total: '3', enrolled: '1', skipped: '1', failed: '1' })
  t.same(
    server.hosts.map((h) => h.friendlyName),
    ['webserver', 'database']
  )
})

t.test('a failing container does not stop the run, and the exit code says something failed', async (t) => {
  const server = await startFakePatchMon(t)
  const failingCurl = '#!/bin/sh\necho "curl: (6) Could not resolve host: patchmon" >&2\nexit 6\n'
  const pct = fakeProxmox(t, [
    { vmid: 200, name: 'broken', status: 'running', distro: 'debian-12', commands: { curl: failingCurl } },
    { vmid: 201, name: 'fine', status: 'running', distro: 'ubuntu-24.04' }
  ])
  const run = await enrollRun(t, server, pct, { HOST_PREFIX: 'lab-' })
  t.equal(run.code, 1)
  t.match(run.stdout, '[WARN] Failed to install agent in lab-broken (exit: 1)')
  t.match(run.stdout, 'Install output: curl: (6) Could not resolve host')
  t.match(run.stdout, 'Install script download failed: HTTP 000')
  t.match(run.stdout, '[SUCCESS] lab-fine enrolled and agent installed')
  t.same(summary(run.stdout), { total: '2', enrolled: '1', skipped: '0', failed: '1' })
  t.match(run.stdout, 'LXC 200 (broken): enrolled, agent install failed')
})

t.test('an interrupted dpkg is reported with the fix, without prompting when no terminal is attached', async (t) => {
  const server = await startFakePatchMon(t)
  // The container's `sh` runs snippets normally but fails the install script the way apt does.
  const brokenSh = `#!/bin/sh\nif [ "$1" = -c ]; then exec /bin/sh "$@"; fi\necho "E: dpkg was interrupted, you must manually run 'dpkg --configure -a' to correct the problem."\nexit 100\n`
  const pct = fakeProxmox(t, [{ vmid: 400, name: 'dpkgbox', status: 'running', distro: 'debian-12', commands: { sh: brokenSh } }])
  const run = await enrollRun(t, server, pct)
  t.equal(run.code, 1)
  t.match(run.stdout, '[WARN] Failed to install agent in dpkgbox (exit: 100)')
  t.match(run.stdout, 'Install output: E: dpkg was interrupted')
  t.match(run.stdout, 'fix with: pct exec 400 -- dpkg --configure -a')
  t.match(run.stdout, 'Run the commands above, then run this script again')
  t.notMatch(run.stdout, '[y/N]', 'no prompt without a terminal')
  t.same(summary(run.stdout), { total: '1', enrolled: '0', skipped: '0', failed: '1' })
})

t.test('on a terminal the dpkg repair is offered, and accepting it repairs and installs the agent', async (t) => {
  const server = await startFakePatchMon(t)
  // `sh` fails the install script until the container's fake `dpkg --configure -a` has run.
  const brokenSh = `#!/bin/sh\nif [ "$1" = -c ] || [ -f "$(dirname "$0")/../dpkg-fixed" ]; then exec /bin/sh "$@"; fi\necho "E: dpkg was interrupted, you must manually run 'dpkg --configure -a' to correct the problem."\nexit 100\n`
  const fakeDpkg = '#!/bin/sh\n[ "$1" = --configure ] && touch "$(dirname "$0")/../dpkg-fixed"\nexit 0\n'
  const pct = fakeProxmox(t, [
    { vmid: 401, name: 'dpkgbox', status: 'running', distro: 'debian-12', commands: { sh: brokenSh, dpkg: fakeDpkg } }
  ])
  const file = join(tempDir(t, 'patchmon-tty-'), 'proxmox_auto_enroll.sh')
  writeFileSync(file, servedScript(server))
  // util-linux `script` gives bash a terminal; the answer typed ahead waits in the terminal's buffer.
  const run = await runShell('script', ['-q', '-e', '-c', `bash ${file}`, '/dev/null'], {
    stdin: 'y\n',
    env: { FAKE_PCT_DIR: pct, ENROLL_DELAY: '0', PATCHMON_SERVICE_MANAGER: 'none', PATCHMON_SKIP_REFRESH: 'true' },
    pathPrefix: [PCT_BIN_DIR],
    timeoutMs: 90_000
  })
  // eslint-disable-next-line no-control-regex -- strips the terminal's colour codes
  const out = run.stdout.replace(/\x1b\[[0-9;]*m/g, '').replace(/\r/g, '')
  t.equal(run.code, 0, out)
  t.match(out, "Run 'dpkg --configure -a' in these containers and retry the agent install now? [y/N]")
  t.match(out, 'dpkgbox: agent installed after dpkg repair')
  t.same(summary(out), { total: '1', enrolled: '1', skipped: '0', failed: '0' })
  t.equal(server.hosts[0]?.reports.length, 1)
})

t.test('429 stops the run with the documented message', async (t) => {
  const server = await startFakePatchMon(t)
  server.enrollAllowance = 1
  const pct = fakeProxmox(t, [
    { vmid: 300, name: 'a', status: 'running', distro: 'alpine-3.20' },
    { vmid: 301, name: 'b', status: 'running', distro: 'alpine-3.20' },
    { vmid: 302, name: 'c', status: 'running', distro: 'alpine-3.20' }
  ])
  const run = await enrollRun(t, server, pct)
  t.equal(run.code, 1)
  t.match(run.stdout, '[ERROR] Rate limit exceeded - maximum hosts per day reached')
  t.notMatch(run.stdout, 'Processing LXC 302', 'nothing after the 429 is attempted')
  t.equal(server.requestsTo('/api/v1/auto-enrollment/enroll').length, 2)
  t.same(summary(run.stdout), { total: '3', enrolled: '1', skipped: '0', failed: '2' })
})

t.test('other refusals print the status and reply; 401 stops the run', async (t) => {
  const server = await startFakePatchMon(t)
  server.tokenSecret = 'not-what-the-script-sends'
  const pct = fakeProxmox(t, THREE)
  const script = servedScript({ ...server, tokenSecret: 'the-old-secret' })
  const run = await runShell('bash', ['-s'], {
    stdin: script,
    env: { FAKE_PCT_DIR: pct, ENROLL_DELAY: '0', DEBUG: 'true' },
    pathPrefix: [PCT_BIN_DIR]
  })
  t.equal(run.code, 1)
  t.match(run.stdout, '[ERROR] Failed to enroll webserver - HTTP 401')
  t.match(run.stdout, 'Response: {"error":"Invalid token secret"}')
  t.equal(server.requestsTo('/api/v1/auto-enrollment/enroll').length, 1)
  t.match(run.stderr, '[DEBUG]', 'debug output is on')
  t.notMatch(run.stdout + run.stderr, 'the-old-secret', 'the secret is never printed, even with DEBUG=true')
})

t.test('DEBUG=true never prints the token secret or the new API key', async (t) => {
  const server = await startFakePatchMon(t)
  const pct = fakeProxmox(t, [THREE[1] as FakeContainer])
  const run = await enrollRun(t, server, pct, { DEBUG: 'true' })
  t.equal(run.code, 0, run.stdout)
  t.match(run.stderr, '[DEBUG] POST')
  const output = run.stdout + run.stderr
  t.notMatch(output, server.tokenSecret)
  t.notMatch(output, server.hosts[0]?.apiKey ?? 'missing')
})

t.test('missing pct or jq are reported with the documented messages', async (t) => {
  const server = await startFakePatchMon(t)
  const noPct = await runShell('/bin/bash', ['-s'], { stdin: servedScript(server) })
  t.equal(noPct.code, 1)
  t.match(noPct.stdout, '[ERROR] This script must run on a Proxmox host (pct command not found)')

  const bin = tempDir(t, 'patchmon-nojq-')
  mkdirSync(join(bin, 'bin'))
  for (const [name, target] of [
    ['pct', join(PCT_BIN_DIR, 'pct')],
    ['curl', '/usr/bin/curl']
  ] as const)
    symlinkSync(target, join(bin, 'bin', name))
  const noJq = await runShell('/bin/bash', ['-s'], { stdin: servedScript(server), env: { PATH: join(bin, 'bin') } })
  t.equal(noJq.code, 1)
  t.match(noJq.stdout, "[ERROR] Required command 'jq' not found. Please install it first.")
})
