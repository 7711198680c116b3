// The shell agent, run by real dash and bash against recorded package-manager output of six
// distributions, talking to the stand-in server.
import t, { type Test } from 'tap'
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { AGENT_PATH, startFakePatchMon, type FakeHost, type FakePatchMon } from './helpers/fake-patchmon.js'
import { cleanEnv, distroSandbox, runShell, tempDir, writeAgentConfig } from './helpers/run-script.js'

interface Expected {
  osType: string
  osVersion: string
  packageManager: string
  packages: number
  updates: number
  security: number
  repositories: number
  needsReboot: boolean
  sample: { name: string; currentVersion: string; availableVersion?: string; isSecurityUpdate: boolean }
}

const DISTROS: Record<string, Expected> = {
  'debian-12': {
    osType: 'Debian GNU/Linux',
    osVersion: '12 (bookworm)',
    packageManager: 'apt',
    packages: 12,
    updates: 4,
    security: 2,
    repositories: 4,
    needsReboot: false,
    sample: { name: 'openssl', currentVersion: '3.0.11-1~deb12u2', availableVersion: '3.0.13-1~deb12u1', isSecurityUpdate: true }
  },
  'ubuntu-24.04': {
    osType: 'Ubuntu',
    osVersion: '24.04.1 LTS (Noble Numbat)',
    packageManager: 'apt',
    packages: 10,
    updates: 6,
    security: 3,
    repositories: 5,
    needsReboot: true,
    sample: { name: 'libc6:i386', currentVersion: '2.39-0ubuntu8.3', availableVersion: '2.39-0ubuntu8.4', isSecurityUpdate: false }
  },
  'rocky-9': {
    osType: 'Rocky Linux',
    osVersion: '9.4 (Blue Onyx)',
    packageManager: 'dnf',
    packages: 10,
    updates: 7,
    security: 5,
    repositories: 4,
    needsReboot: false,
    sample: {
      name: 'python3-dnf-plugins-core.noarch',
      currentVersion: '4.3.0-13.el9',
      availableVersion: '4.3.0-13.el9_4.1',
      isSecurityUpdate: false
    }
  },
  'alpine-3.20': {
    osType: 'Alpine Linux',
    osVersion: '3.20.3',
    packageManager: 'apk',
    packages: 13,
    updates: 4,
    security: 0,
    repositories: 3,
    needsReboot: false,
    sample: { name: 'busybox-binsh', currentVersion: '1.36.1-r29', availableVersion: '1.36.1-r30', isSecurityUpdate: false }
  },
  arch: {
    osType: 'Arch Linux',
    osVersion: 'rolling',
    packageManager: 'pacman',
    packages: 10,
    updates: 3,
    security: 0,
    repositories: 2,
    needsReboot: false,
    sample: { name: 'linux', currentVersion: '6.10.10.arch1-1', availableVersion: '6.11.1.arch1-1', isSecurityUpdate: false }
  },
  'opensuse-leap-15.6': {
    osType: 'openSUSE Leap',
    osVersion: '15.6',
    packageManager: 'zypper',
    packages: 8,
    updates: 5,
    security: 4,
    repositories: 2,
    needsReboot: false,
    sample: { name: 'libopenssl3', currentVersion: '3.1.4-150600.5.10.1', availableVersion: '3.1.4-150600.5.15.1', isSecurityUpdate: true }
  }
}

function enrolledHost(server: FakePatchMon): FakeHost {
  const host: FakeHost = {
    apiId: 'patchmon_0123456789abcdef',
    apiKey: 'k'.repeat(64),
    friendlyName: 'agent-test',
    enrollBody: {},
    reports: [],
    pings: 0
  }
  server.hosts.push(host)
  return host
}

function sandbox(t: Test, server: FakePatchMon, host: FakeHost, distro: string) {
  const root = tempDir(t, 'patchmon-agent-')
  const bin = distroSandbox(root, distro)
  writeAgentConfig(root, server.url, host.apiId, host.apiKey)
  return { root, bin }
}

const isNumber = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v)

