// Running out of file descriptors is logged (issue 15, item 25): a real server under `ulimit -n`
// gets more connections than it has descriptors for; the log says so once a minute with the limit
// and the count, and the start-up line shows the soft limit raised to the hard one.
import t from 'tap'
import { spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { join } from 'node:path'
import { tempDataDir } from '../helpers/test-app.js'
import { freePort, REPO_ROOT } from './server-process.js'

const LIMIT = 64
const CONNECTIONS = 120

function logLines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  for (let waited = 0; waited < timeoutMs; waited += 100) {
    const found = probe()
    if (found !== undefined) return found
    await new Promise((r) => setTimeout(r, 100))
  }
  return undefined
}

t.test('a server out of file descriptors logs it once a minute with the limit and the count', async (t) => {
  const dir = tempDataDir('patchmon-fd-')
  const port = await freePort()
  const logFile = join(dir, 'server.log')
  const logFd = openSync(logFile, 'a')
  // Soft limit only: the hard limit stays higher, and Node raises the soft one to it at start.
  // The server gets both: `ulimit -n` sets soft and hard.
  const child = spawn('bash', ['-c', `ulimit -n ${LIMIT} && exec "$0" src/main.ts serve`, join(REPO_ROOT, 'node_modules/.bin/tsx')], {
    cwd: REPO_ROOT,
    env: { ...process.env, PATCHMON_DATA_DIR: dir, HOST: '127.0.0.1', PORT: String(port), PATCHMON_LOG_FORMAT: 'json', LOG_LEVEL: 'info' },
    stdio: ['ignore', logFd, logFd],
    detached: true
  })
  closeSync(logFd)
  const exited = new Promise((resolve) => child.once('exit', resolve))
  t.teardown(async () => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL')
    } catch {
      // already gone
    }
    await exited
  })
  const started = await waitFor(() => logLines(logFile).find((l) => l.msg === 'file descriptor limit'), 120_000)
  t.match(started, { limit: LIMIT, hardLimit: LIMIT }, 'the start-up log shows the limit')

  const sockets: Socket[] = []
  t.teardown(() => sockets.forEach((s) => s.destroy()))
  let resets = 0
  for (let i = 0; i < CONNECTIONS; i++) {
    const socket = connect(port, '127.0.0.1')
    socket.on('error', () => resets++)
    socket.on('close', () => resets++)
    sockets.push(socket)
  }
  const warning = await waitFor(
    () => logLines(logFile).find((l) => typeof l.msg === 'string' && l.msg.startsWith('out of file descriptors')),
    15_000
  )
  t.ok(warning, 'the exhaustion is logged')
  t.match(warning, { level: 40, limit: LIMIT, openFiles: Number })
  t.ok((warning?.openFiles as number) >= LIMIT - 8, `the count is at the limit (${String(warning?.openFiles)})`)
  t.ok(resets > 0, `connections beyond the limit were reset (${resets})`)

  // More connections within the same minute: still one line.
  for (let i = 0; i < 20; i++) sockets.push(connect(port, '127.0.0.1').on('error', () => undefined))
  await new Promise((r) => setTimeout(r, 2500))
  t.equal(
    logLines(logFile).filter((l) => typeof l.msg === 'string' && l.msg.startsWith('out of file descriptors')).length,
    1,
    'one line a minute, not one per connection'
  )
})

t.test('Node raises the soft descriptor limit to the hard limit at start', async (t) => {
  const run = spawn(
    'bash',
    [
      '-c',
      `ulimit -S -n 100 && ulimit -H -n 4096 && exec "$0" -e "process.stdout.write(require('node:fs').readFileSync('/proc/self/limits','utf8'))"`,
      join(REPO_ROOT, 'node_modules/.bin/node')
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  )
  let out = ''
  run.stdout.on('data', (d: Buffer) => (out += d.toString()))
  await new Promise((resolve) => run.once('exit', resolve))
  t.match(out, /Max open files\s+4096\s+4096/)
})
