// The field lab: a clean Debian trixie (debootstrap minbase) booted with systemd-nspawn so systemd is
// PID 1, on its own network namespace with nothing but loopback. Tests install our packages, run our
// agent and paste our snippets there as a new user would on a fresh machine.
//
// No machined or D-Bus on the host: we never register the machine, we enter it with nsenter on the
// container's PID 1 (the "leader"), and we stop it with `systemctl poweroff` inside.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { createConnection, createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'

import { ensureRootfsTarball, ROOTFS_TARBALL, runToEnd } from './field-lab-rootfs.js'

export { ensureRootfsTarball, hostDebianMirror, ROOTFS_TARBALL } from './field-lab-rootfs.js'
const LAB_PATH = 'PATH=/usr/sbin:/usr/bin:/sbin:/bin'
/** Where exposeHostPort puts its unix sockets, as seen from inside the lab. */
const EXPOSE_DIR_IN_LAB = '/var/lib/field-lab-expose'

export interface ExecOptions {
  input?: string | Buffer
  env?: Record<string, string>
  timeoutMs?: number
}

export interface ExecResult {
  code: number | null
  stdout: string
  stderr: string
}

export interface BootOptions {
  /** `--bind=` values for systemd-nspawn (`HOST[:LAB[:OPTIONS]]`). */
  bind?: string[]
  /** `--bind-ro=` values for systemd-nspawn. */
  bindRo?: string[]
  /** How long to wait for `systemctl is-system-running` to settle (default 90 s). */
  bootTimeoutMs?: number
}

export interface FieldLab {
  /** Host path of the lab's root filesystem. */
  root: string
  /** Host PID of the lab's systemd (PID 1 inside). */
  leaderPid: number
  /** Runs `sh -c cmd` inside the lab with a clean environment (PATH plus opts.env). */
  exec(cmd: string, opts?: ExecOptions): Promise<ExecResult>
  /** Copies a host file into the lab (through the lab's own view of its filesystem). */
  copyIn(hostPath: string, labPath: string): Promise<void>
  /** Powers the lab off (bounded), kills it if it does not stop, and removes its folder. */
  shutdown(): Promise<void>
}

/** Host-side helpers (exposeHostPort's relay servers) closed when their lab shuts down. */
const shutdownHooks = new WeakMap<FieldLab, Array<() => Promise<void>>>()
function onShutdown(lab: FieldLab, hook: () => Promise<void>): void {
  const hooks = shutdownHooks.get(lab)
  if (!hooks) throw new Error('not a lab made by bootFieldLab')
  hooks.push(hook)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Labs still running, killed on process exit so a crashed test file never leaves a container behind. */
const running = new Set<number>()
process.on('exit', () => {
  for (const pid of running) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      /* already gone */
    }
  }
})

function commandExists(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0
}

let probed: string | undefined | null = null

/**
 * Why the field lab cannot run here (a sentence for t.skip), or undefined when it can. The nspawn probe
 * runs `true` in a throwaway tree made of the host's /usr, so it is quick and needs no rootfs.
 */
export function fieldLabUnavailable(): string | undefined {
  if (probed !== null) return probed
  probed = probe()
  return probed
}

function probe(): string | undefined {
  if (process.platform !== 'linux') return 'the field lab needs Linux (systemd-nspawn)'
  if (process.getuid?.() !== 0) return 'the field lab needs root (systemd-nspawn, nsenter); CI runs as root'
  for (const tool of ['systemd-nspawn', 'nsenter', 'pgrep', 'tar']) {
    if (!commandExists(tool)) return `the field lab needs ${tool} (apt-get install systemd-container util-linux procps tar)`
  }
  if (!existsSync(ROOTFS_TARBALL) && !commandExists('debootstrap')) {
    return `no cached rootfs at ${ROOTFS_TARBALL} and no debootstrap to build one (apt-get install debootstrap)`
  }
  const tree = mkdtempSync(join(tmpdir(), 'field-lab-probe-'))
  try {
    mkdirSync(join(tree, 'usr'))
    for (const link of ['bin', 'sbin', 'lib', 'lib64']) symlinkSync(`usr/${link}`, join(tree, link))
    const r = spawnSync(
      'systemd-nspawn',
      ['-q', '-D', tree, '--bind-ro=/usr', '--register=no', '--keep-unit', '--private-network', '/usr/bin/true'],
      { encoding: 'utf8', timeout: 30_000 }
    )
    if (r.status !== 0)
      return `systemd-nspawn cannot start a container here: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim()}`
  } finally {
    rmSync(tree, { recursive: true, force: true })
  }
  return undefined
}

