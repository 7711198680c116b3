// Our shell agent (real dash, sandboxed, fake apt-get) against the real server's patching routes on
// loopback: a shell agent that reports version 1.x is still dispatched to because its poll announces
// run_patch; a dry run ends `validated` with its packages, Stop ends a running run `cancelled` with the
// agent's own output, a reboot run reaches the agent as reboot_host, and a refusing pre-patch hook fails
// the run with its result stored. Needs no root (the field lab runs the same journeys with the real
// apt-get).
import t from 'tap'
import { spawn } from 'node:child_process'
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { buildTestApp, bearer, type TestApp } from '../helpers/test-app.js'
import { createHost } from '../../src/hosts/host-service.js'
import { AGENT_PATH } from '../scripts/helpers/fake-patchmon.js'
import { cleanEnv, DISTROS_DIR, distroSandbox, tempDir, writeAgentConfig } from '../scripts/helpers/run-script.js'
import { fakeBin, until } from '../scripts/helpers/patching-agent.js'

interface RunDetail {
  status: string
  shell_output: string
  error_message: string | null
  packages_affected: string[] | null
  pre_patch_hook: { exit_code: number; output: string } | null
}

const runOf = async (ctx: TestApp, id: string): Promise<RunDetail> =>
  (await ctx.app.inject({ method: 'GET', url: `/api/v1/patching/runs/${id}`, headers: bearer(ctx.adminToken) })).json<RunDetail>()

/** Reads the run until `done` holds for it (bounded). */
async function runUntil(ctx: TestApp, id: string, done: (run: RunDetail) => boolean, what: string): Promise<RunDetail> {
  const started = Date.now()
  for (;;) {
    const run = await runOf(ctx, id)
    if (done(run)) return run
    if (Date.now() - started > 20_000) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(run)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

t.test('the shell agent patches through the real routes: dry run, stop, reboot, pre-patch hook', async (t) => {
  const ctx = await buildTestApp(t)
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = ctx.app.server.address() as AddressInfo
  const { host, apiKey } = await createHost(ctx.store.db, { friendlyName: 'shell-patching' })
  const root = tempDir(t, 'patchmon-agent-patching-')
  distroSandbox(root, 'debian-12')
  writeAgentConfig(root, `http://127.0.0.1:${port}`, host.api_id, apiKey)
  const logDir = tempDir(t, 'patchmon-shutdown-')
  const bin = fakeBin(t, join(DISTROS_DIR, 'debian-12', 'bin'), {
    'apt-get': {
      'update -qq': 'exit 0',
      '-s --only-upgrade install openssl libssl3': `grep -E '^(Inst|Conf) (openssl|libssl3) ' "${DISTROS_DIR}/debian-12/out/apt-get-upgrade.out"; exit 0`,
      '*--with-new-pkgs upgrade -y': `trap 'echo "apt-get: interrupted"; exit 130' INT
        echo "Reading package lists..."; i=0; while [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done`
    },
    shutdown: { '*': `echo "$*" >> "${logDir}/shutdown.log"; exit 0` }
  })
  const child = spawn('dash', [AGENT_PATH, 'serve'], {
    env: cleanEnv({ PATCHMON_ROOT: root }, [bin.dir]),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')))
  child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  t.teardown(async () => {
    child.kill('SIGTERM')
    await exited
  })
  await until(
    () => ctx.app.agentConnections.capabilities(host.id).has('run_patch'),
    'the live channel with its capabilities',
    20_000,
    () => out
  )
  t.same([...ctx.app.agentConnections.capabilities(host.id)].sort(), ['patch_run_stop', 'pre_patch_hook', 'reboot_host', 'run_patch'])

  const trigger = async (payload: Record<string, unknown>): Promise<string> => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/patching/trigger',
      headers: bearer(ctx.adminToken),
      payload: { host_id: host.id, ...payload }
    })
    t.equal(res.statusCode, 200, res.body)
    return res.json<{ patch_run_id: string }>().patch_run_id
  }

  const dryId = await trigger({ patch_type: 'patch_package', package_names: ['openssl', 'libssl3'], dry_run: true })
  const dry = await runUntil(ctx, dryId, (r) => ['validated', 'failed'].includes(r.status), 'the dry run')
  t.equal(dry.status, 'validated', dry.error_message ?? 'the dry run is validated')
  t.same(dry.packages_affected, ['libssl3', 'openssl'])
  t.match(dry.shell_output, /^\$ apt-get update -qq\n\$ apt-get -s --only-upgrade install openssl libssl3\nInst libssl3 /)

  const slowId = await trigger({ patch_type: 'patch_all' })
  await until(
    () => out.includes(`Patch run ${slowId} started`),
    'the agent to start the run',
    10_000,
    () => out
  )
  await runUntil(ctx, slowId, (r) => r.shell_output.includes('Reading package lists...'), 'the streamed output')
  const stop = await ctx.app.inject({ method: 'POST', url: `/api/v1/patching/runs/${slowId}/stop`, headers: bearer(ctx.adminToken) })
  t.equal(stop.statusCode, 200, stop.body)
  const stopped = await runUntil(ctx, slowId, (r) => r.shell_output.includes('--- Patch run stopped by user at'), "the agent's report")
  t.equal(stopped.status, 'cancelled')
  t.match(
    stopped.shell_output,
    /apt-get: interrupted\n--- Patch run stopped by user at .* ---\n$/,
    "the agent's full output replaces the streamed one"
  )

  const reboot = await ctx.app.patchRuns.launch({ hostId: host.id, patchType: 'reboot', triggeredBy: { userId: null, source: 'api' } })
  const rebooted = await runUntil(ctx, reboot.id, (r) => ['completed', 'failed'].includes(r.status), 'the reboot run')
  t.equal(rebooted.status, 'completed', rebooted.error_message ?? 'the reboot run completed')
  t.match(rebooted.shell_output, /^reboot scheduled in 60 s\n/)
  const log = join(logDir, 'shutdown.log')
  await until(() => existsSync(log), 'the fake shutdown', 5_000)
  t.equal(readFileSync(log, 'utf8'), '-r +1 PatchMon: reboot requested\n')

  // The pre-patch hook refuses: the run fails with its exit code, and the server keeps its result.
  const hook = join(root, 'etc/patchmon/pre-patch')
  writeFileSync(hook, '#!/bin/sh\necho "no fresh backup"\nexit 4\n')
  chmodSync(hook, 0o755)
  const hookId = await trigger({ patch_type: 'patch_all' })
  const refused = await runUntil(ctx, hookId, (r) => ['completed', 'failed'].includes(r.status), 'the hooked run')
  t.equal(refused.status, 'failed')
  t.equal(refused.error_message, 'pre-patch hook exited 4')
  t.same(refused.pre_patch_hook, { exit_code: 4, output: 'no fresh backup\n' })
})
