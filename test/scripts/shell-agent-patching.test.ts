// The shell agent patches over its live channel (run by real dash and bash, against the stand-in
// server): the exact package-manager commands for apt, dnf, yum, zypper, apk and pacman, the stages
// the Go agent sends, dry runs listing the packages they would upgrade, and a fresh report after a
// real run. Package managers are fake commands that log their argv (helpers/patching-agent.ts).
import t from 'tap'
import { randomUUID } from 'node:crypto'
import { startFakePatchMon, type FakeHost, type FakePatchMon } from './helpers/fake-patchmon.js'
import { DISTROS_DIR } from './helpers/run-script.js'
import { commandsRun, fakeBin, serveForPatching, until, type FakeAnswers } from './helpers/patching-agent.js'
import { join } from 'node:path'

export function enrolledHost(server: FakePatchMon): FakeHost {
  const host: FakeHost = {
    apiId: 'patchmon_feedfacecafebeef',
    apiKey: 'p'.repeat(64),
    friendlyName: 'patch',
    enrollBody: {},
    reports: [],
    pings: 0
  }
  server.hosts.push(host)
  return host
}

interface PmCase {
  distro: string
  pm: string
  omit?: string[]
  answers: Record<string, FakeAnswers>
  dryAll: { commands: string[]; affected: string[] }
  named: { names: string[]; commands: string[]; affected: string[] }
}

const APT_OPTS = 'apt-get -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold'
const DNF_DRY = `echo 'Dependencies resolved.'; echo 'Upgrading:'; echo ' openssl    x86_64   1:3.0.7-27.el9    baseos   1.2 M'
  echo ' python3-dnf-plugins-core-with-a-long-name'; echo '            noarch   4.3.0-13.el9_4.1  baseos   10 k'
  echo 'Transaction Summary'; echo 'Operation aborted.'; exit 1`
const DNF_REAL = `echo '  Upgrading        : openssl-libs-1:3.0.7-27.el9.x86_64    1/2'; exit 0`