function childSystemd(nspawnPid: number): number | undefined {
  const r = spawnSync('pgrep', ['-P', String(nspawnPid), '-x', 'systemd'], { encoding: 'utf8' })
  const pid = Number(r.stdout.trim().split('\n')[0])
  return Number.isInteger(pid) && pid > 0 ? pid : undefined
}

function nsenterArgs(leader: number, env: Record<string, string> | undefined, argv: string[]): string[] {
  const vars = Object.entries(env ?? {}).map(([k, v]) => `${k}=${v}`)
  return ['-t', String(leader), '-a', '--', 'env', '-i', LAB_PATH, ...vars, ...argv]
}

function labExec(leader: number, cmd: string, opts: ExecOptions = {}): Promise<ExecResult> {
  const timeoutMs = opts.timeoutMs ?? 120_000
  return new Promise((resolve) => {
    // coreutils timeout puts the command in its own process group and kills the whole group, so a
    // command that never ends (or leaves children holding our pipes) cannot hang the test file.
    const argv = ['timeout', '-s', 'KILL', `${Math.max(timeoutMs, 1) / 1000}`, 'sh', '-c', cmd]
    const child = spawn('nsenter', nsenterArgs(leader, opts.env, argv), { stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let done = false
    const finish = (code: number | null) => {
      if (done) return
      done = true
      clearTimeout(backstop)
      const killed = code === 137 || code === null
      resolve({ code, stdout, stderr: killed ? `${stderr}\n[field lab: killed after ${timeoutMs} ms: ${cmd}]` : stderr })
    }
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    // Backstop if the lab itself is stuck: kill nsenter and stop waiting for the pipes.
    const backstop = setTimeout(() => {
      child.kill('SIGKILL')
      child.stdout.destroy()
      child.stderr.destroy()
      finish(null)
    }, timeoutMs + 10_000)
    child.stdin.on('error', () => {
      /* the command exited without reading all its input */
    })
    child.stdin.end(opts.input ?? '')
    child.on('close', (code) => finish(code))
  })
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}

function mountedUnder(dir: string): boolean {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .some((line) => (line.split(' ')[1] ?? '').startsWith(`${dir}/`) || line.split(' ')[1] === dir)
}

/** Boots a fresh copy of the rootfs; shut down by t.teardown even when the test fails. */
export async function bootFieldLab(t: Test, opts: BootOptions = {}): Promise<FieldLab> {
  const tarball = await ensureRootfsTarball()
  const base = mkdtempSync(join(tmpdir(), 'field-lab-'))
  const root = join(base, 'root')
  mkdirSync(root)
  const unpack = await runToEnd('tar', ['-C', root, '--numeric-owner', '-xf', tarball], 5 * 60_000)
  if (unpack.code !== 0) {
    rmSync(base, { recursive: true, force: true })
    throw new Error(`unpacking ${tarball} failed: ${unpack.stderr}`)
  }
  // A tarball of a mktemp -d folder restores "/" as 0700: every non-root service would fail with CHDIR.
  chmodSync(root, 0o755)

  const args = ['-D', root, '--boot', '--private-network', '--register=no', '--keep-unit', '--console=passive']
  for (const b of opts.bind ?? []) args.push(`--bind=${b}`)
  for (const b of opts.bindRo ?? []) args.push(`--bind-ro=${b}`)
  const nspawn = spawn('systemd-nspawn', args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  nspawn.stdout?.on('data', (d: Buffer) => {
    output += d.toString()
  })
  nspawn.stderr?.on('data', (d: Buffer) => {
    output += d.toString()
  })

  let leader: number | undefined
  let stopped = false
  const shutdown = async (): Promise<void> => {
    if (stopped) return
    stopped = true
    if (leader !== undefined) {
      await labExec(leader, 'systemctl poweroff', { timeoutMs: 10_000 })
      if (!(await waitForExit(nspawn, 30_000))) {
        // Killing PID 1 of a PID namespace kills everything in it; nspawn then exits.
        try {
          process.kill(leader, 'SIGKILL')
        } catch {
          /* already gone */
        }
      }
      running.delete(leader)
    }
    if (!(await waitForExit(nspawn, 10_000))) nspawn.kill('SIGKILL')
    await waitForExit(nspawn, 10_000)
    // Never rm -rf through a mount that is still there (a --bind would take the host's files with it).
    if (!mountedUnder(base)) rmSync(base, { recursive: true, force: true })
  }
  const hooks: Array<() => Promise<void>> = []
  const shutdownAll = async (): Promise<void> => {
    for (const hook of hooks.splice(0)) await hook()
    await shutdown()
  }
  t.teardown(shutdownAll)

  const deadline = Date.now() + (opts.bootTimeoutMs ?? 90_000)
  const bootFailed = (why: string) => new Error(`the field lab did not boot: ${why}\n--- systemd-nspawn output ---\n${output.slice(-6000)}`)
  while (leader === undefined) {
    if (nspawn.exitCode !== null) throw bootFailed(`systemd-nspawn exited with ${nspawn.exitCode}`)
    if (Date.now() > deadline) throw bootFailed('no systemd process under systemd-nspawn')
    await sleep(100)
    leader = childSystemd(nspawn.pid ?? -1)
  }
  running.add(leader)
  for (;;) {
    const r = await labExec(leader, 'systemctl is-system-running', { timeoutMs: 10_000 })
    const state = r.stdout.trim()
    if (state === 'running' || state === 'degraded') break
    if (nspawn.exitCode !== null) throw bootFailed(`systemd-nspawn exited with ${nspawn.exitCode}`)
    if (Date.now() > deadline) throw bootFailed(`systemctl is-system-running still says "${state || r.stderr.trim()}"`)
    await sleep(250)
  }

  // As a Debian installer does: the host name resolves (sudo complains on every call otherwise).
  await labExec(leader, 'grep -qw "$(hostname)" /etc/hosts || echo "127.0.1.1 $(hostname)" >> /etc/hosts', { timeoutMs: 10_000 })

  const leaderPid = leader
  const lab: FieldLab = {
    root,
    leaderPid,
    exec: (cmd, execOpts) => labExec(leaderPid, cmd, execOpts),
    copyIn: async (hostPath, labPath) => {
      // Written through the lab's own mount view, so its symlinks (merged /usr) resolve as the lab sees them.
      await new Promise<void>((resolve, reject) => {
        const quoted = `'${labPath.replace(/'/g, `'\\''`)}'`
        const child = spawn(
          'nsenter',
          nsenterArgs(leaderPid, undefined, ['sh', '-c', `mkdir -p "$(dirname ${quoted})" && cat > ${quoted}`]),
          { stdio: ['pipe', 'ignore', 'pipe'] }
        )
        let stderr = ''
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString()
        })
        createReadStream(hostPath).on('error', reject).pipe(child.stdin)
        child.on('close', (code) =>
          code === 0 ? resolve() : reject(new Error(`copying ${hostPath} into the lab at ${labPath} failed: ${stderr}`))
        )
      })
    },
    shutdown: shutdownAll
  }
  shutdownHooks.set(lab, hooks)
  return lab
}

/**
 * Makes 127.0.0.1:hostPort on the host reachable as 127.0.0.1:labPort inside the lab, loopback only on
 * both sides. The host end is a unix socket that pipes each connection to 127.0.0.1:hostPort; it lives in
 * the lab's own filesystem (the rootfs is a host folder, and a path socket works across network
 * namespaces), so no --bind at boot is needed. Inside, systemd-socket-proxyd, socket-activated on
 * 127.0.0.1:labPort, forwards to that socket. The host server sees its peer as 127.0.0.1.
 */
export async function exposeHostPort(lab: FieldLab, hostPort: number, labPort: number): Promise<void> {
  const dir = join(lab.root, EXPOSE_DIR_IN_LAB)
  mkdirSync(dir, { recursive: true })
  const name = `field-lab-expose-${labPort}`
  const socketPath = join(dir, `${name}.sock`)
  const server: Server = createServer((inbound) => {
    const outbound = createConnection({ host: '127.0.0.1', port: hostPort })
    inbound.pipe(outbound).pipe(inbound)
    inbound.on('error', () => outbound.destroy())
    outbound.on('error', () => inbound.destroy())
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(socketPath, () => resolve())
  })
  onShutdown(lab, () => new Promise<void>((resolve) => server.close(() => resolve())))
  chmodSync(socketPath, 0o666)

  // Transient units in /run (gone at the lab's next boot), written from inside: the lab's /run is its own tmpfs.
  const socketUnit = `[Socket]\nListenStream=127.0.0.1:${labPort}\n`
  const serviceUnit = `[Service]\nExecStart=/usr/lib/systemd/systemd-socket-proxyd ${EXPOSE_DIR_IN_LAB}/${name}.sock\n`
  const write = async (file: string, text: string) => {
    const w = await lab.exec(`mkdir -p /run/systemd/system && cat > /run/systemd/system/${file}`, { input: text, timeoutMs: 10_000 })
    if (w.code !== 0) throw new Error(`writing ${file} in the lab failed: ${w.stderr}`)
  }
  await write(`${name}.socket`, socketUnit)
  await write(`${name}.service`, serviceUnit)
  const r = await lab.exec(`systemctl daemon-reload && systemctl start ${name}.socket`, { timeoutMs: 30_000 })
  if (r.code !== 0) throw new Error(`exposing host port ${hostPort} as lab port ${labPort} failed: ${r.stdout}${r.stderr}`)
}
