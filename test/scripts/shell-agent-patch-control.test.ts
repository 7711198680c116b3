// The shell agent's control over a patch run (stand-in server, fake apt-get): patch_run_stop sends
// SIGINT to the package manager's process group and SIGKILL after the grace period (stage
// `cancelled`), the time limit fails the run, the pre-patch hook gates it, and reboots follow the run's
// reboot option or a reboot_host frame (a fake `shutdown` records what it was asked).
import t from 'tap'
import { randomUUID } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { startFakePatchMon, type FakeHost, type FakePatchMon } from './helpers/fake-patchmon.js'
import { DISTROS_DIR, tempDir } from './helpers/run-script.js'
import { commandsRun, fakeBin, serveForPatching, until, type FakeAnswers } from './helpers/patching-agent.js'

function enrolledHost(server: FakePatchMon): FakeHost {
  const host: FakeHost = {
    apiId: 'patchmon_0badc0ffee0ddf00',
    apiKey: 'c'.repeat(64),
    friendlyName: 'ctl',
    enrollBody: {},
    reports: [],
    pings: 0
  }
  server.hosts.push(host)
  return host
}

const UPGRADE = '*--with-new-pkgs upgrade -y'
// A slow upgrade that leaves a marker when SIGINT reaches it (or ignores SIGINT when asked to).
const slowUpgrade = (marker: string, ignoreInt = false): FakeAnswers => ({
  'update -qq': 'exit 0',
  [UPGRADE]: `${ignoreInt ? "trap '' INT" : `trap 'echo interrupted > "${marker}"; echo "apt-get: interrupted"; exit 130' INT`}
    echo "Reading package lists..."; i=0; while [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done; exit 0`
})
const quickUpgrade: FakeAnswers = {
  'update -qq': 'exit 0',
  [UPGRADE]: 'echo "Unpacking tzdata (2024b-0+deb12u1) over (2024a-0+deb12u1) ..."; exit 0'
}

function fakeShutdown(dir: string): Record<string, FakeAnswers> {
  return { shutdown: { '*': `echo "$*" >> "${dir}/shutdown.log"; exit 0` } }
}

for (const shell of ['dash', 'bash']) {
  t.test(`${shell}: patch_run_stop interrupts the package manager's process group -> cancelled, then a report`, async (t) => {
    const server = await startFakePatchMon(t)
    const host = enrolledHost(server)
    const marker = join(tempDir(t, 'patchmon-int-'), 'marker')
    const bin = fakeBin(t, join(DISTROS_DIR, 'debian-12', 'bin'), { 'apt-get': slowUpgrade(marker) })
    const agent = await serveForPatching(t, server, host, 'debian-12', bin.dir, { shell })
    const id = randomUUID()
    server.commands.push({ type: 'run_patch', patch_run_id: id, patch_type: 'patch_all', dry_run: false })
    await until(
      () => agent.stagesOf(id).some((s) => s.output?.includes('Reading package lists...')),
      'the upgrade to start',
      10_000,
      agent.output
    )
    const stopped = Date.now()
    const stages = await agent.run({ type: 'patch_run_stop', patch_run_id: id })
    t.ok(Date.now() - stopped < 5_000, `stopped within ${Date.now() - stopped} ms`)
    const last = stages[stages.length - 1]
    t.equal(last?.stage, 'cancelled')
    t.equal(last?.error_message, 'stopped by user')
    t.match(last?.output, /apt-get: interrupted\n--- Patch run stopped by user at .* ---\n$/)
    t.equal(readFileSync(marker, 'utf8'), 'interrupted\n', 'the package manager got SIGINT')
    await until(() => host.reports.length === 2, 'a report after the stopped run', 10_000, agent.output)
    t.pass('a fresh report follows the stop')
  })
}

t.test('a package manager that ignores SIGINT is killed after the grace period', async (t) => {
  const server = await startFakePatchMon(t)
  const host = enrolledHost(server)
  const bin = fakeBin(t, join(DISTROS_DIR, 'debian-12', 'bin'), { 'apt-get': slowUpgrade('/dev/null', true) })
  const agent = await serveForPatching(t, server, host, 'debian-12', bin.dir, { env: { PATCHMON_PATCH_GRACE_SECONDS: '2' } })
  const id = randomUUID()
  server.commands.push({ type: 'run_patch', patch_run_id: id, patch_type: 'patch_all' })
  await until(() => agent.stagesOf(id).some((s) => s.output?.includes('Reading package lists...')), 'the upgrade', 10_000)
  const stopped = Date.now()
  const stages = await agent.run({ type: 'patch_run_stop', patch_run_id: id })
  const ms = Date.now() - stopped
  t.ok(ms >= 1_500 && ms < 6_000, `killed after the 2 s grace period (${ms} ms)`)
  t.equal(stages[stages.length - 1]?.stage, 'cancelled')
})