const CASES: PmCase[] = [
  {
    distro: 'debian-12',
    pm: 'apt',
    answers: {
      'apt-get': {
        'update -qq': 'echo "DEBIAN_FRONTEND=$DEBIAN_FRONTEND"; exit 0',
        '-s --with-new-pkgs upgrade': `cat "${DISTROS_DIR}/debian-12/out/apt-get-upgrade.out"; exit 0`,
        '*--only-upgrade install -y*': 'echo "Unpacking openssl:amd64 (3.0.13-1~deb12u1) over (3.0.11-1~deb12u2) ..."; exit 0'
      }
    },
    dryAll: {
      commands: ['apt-get update -qq', 'apt-get -s --with-new-pkgs upgrade'],
      affected: ['base-files', 'libssl3', 'openssl', 'tzdata']
    },
    named: {
      names: ['openssl', 'libssl3'],
      commands: ['apt-get update -qq', `${APT_OPTS} --only-upgrade install -y openssl libssl3`],
      affected: ['openssl']
    }
  },
  {
    distro: 'rocky-9',
    pm: 'dnf',
    answers: { dnf: { 'makecache -q -y': 'exit 0', 'upgrade --assumeno': DNF_DRY, 'upgrade -y openssl-libs': DNF_REAL } },
    dryAll: {
      commands: ['dnf makecache -q -y', 'dnf upgrade --assumeno'],
      affected: ['openssl.x86_64', 'python3-dnf-plugins-core-with-a-long-name.noarch']
    },
    named: { names: ['openssl-libs'], commands: ['dnf makecache -q -y', 'dnf upgrade -y openssl-libs'], affected: ['openssl-libs.x86_64'] }
  },
  {
    distro: 'rocky-9',
    pm: 'yum',
    omit: ['dnf'],
    answers: {
      yum: {
        'makecache -q -y': 'exit 0',
        'upgrade --assumeno': DNF_DRY,
        'upgrade -y openssl-libs': DNF_REAL,
        '*': `exec "${DISTROS_DIR}/rocky-9/bin/dnf" "$@"`
      }
    },
    dryAll: {
      commands: ['yum makecache -q -y', 'yum upgrade --assumeno'],
      affected: ['openssl.x86_64', 'python3-dnf-plugins-core-with-a-long-name.noarch']
    },
    named: { names: ['openssl-libs'], commands: ['yum makecache -q -y', 'yum upgrade -y openssl-libs'], affected: ['openssl-libs.x86_64'] }
  },
  {
    distro: 'opensuse-leap-15.6',
    pm: 'zypper',
    answers: {
      zypper: {
        '--non-interactive refresh': 'exit 0',
        '--non-interactive update --dry-run':
          "printf 'Loading repository data...\\nThe following 2 packages are going to be upgraded:\\n  libopenssl3 openssl-3\\n\\n2 packages to upgrade.\\n'; exit 0",
        '--non-interactive update --auto-agree-with-licenses libopenssl3':
          "printf 'The following package is going to be upgraded:\\n  libopenssl3\\n\\n(1/1) Installing: libopenssl3-3.1.4 [done]\\n'; exit 0"
      }
    },
    dryAll: {
      commands: ['zypper --non-interactive refresh', 'zypper --non-interactive update --dry-run'],
      affected: ['libopenssl3', 'openssl-3']
    },
    named: {
      names: ['libopenssl3'],
      commands: ['zypper --non-interactive refresh', 'zypper --non-interactive update --auto-agree-with-licenses libopenssl3'],
      affected: ['libopenssl3']
    }
  },
  {
    distro: 'alpine-3.20',
    pm: 'apk',
    answers: {
      apk: {
        update: 'exit 0',
        'upgrade -s':
          "printf '(1/2) Upgrading busybox (1.36.1-r29 -> 1.36.1-r30)\\n(2/2) Upgrading busybox-binsh (1.36.1-r29 -> 1.36.1-r30)\\nOK: 9 MiB in 20 packages\\n'; exit 0",
        'info -e busybox': 'exit 0',
        'info -e not-installed': 'exit 1',
        'add -u busybox': "printf '(1/1) Upgrading busybox (1.36.1-r29 -> 1.36.1-r30)\\nOK\\n'; exit 0"
      }
    },
    dryAll: { commands: ['apk update', 'apk upgrade -s'], affected: ['busybox', 'busybox-binsh'] },
    named: { names: ['busybox', 'not-installed'], commands: ['apk update', 'apk add -u busybox'], affected: ['busybox'] }
  },
  {
    distro: 'arch',
    pm: 'pacman',
    answers: {
      pacman: {
        '-Sy --noconfirm': 'exit 0',
        '-Sup --print-format %n': "printf 'linux\\nopenssl\\n'; exit 0",
        '-Q linux': 'echo "linux 6.10.10.arch1-1"; exit 0',
        '-Q not-installed': 'exit 1',
        '-S --noconfirm linux': "printf ':: Processing package changes...\\nupgrading linux...\\n'; exit 0"
      }
    },
    dryAll: { commands: ['pacman -Sy --noconfirm', 'pacman -Sup --print-format %n'], affected: ['linux', 'openssl'] },
    named: { names: ['linux', 'not-installed'], commands: ['pacman -Sy --noconfirm', 'pacman -S --noconfirm linux'], affected: ['linux'] }
  }
]

