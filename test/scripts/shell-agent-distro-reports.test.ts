// The shell agent's report, run by real dash and bash against recorded package-manager output of six
// distributions and posted to the stand-in server: packages, flags, repositories and JSON types.
import t from 'tap'
import { AGENT_PATH, startFakePatchMon } from './helpers/fake-patchmon.js'
import { runShell } from './helpers/run-script.js'
import { enrolledHost, sandbox } from './helpers/agent-sandbox.js'

interface Expected {
  osType: string
  osVersion: string
  packageManager: string
  packages: number
  updates: number
  security: number
  repositories: number
  needsReboot: boolean
  sample: { name: string; currentVersion: string; availableVersion?: string; sourceName?: string; isSecurityUpdate: boolean }
  /** binary name -> the source name the report must carry (absent = the recording has none) */
  sources?: Record<string, string>
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
    sample: {
      name: 'openssl',
      currentVersion: '3.0.11-1~deb12u2',
      availableVersion: '3.0.13-1~deb12u1',
      sourceName: 'openssl',
      isSecurityUpdate: true
    },
    sources: { libssl3: 'openssl', libc6: 'glibc', zlib1g: 'zlib', bash: 'bash' }
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
      sourceName: 'dnf-plugins-core',
      isSecurityUpdate: false
    },
    sources: { 'openssl-libs.x86_64': 'openssl', 'glibc-common.x86_64': 'glibc', 'kernel-core.x86_64': 'kernel' }
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
    sample: {
      name: 'busybox-binsh',
      currentVersion: '1.36.1-r29',
      availableVersion: '1.36.1-r30',
      sourceName: 'busybox',
      isSecurityUpdate: false
    },
    sources: { libcrypto3: 'openssl', libcurl: 'curl', 'ca-certificates-bundle': 'ca-certificates' }
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
      if (expected.sources) {
        for (const [name, source] of Object.entries(expected.sources))
          t.equal(packages.find((p) => p.name === name)?.sourceName, source, `${name} is built from ${source}`)
        t.notOk(
          packages.some((p) => p.sourceName === '' || p.sourceName === '(none)'),
          'no empty source names'
        )
      } else {
        t.notOk(
          packages.some((p) => 'sourceName' in p),
          'no source name when the package manager output has none'
        )
      }
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
          sourceName: 'openssl',
          needsUpdate: true,
          isSecurityUpdate: true
        }
      ])
      t.same(byName('zlib1g'), [
        { name: 'zlib1g', currentVersion: '1:1.2.13.dfsg-1', sourceName: 'zlib', needsUpdate: false, isSecurityUpdate: false }
      ])
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