t.test('the time limit fails a run that takes too long, naming the limit', async (t) => {
  const server = await startFakePatchMon(t)
  const host = enrolledHost(server)
  const bin = fakeBin(t, join(DISTROS_DIR, 'debian-12', 'bin'), { 'apt-get': slowUpgrade('/dev/null') })
  const agent = await serveForPatching(t, server, host, 'debian-12', bin.dir, { env: { PATCHMON_PATCH_TIMEOUT_SECONDS: '2' } })
  const stages = await agent.run({ type: 'run_patch', patch_type: 'patch_all' })
  const last = stages[stages.length - 1]
  t.equal(last?.stage, 'failed')
  t.equal(last?.error_message, 'patch run exceeded the 2-second limit')
  t.match(last?.output, /--- Patch run failed at .* ---\n$/)
})

t.test('pre-patch hook: non-zero exit fails the run before the package manager; zero lets it go on, both reported', async (t) => {
  const server = await startFakePatchMon(t)
  const host = enrolledHost(server)
  const bin = fakeBin(t, join(DISTROS_DIR, 'debian-12', 'bin'), { 'apt-get': quickUpgrade })
  const agent = await serveForPatching(t, server, host, 'debian-12', bin.dir)
  const hook = join(agent.root, 'etc/patchmon/pre-patch')
  writeFileSync(hook, '#!/bin/sh\necho "backup of $PATCHMON_PATCH_RUN_ID failed"\nexit 3\n')
  chmodSync(hook, 0o755)
  const id = randomUUID()
  const refused = await agent.run({ type: 'run_patch', patch_run_id: id, patch_type: 'patch_all' })
  const failed = refused[refused.length - 1]
  t.equal(failed?.stage, 'failed')
  t.equal(failed?.error_message, 'pre-patch hook exited 3')
  t.same(failed?.pre_patch_hook, { exit_code: 3, output: `backup of ${id} failed\n` })
  t.same(commandsRun(refused), [hook], 'nothing but the hook ran')

  writeFileSync(hook, '#!/bin/sh\necho "backup done"\n')
  const ok = await agent.run({ type: 'run_patch', patch_type: 'patch_all' })
  const done = ok[ok.length - 1]
  t.equal(done?.stage, 'completed', done?.error_message ?? '')
  t.same(done?.pre_patch_hook, { exit_code: 0, output: 'backup done\n' })
  t.same(commandsRun(ok), [
    hook,
    'apt-get update -qq',
    'apt-get -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold --with-new-pkgs upgrade -y'
  ])
  const dry = await agent.run({ type: 'run_patch', patch_type: 'patch_package', package_names: ['tzdata'], dry_run: true })
  t.notOk(dry[dry.length - 1]?.pre_patch_hook, 'a dry run changes nothing: no hook')
})

t.test('reboot option: after reboots, if_required only when the host needs it, never not at all; reboot_host frame', async (t) => {
  const server = await startFakePatchMon(t)
  const host = enrolledHost(server)
  const logDir = tempDir(t, 'patchmon-shutdown-')
  const bin = fakeBin(t, join(DISTROS_DIR, 'debian-12', 'bin'), { 'apt-get': quickUpgrade, ...fakeShutdown(logDir) })
  const log = join(logDir, 'shutdown.log')
  const shutdowns = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [])
  const agent = await serveForPatching(t, server, host, 'debian-12', bin.dir)

  const never = await agent.run({ type: 'run_patch', patch_type: 'patch_all', reboot: 'never' })
  t.equal(never[never.length - 1]?.reboot_required, false)
  const notRequired = await agent.run({ type: 'run_patch', patch_type: 'patch_all', reboot: 'if_required' })
  t.match(notRequired[notRequired.length - 1]?.output, 'No reboot required (reboot option: if_required)')
  await new Promise((r) => setTimeout(r, 1_000))
  t.same(shutdowns(), [], 'no reboot yet')

  mkdirSync(join(agent.root, 'var/run'), { recursive: true })
  writeFileSync(join(agent.root, 'var/run/reboot-required'), '')
  const required = await agent.run({ type: 'run_patch', patch_type: 'patch_all', reboot: 'if_required' })
  const last = required[required.length - 1]
  t.equal(last?.reboot_required, true)
  t.match(last?.output, 'Rebooting in 60 s (reboot option: if_required)')
  await until(() => shutdowns().length === 1, 'the reboot', 10_000, agent.output)
  t.same(shutdowns(), ['-r +1 PatchMon: reboot requested'])

  const frame = await agent.run({ type: 'reboot_host', delay_seconds: 60 })
  t.same(
    frame.map((s) => s.stage).filter((s) => s !== 'progress'),
    ['started', 'completed']
  )
  t.match(frame[frame.length - 1]?.output, /^reboot scheduled in 60 s\n/)
  t.same(shutdowns().slice(1), ['-r +1 PatchMon: reboot requested'])
})
