// The real server as users run it: `tsx src/main.ts serve` in its own process, on 127.0.0.1 and a
// free port, with its JSON log written to a file. Used by the crash-safety script (which SIGKILLs
// it) and the load bench (which samples its RSS from /proc).
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'

export const REPO_ROOT = resolve(__dirname, '..', '..')
export const SERVER_ADMIN_PASSWORD = 'reliability-admin-password'

export interface ServerProcess {
  child: ChildProcess
  pid: number
  baseUrl: string
  logFile: string
  /** Resolves with the exit signal or code once the process is gone. */
  exited: Promise<string>
  /** SIGKILL and wait for the process to be gone. */
  kill(): Promise<string>
  /** SIGTERM (graceful shutdown) and wait. */
  stop(): Promise<string>
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer()
    probe.once('error', fail)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => done(port))
    })
  })
}

/** Polls /health until it answers 200, the process dies, or `timeoutMs` passes. */
async function waitHealthy(baseUrl: string, exited: Promise<string>, timeoutMs: number): Promise<void> {
  let dead: string | undefined
  void exited.then((how) => {
    dead = how
  })
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (dead !== undefined) throw new Error(`server exited before it was ready (${dead})`)
    try {
      const res = await fetch(`${baseUrl}/health`)
      if (res.status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`server did not answer /health within ${timeoutMs} ms`)
}

export async function startServerProcess(
  dataDir: string,
  env: Record<string, string> = {},
  logName = 'server.log'
): Promise<ServerProcess> {
  const port = await freePort()
  const logFile = join(dataDir, logName)
  const logFd = openSync(logFile, 'a')
  // PATCHMON_SERVER_BINARY runs a built single executable (dist/patchmon) instead of the source.
  const binary = process.env.PATCHMON_SERVER_BINARY
  const [command, args] = binary ? [resolve(binary), ['serve']] : [join(REPO_ROOT, 'node_modules/.bin/tsx'), ['src/main.ts', 'serve']]
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: {
      // The pinned Node (node_modules/.bin/node) runs tsx and the server, as under npm scripts.
      PATH: `${join(REPO_ROOT, 'node_modules/.bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: process.env.HOME ?? dataDir,
      PATCHMON_DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      PATCHMON_ADMIN_PASSWORD: SERVER_ADMIN_PASSWORD,
      PATCHMON_LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      // One loopback address stands for a whole fleet here.
      RATE_LIMIT_MAX: '10000000',
      AUTH_RATE_LIMIT_MAX: '10000000',
      AGENT_RATE_LIMIT_MAX: '10000000',
      // The scripts' notification receivers listen on loopback, which the outbound policy blocks by default.
      PATCHMON_NOTIFY_ALLOWED_TARGETS: '127.0.0.1',
      ...env
    },
    stdio: ['ignore', logFd, logFd],
    // Its own process group, so tsx's wrapper and the node it starts die together.
    detached: true
  })
  closeSync(logFd)
  const exited = new Promise<string>((done) => child.once('exit', (code, signal) => done(signal ?? `exit ${code}`)))
  const baseUrl = `http://127.0.0.1:${port}`
  try {
    // Generous: on a loaded shared machine, transpiling and starting can take a minute.
    await waitHealthy(baseUrl, exited, 180_000)
  } catch (err) {
    killGroup(child)
    await exited
    throw new Error(`${(err as Error).message}\n${readFileSync(logFile, 'utf8').slice(-2000)}`, { cause: err })
  }
  // tsx runs the server as its own child; the pid that matters (RSS, SIGKILL) is the node running main.ts.
  const serverPid = await serverPidOf(child.pid as number)
  // Never leave a server behind when the driving script exits (also on Ctrl-C, see main scripts).
  const reap = () => killGroup(child)
  process.once('exit', reap)
  void exited.then(() => process.removeListener('exit', reap))
  return {
    child,
    pid: serverPid,
    baseUrl,
    logFile,
    exited,
    async kill() {
      killGroup(child)
      return exited
    },
    async stop() {
      child.kill('SIGTERM')
      return exited
    }
  }
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-(child.pid as number), 'SIGKILL')
  } catch {
    // already gone
  }
}

/** The deepest descendant of `pid` (tsx's wrapper spawns node on main.ts), or `pid` itself. */
async function serverPidOf(pid: number): Promise<number> {
  let current = pid
  for (let depth = 0; depth < 4; depth++) {
    let children: string
    try {
      children = readFileSync(`/proc/${current}/task/${current}/children`, 'utf8').trim()
    } catch {
      return current
    }
    const first = children.split(/\s+/).filter(Boolean)[0]
    if (!first) return current
    current = Number(first)
  }
  return current
}

/** Resident set size of a process in MiB, from /proc (undefined once it is gone). */
export function rssMiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const match = /^VmRSS:\s+(\d+) kB/m.exec(status)
    return match ? Number(match[1]) / 1024 : undefined
  } catch {
    return undefined
  }
}

export async function adminToken(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: SERVER_ADMIN_PASSWORD })
  })
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { token: string }).token
}

export interface HostCredentials {
  id: string
  apiId: string
  apiKey: string
}

export async function createHostOverHttp(baseUrl: string, token: string, friendlyName: string): Promise<HostCredentials> {
  const res = await fetch(`${baseUrl}/api/v1/hosts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ friendly_name: friendlyName })
  })
  if (res.status !== 201) throw new Error(`creating host ${friendlyName} failed: ${res.status} ${await res.text()}`)
  const body = (await res.json()) as { id: string; api_id: string; api_key: string }
  return { id: body.id, apiId: body.api_id, apiKey: body.api_key }
}