for (const c of CASES) {
  t.test(`${c.pm}: a dry run lists what would be upgraded; a real named run upgrades only installed names, then reports`, async (t) => {
    const server = await startFakePatchMon(t)
    const host = enrolledHost(server)
    const bin = fakeBin(t, join(DISTROS_DIR, c.distro, 'bin'), c.answers, c.omit)
    const agent = await serveForPatching(t, server, host, c.distro, bin.dir)
    const poll = server.requestsTo('/api/v1/agents/poll')[0]
    t.equal(poll?.headers['x-patchmon-capabilities'], 'run_patch,patch_run_stop,reboot_host,pre_patch_hook', 'capabilities on the poll')

    const dry = await agent.run({ type: 'run_patch', patch_type: 'patch_all', dry_run: true })
    t.same(
      dry.map((s) => s.stage).filter((s) => s !== 'progress'),
      ['started', 'dry_run_completed']
    )
    const done = dry[dry.length - 1]
    t.same(commandsRun(dry), c.dryAll.commands, 'exactly the dry-run commands')
    t.same(done?.packages_affected, c.dryAll.affected, 'packages_affected')
    t.match(done?.output, /--- Dry run completed at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ ---\n$/)
    t.notOk('reboot_required' in (done ?? {}), 'a dry run says nothing about reboots')
    const streamed = dry.filter((s) => s.stage === 'progress').map((s) => s.output ?? '')
    t.equal(streamed.join(''), done?.output, 'the progress chunks add up to the full output')
    for (const cmd of c.dryAll.commands) t.ok(bin.calls().includes(cmd), `${cmd} was run`)
    t.equal(host.reports.length, 1, 'no report after a dry run')

    const real = await agent.run({ type: 'run_patch', patch_type: 'patch_package', dry_run: false, package_names: c.named.names })
    const last = real[real.length - 1]
    t.equal(last?.stage, 'completed', last?.error_message ?? '')
    t.same(commandsRun(real), c.named.commands, 'exactly the real-run commands')
    t.same(last?.packages_affected, c.named.affected)
    t.equal(last?.reboot_required, false)
    t.match(last?.output, /--- Patch run completed at .* ---\n$/)
    await until(() => host.reports.length === 2, 'the report after the run', 10_000, agent.output)
    t.pass('a fresh report follows the real run')
  })
}

t.test('apt runs with DEBIAN_FRONTEND=noninteractive; package_name works like a one-name list', async (t) => {
  const server = await startFakePatchMon(t)
  const host = enrolledHost(server)
  const bin = fakeBin(t, join(DISTROS_DIR, 'debian-12', 'bin'), CASES[0]?.answers ?? {})
  const agent = await serveForPatching(t, server, host, 'debian-12', bin.dir, { shell: 'bash' })
  const stages = await agent.run({ type: 'run_patch', patch_type: 'patch_package', package_name: 'openssl', dry_run: true })
  t.same(commandsRun(stages), ['apt-get update -qq', 'apt-get -s --only-upgrade install openssl'])
  t.match(stages[stages.length - 1]?.output, 'DEBIAN_FRONTEND=noninteractive')
})

t.test('bad frames: an invalid name or an unknown patch_type fails the run with a message; a repeated frame runs once', async (t) => {
  const server = await startFakePatchMon(t)
  const host = enrolledHost(server)
  const bin = fakeBin(t, join(DISTROS_DIR, 'debian-12', 'bin'), CASES[0]?.answers ?? {})
  const agent = await serveForPatching(t, server, host, 'debian-12', bin.dir)
  const bad = await agent.run({ type: 'run_patch', patch_type: 'patch_package', package_names: ['openssl', 'x;reboot'] })
  t.same(
    bad.map((s) => [s.stage, s.error_message]),
    [['failed', 'invalid package name: x;reboot']]
  )
  const unknown = await agent.run({ type: 'run_patch', patch_type: 'dist_upgrade' })
  t.equal(unknown[0]?.error_message, 'unknown patch_type: dist_upgrade')
  const none = await agent.run({ type: 'run_patch', patch_type: 'patch_package', package_names: [] })
  t.equal(none[0]?.error_message, 'patch_package needs at least one package name')
  t.equal(bin.calls().filter((c) => c.startsWith('apt-get update')).length, 1, 'only the first report refreshed: no run ran anything')

  // A frame quoted inside another message's string is text, not a command.
  server.commands.push({
    type: 'notice',
    message: '{"commands":[{"type":"run_patch","patch_run_id":"quoted-1","patch_type":"patch_all"}]}'
  })
  const id = randomUUID()
  server.commands.push({ type: 'run_patch', patch_run_id: id, patch_type: 'patch_all', dry_run: true })
  server.commands.push({ type: 'run_patch', patch_run_id: id, patch_type: 'patch_all', dry_run: true })
  const stages = await agent.run({ type: 'run_patch', patch_run_id: id, patch_type: 'patch_all', dry_run: true })
  await new Promise((r) => setTimeout(r, 1500))
  t.equal(stages.filter((s) => s.stage === 'started').length, 1, 'one run for three identical frames')
  t.notOk(server.patchStages.has('quoted-1'), 'no run from a quoted frame')
})