for (const shell of ['dash', 'bash']) {
  for (const [distro, expected] of Object.entries(DISTROS)) {
    t.test(`${shell}: report from ${distro} arrives with the right packages, flags and JSON types`, async (t) => {
      const server = await startFakePatchMon(t)
      const host = enrolledHost(server)
      const { root, bin } = sandbox(t, server, host, distro)
      const run = await runShell(shell, [AGENT_PATH, 'report'], { env: { PATCHMON_ROOT: root }, pathPrefix: [bin] })
      t.equal(run.code, 0, run.stderr)
      t.match(
        run.stdout,
        `Report sent: ${expected.packages} packages processed (${expected.updates} updates, ${expected.security} security)`
      )
      const [request] = server.requestsTo('/api/v1/hosts/update')
      t.ok(request, 'the report was posted')
      t.equal(request?.headers['content-type'], 'application/json')
      t.equal(request?.headers['x-api-id'], host.apiId)
      const report = JSON.parse(request?.body ?? '{}') as Record<string, unknown>
      const packages = report.packages as Record<string, unknown>[]
      t.equal(packages.length, expected.packages, 'package count')
      t.equal(packages.filter((p) => p.needsUpdate === true).length, expected.updates, 'upgradable count')
      t.equal(packages.filter((p) => p.isSecurityUpdate === true).length, expected.security, 'security count')
      t.ok(
        packages.every(
          (p) =>
            typeof p.name === 'string' &&
            typeof p.currentVersion === 'string' &&
            typeof p.needsUpdate === 'boolean' &&
            typeof p.isSecurityUpdate === 'boolean'
        )
      )
      t.ok(
        packages.every((p) => (p.needsUpdate ? typeof p.availableVersion === 'string' : !('availableVersion' in p))),
        'availableVersion only when upgradable'
      )
      const firstCurrent = packages.findIndex((p) => p.needsUpdate === false)
      t.ok(
        packages.slice(firstCurrent).every((p) => p.needsUpdate === false),
        'upgradable packages come first'
      )
      t.same(
        packages.find((p) => p.name === expected.sample.name),
        { ...expected.sample, needsUpdate: true }
      )
      const names = packages.map((p) => p.name as string)
      t.equal(new Set(names).size, names.length, 'every package name once')
      if (expected.packageManager === 'apt')
        t.notOk(
          names.some((n) => n.endsWith(':amd64')),
          'native-arch names are unqualified, as apt prints them'
        )
      const repositories = report.repositories as Record<string, unknown>[]
      t.equal(repositories.length, expected.repositories, 'repository count')
      t.ok(
        repositories.every(
          (r) =>
            typeof r.url === 'string' &&
            typeof r.isEnabled === 'boolean' &&
            typeof r.isSecure === 'boolean' &&
            typeof r.repoType === 'string'
        )
      )
      t.equal(report.osType, expected.osType)
      t.equal(report.osVersion, expected.osVersion)
      t.equal(report.packageManager, expected.packageManager)
      t.equal(report.needsReboot, expected.needsReboot)
      t.ok(Number.isInteger(report.cpuCores), 'cpuCores is an integer')
      t.ok(isNumber(report.ramInstalled) && isNumber(report.swapSize), 'RAM and swap are numbers')
      t.ok(isNumber(report.executionTime), 'executionTime is a number')
      t.ok(
        Array.isArray(report.loadAverage) &&
          (report.loadAverage as unknown[]).length === 3 &&
          (report.loadAverage as unknown[]).every(isNumber)
      )
      t.ok(Array.isArray(report.diskDetails) && Array.isArray(report.dnsServers))
      for (const key of [
        'hostname',
        'ip',
        'architecture',
        'kernelVersion',
        'machineId',
        'cpuModel',
        'gatewayIp',
        'systemUptime',
        'agentVersion'
      ]) {
        t.type(report[key], 'string', `${key} is a string`)
      }
      t.equal(report.agentVersion, '1.1.0')
    })
  }
}

