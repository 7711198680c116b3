// Starts built programs the way users do: from an empty folder, with nothing on PATH (so no
// node), and talks to them over loopback.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../../packaging/free-port.js'

/** An empty folder to put on PATH: the programs must not need node or anything else. */
export const EMPTY_PATH = mkdtempSync(join(tmpdir(), 'patchmon-empty-path-'))

export { freePort }

export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: EMPTY_PATH, HOME: tmpdir(), LOG_LEVEL: 'warn', ...extra }
}

export function runSync(command: string, args: string[], cwd: string, env: Record<string, string>): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 60_000 })
}

export interface Server {
  child: ChildProcess
  port: number
  output: () => string
  exited: Promise<number | null>
}

export async function startServer(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  opts: { timeoutMs?: number } = {}
): Promise<Server> {
  const port = await freePort()
  const child = spawn(command, args, { cwd, env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', (b: Buffer) => (output += b.toString('utf8')))
  child.stderr?.on('data', (b: Buffer) => (output += b.toString('utf8')))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const started = Date.now()
  // Up to 60 s by default: a loaded CI machine can be slow to start a 120 MB executable (and an
  // emulated one, under qemu-user, slower still: its tests pass a longer timeout).
  const deadline = started + (opts.timeoutMs ?? 60_000)
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`)
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`)
      if (res.status === 200) return { child, port, output: () => output, exited }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  child.kill('SIGKILL')
  throw new Error(`server did not answer /health within ${Date.now() - started} ms:\n${output}`)
}

export async function login(port: number, username: string, password: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password })
  })
  const body = (await res.json()) as { token?: string }
  if (res.status !== 200 || !body.token) throw new Error(`login failed: ${res.status} ${JSON.stringify(body)}`)
  return body.token
}