t.test("apt: dpkg's :amd64 names meet apt's bare names; held packages count, foreign-arch packages stay distinct", async (t) => {
  const server = await startFakePatchMon(t)
  const host = enrolledHost(server)
  for (const distro of ['debian-12', 'ubuntu-24.04']) {
    const { root, bin } = sandbox(t, server, host, distro)
    const run = await runShell('dash', [AGENT_PATH, 'report', '--json'], { env: { PATCHMON_ROOT: root }, pathPrefix: [bin] })
    t.equal(run.code, 0, run.stderr)
    const packages = (JSON.parse(run.stdout) as { packages: Record<string, unknown>[] }).packages
    const byName = (name: string) => packages.filter((p) => p.name === name)
    if (distro === 'debian-12') {
      t.same(byName('libssl3'), [
        {
          name: 'libssl3',
          currentVersion: '3.0.11-1~deb12u2',
          availableVersion: '3.0.13-1~deb12u1',
          needsUpdate: true,
          isSecurityUpdate: true
        }
      ])
      t.same(byName('zlib1g'), [{ name: 'zlib1g', currentVersion: '1:1.2.13.dfsg-1', needsUpdate: false, isSecurityUpdate: false }])
      t.equal(byName('curl').length, 1, 'a held package is installed')
      t.equal(byName('old-kernel-config').length, 0, 'a removed package with config files left is not')
    } else {
      t.same(
        byName('libc6').map((p) => p.currentVersion),
        ['2.39-0ubuntu8.3']
      )
      t.same(byName('libc6:i386'), [
        {
          name: 'libc6:i386',
          currentVersion: '2.39-0ubuntu8.3',
          availableVersion: '2.39-0ubuntu8.4',
          needsUpdate: true,
          isSecurityUpdate: false
        }
      ])
      t.same(
        byName('libssl3t64').map((p) => p.isSecurityUpdate),
        [true]
      )
    }
  }
})

t.test('ping sends an empty body with Content-Type application/json and needs exactly 200', async (t) => {
  const server = await startFakePatchMon(t)
  const host = enrolledHost(server)
  const { root, bin } = sandbox(t, server, host, 'debian-12')
  const run = await runShell('dash', [AGENT_PATH, 'ping'], { env: { PATCHMON_ROOT: root }, pathPrefix: [bin] })
  t.equal(run.code, 0, run.stderr)
  const [ping] = server.requestsTo('/api/v1/hosts/ping')
  t.equal(ping?.method, 'POST')
  t.equal(ping?.body, '')
  t.equal(ping?.headers['content-type'], 'application/json')
  t.equal(ping?.headers['content-length'], '0')
  t.equal(ping?.headers['x-api-key'], host.apiKey)
  t.equal(host.pings, 1)

  writeAgentConfig(root, server.url, host.apiId, 'wrong-key')
  const denied = await runShell('dash', [AGENT_PATH, 'ping'], { env: { PATCHMON_ROOT: root }, pathPrefix: [bin] })
  t.equal(denied.code, 1)
  t.match(denied.stderr, 'HTTP 401')
  t.notMatch(denied.stdout + denied.stderr, 'wrong-key', 'the key is never printed')
})

t.test('--version prints "patchmon-agent version <x>" matching AGENT_VERSION', async (t) => {
  const source = readFileSync(AGENT_PATH, 'utf8')
  const version = /^AGENT_VERSION="(\d+\.\d+\.\d+)"$/m.exec(source)?.[1]
  t.ok(version, 'AGENT_VERSION="x.y.z" is on its own line')
  for (const shell of ['dash', 'bash']) {
    const run = await runShell(shell, [AGENT_PATH, '--version'])
    t.equal(run.stdout, `patchmon-agent version ${version}\n`)
  }
})

t.test('config show masks the API key; check-version asks the Go-compatible version URL', async (t) => {
  const server = await startFakePatchMon(t)
  const host = enrolledHost(server)
  const { root } = sandbox(t, server, host, 'debian-12')
  const shown = await runShell('dash', [AGENT_PATH, 'config', 'show'], { env: { PATCHMON_ROOT: root } })
  t.match(shown.stdout, `Server: ${server.url}`)
  t.match(shown.stdout, `API ID: ${host.apiId}`)
  t.notMatch(shown.stdout, host.apiKey)
  const checked = await runShell('dash', [AGENT_PATH, 'check-version'], { env: { PATCHMON_ROOT: root } })
  t.equal(checked.code, 0, checked.stderr)
  t.match(checked.stdout, 'Agent is up to date')
  const [request] = server.requestsTo('/api/v1/hosts/agent/version')
  t.equal(request?.query.get('type'), 'go')
  t.equal(request?.query.get('currentVersion'), '1.1.0')
  // The server offers the shell agent only to callers that say "(shell)": a Go agent must never get a script.
  t.match(request?.headers['user-agent'], /^patchmon-agent\/1\.1\.0 \(shell\)$/)
})

t.test('serve reads the update interval, then reports (one bounded cycle)', async (t) => {
  const server = await startFakePatchMon(t)
  const host = enrolledHost(server)
  const { root, bin } = sandbox(t, server, host, 'alpine-3.20')
  const run = await runShell('dash', [AGENT_PATH, 'serve'], {
    env: { PATCHMON_ROOT: root, PATCHMON_AGENT_MAX_CYCLES: '1' },
    pathPrefix: [bin]
  })
  t.equal(run.code, 0, run.stderr)
  t.same(
    server.requests.map((r) => r.path),
    ['/api/v1/settings/update-interval', '/api/v1/hosts/update', '/api/v1/hosts/agent/version']
  )
  t.equal(host.reports.length, 1)
})

t.test('serve updates itself when the server offers a newer agent and carries on as that version', async (t) => {
  const server = await startFakePatchMon(t)
  const host = enrolledHost(server)
  const { root, bin } = sandbox(t, server, host, 'alpine-3.20')
  const installed = join(root, 'usr/local/bin/patchmon-agent')
  mkdirSync(join(root, 'usr/local/bin'), { recursive: true })
  copyFileSync(AGENT_PATH, installed)
  chmodSync(installed, 0o755)
  const newer = readFileSync(AGENT_PATH, 'utf8').replace(/^AGENT_VERSION=".*"$/m, 'AGENT_VERSION="1.1.1"')
  server.newerAgent = { version: '1.1.1', body: newer, hash: createHash('sha256').update(newer).digest('hex') }
  const run = await runShell('dash', [installed, 'serve'], {
    env: { PATCHMON_ROOT: root, PATCHMON_AGENT_MAX_CYCLES: '1' },
    pathPrefix: [bin]
  })
  t.equal(run.code, 0, run.stderr)
  t.match(run.stdout, 'Restarting as the updated agent')
  t.same(
    host.reports.map((r) => r.agentVersion),
    ['1.1.0', '1.1.1']
  )
  t.equal(server.requestsTo('/api/v1/hosts/agent/download').length, 1, 'downloaded once, no update loop')
})

t.test('report --json prints valid JSON with hostile characters escaped', async (t) => {
  const server = await startFakePatchMon(t)
  const host = enrolledHost(server)
  const { root, bin } = sandbox(t, server, host, 'debian-12')
  const osRelease = join(root, 'etc/os-release')
  const original = readFileSync(osRelease, 'utf8')
  const { writeFileSync } = await import('node:fs')
  writeFileSync(osRelease, original.replace('VERSION="12 (bookworm)"', 'VERSION="12 \\"quoted\\" back\\\\slash\ttab"'))
  const run = await runShell('bash', [AGENT_PATH, 'report', '--json'], { env: { PATCHMON_ROOT: root }, pathPrefix: [bin] })
  t.equal(run.code, 0, run.stderr)
  const report = JSON.parse(run.stdout) as { osVersion: string }
  t.match(report.osVersion, /^12 .*quoted.* back.*slash/)
  t.equal(server.requests.length, 0, '--json sends nothing')
})

t.test('update-agent installs a newer agent only when its SHA-256 matches, keeping a backup', async (t) => {
  const server = await startFakePatchMon(t)
  const host = enrolledHost(server)
  const { root } = sandbox(t, server, host, 'debian-12')
  const installed = join(root, 'usr/local/bin/patchmon-agent')
  mkdirSync(join(root, 'usr/local/bin'), { recursive: true })
  copyFileSync(AGENT_PATH, installed)
  chmodSync(installed, 0o755)
  const newer = readFileSync(AGENT_PATH, 'utf8').replace(/^AGENT_VERSION=".*"$/m, 'AGENT_VERSION="1.1.1"')

  server.newerAgent = { version: '1.1.1', body: newer, hash: 'f'.repeat(64) }
  const refused = await runShell('dash', [installed, 'update-agent'], { env: { PATCHMON_ROOT: root } })
  t.equal(refused.code, 1)
  t.match(refused.stderr, 'does not match')
  t.equal(readFileSync(installed, 'utf8'), readFileSync(AGENT_PATH, 'utf8'), 'a mismatching download is not installed')

  server.newerAgent = { version: '1.1.1', body: newer, hash: createHash('sha256').update(newer).digest('hex') }
  const updated = await runShell('dash', [installed, 'update-agent'], { env: { PATCHMON_ROOT: root } })
  t.equal(updated.code, 0, updated.stderr)
  t.match(updated.stdout, 'Agent updated: patchmon-agent version 1.1.1')
  t.equal(readFileSync(installed, 'utf8'), newer)
  t.equal(
    readdirSync(join(root, 'usr/local/bin')).filter((f) => f.startsWith('patchmon-agent.backup.')).length,
    1,
    'the old agent is kept as a backup'
  )
  t.notOk(existsSync(`${installed}.new`))
  const [download] = server.requestsTo('/api/v1/hosts/agent/download')
  t.equal(download?.headers['content-type'], undefined, 'version and download calls carry no Content-Type, like the Go agent')
})

t.test(
  'serve holds the live channel: report_now reports, update_agent updates and restarts, a failing server is retried with back-off',
  async (t) => {
    const server = await startFakePatchMon(t)
    const host = enrolledHost(server)
    const { root, bin } = sandbox(t, server, host, 'alpine-3.20')
    const installed = join(root, 'usr/local/bin/patchmon-agent')
    mkdirSync(join(root, 'usr/local/bin'), { recursive: true })
    copyFileSync(AGENT_PATH, installed)
    chmodSync(installed, 0o755)
    const child = spawn('dash', [installed, 'serve'], { env: cleanEnv({ PATCHMON_ROOT: root }, [bin]), stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')))
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')))
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    t.teardown(async () => {
      child.kill('SIGTERM')
      await exited
    })
    const until = async (check: () => boolean, what: string, limitMs: number): Promise<number> => {
      const started = Date.now()
      while (Date.now() - started < limitMs) {
        if (check()) return Date.now() - started
        await new Promise((r) => setTimeout(r, 25))
      }
      throw new Error(`timed out after ${limitMs} ms waiting for ${what}\n${output}`)
    }
    const polls = () => server.requestsTo('/api/v1/agents/poll')

    await until(() => host.reports.length === 1 && polls().length > 0, 'the first report and a poll', 15_000)
    t.equal(polls()[0]?.headers['x-api-key'], host.apiKey, 'the poll is agent-authenticated')
    server.commands.push({ type: 'report_now' })
    t.ok((await until(() => host.reports.length === 2, 'the requested report', 5_000)) < 5_000, 'report_now answered within 5 s')

    const newer = readFileSync(AGENT_PATH, 'utf8').replace(/^AGENT_VERSION=".*"$/m, 'AGENT_VERSION="1.1.1"')
    server.newerAgent = { version: '1.1.1', body: newer, hash: createHash('sha256').update(newer).digest('hex') }
    server.commands.push(
      { type: 'update_agent' },
      { type: 'update_notification', version: '1.1.1', force: true, message: 'Update requested' }
    )
    await until(() => host.reports.some((r) => r.agentVersion === '1.1.1'), 'a report from the updated agent', 5_000)
    t.match(output, 'Restarting as the updated agent')
    t.equal(readFileSync(installed, 'utf8'), newer, 'the new agent is installed')
    t.equal(server.requestsTo('/api/v1/hosts/agent/download').length, 1, 'downloaded once for the two update messages')

    // The server fails (restart, proxy error): the poller backs off 1, 2, 4 s instead of spinning.
    await until(() => polls().length > 0, 'a poll from the new agent', 5_000)
    server.pollStatus = 503
    const before = polls().length
    await new Promise((r) => setTimeout(r, 7_500))
    const failed = polls().length - before
    t.ok(failed >= 3 && failed <= 6, `${failed} polls in 7.5 s while the server answers 503`)
    server.pollStatus = undefined
    const reports = host.reports.length
    server.commands.push({ type: 'report_now' })
    await until(() => host.reports.length === reports + 1, 'a report once the server is back', 15_000)
    t.pass('the channel came back')
  }
)
