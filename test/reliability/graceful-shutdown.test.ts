// SIGTERM while agents keep connections alive with requests in flight (issue 15, item 21): the
// server answers what is in flight (with Connection: close), closes idle keep-alive sockets and
// exits 0 within 2 s, with the WAL checkpointed and the data-folder lock released.
import t from 'tap'
import { existsSync, statSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { connect } from 'node:net'
import { join } from 'node:path'
import { tempDataDir } from '../helpers/test-app.js'
import { adminToken, createHostOverHttp, startServerProcess } from './server-process.js'

const CLIENTS = 8

interface Answer {
  status: number
  connection: string | undefined
}

function ping(baseUrl: string, agent: Agent, headers: Record<string, string>): Promise<Answer> {
  const url = new URL('/api/v1/hosts/ping', baseUrl)
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json' } }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }))
    })
    req.on('error', reject)
    req.end('{}')
  })
}

/**
 * A ping whose body is still arriving at SIGTERM: half is sent now, the rest when `finish` is
 * called. Resolves with the raw response head and whether the server then closed the socket.
 */
function slowPing(baseUrl: string, headers: Record<string, string>) {
  const url = new URL(baseUrl)
  const socket = connect(Number(url.port), url.hostname)
  const body = JSON.stringify({ padding: 'x'.repeat(64) })
  let received = ''
  socket.on('data', (d: Buffer) => (received += d.toString('latin1')))
  const closedByServer = new Promise<string>((resolve) => {
    socket.on('end', () => resolve(received))
    socket.on('error', () => resolve(received))
  })
  const head = [
    `POST /api/v1/hosts/ping HTTP/1.1`,
    `Host: ${url.host}`,
    'Connection: keep-alive',
    'Content-Type: application/json',
    `Content-Length: ${body.length}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)
  ].join('\r\n')
  socket.write(`${head}\r\n\r\n${body.slice(0, 10)}`)
  return { finish: () => socket.write(body.slice(10)), closedByServer, destroy: () => socket.destroy() }
}

t.test('SIGTERM under keep-alive agent traffic exits 0 within 2 s, checkpointed and unlocked', async (t) => {
  const dir = tempDataDir('patchmon-shutdown-')
  const server = await startServerProcess(dir)
  t.teardown(() => server.kill())
  const token = await adminToken(server.baseUrl)
  const host = await createHostOverHttp(server.baseUrl, token, 'keep-alive-host')
  const headers = { 'x-api-id': host.apiId, 'x-api-key': host.apiKey }
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS })
  t.teardown(() => agent.destroy())

  let stopping = false
  const answers: Answer[] = []
  const errors: string[] = []
  // Each client sends pings back to back on its kept-alive socket until the server goes away.
  const clients = Array.from({ length: CLIENTS }, async () => {
    for (let i = 0; i < 100_000 && !stopping; i++) {
      try {
        answers.push(await ping(server.baseUrl, agent, headers))
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? String(err)
        errors.push(code)
        if (stopping || code === 'ECONNREFUSED') return
        await new Promise((r) => setTimeout(r, 10))
      }
    }
  })
  // Until every client has been answered at least once (the first bcrypt checks are slow on a busy machine).
  for (let waited = 0; waited < 30_000 && answers.filter((a) => a.status === 200).length < CLIENTS * 2; waited += 100)
    await new Promise((r) => setTimeout(r, 100))
  t.ok(answers.filter((a) => a.status === 200).length >= CLIENTS * 2, `agents are being answered (${answers.length} so far)`)
  const before = answers.length

  const slow = slowPing(server.baseUrl, headers)
  t.teardown(() => slow.destroy())
  await new Promise((r) => setTimeout(r, 200))
  const signalledAt = performance.now()
  process.kill(server.pid, 'SIGTERM')
  setTimeout(() => slow.finish(), 300)
  const exit = await server.exited
  const tookMs = performance.now() - signalledAt
  stopping = true
  await Promise.all(clients)

  const raw = await slow.closedByServer
  t.match(raw, /^HTTP\/1\.1 200 /, 'the request in flight at SIGTERM was answered')
  t.match(raw, /\r\nconnection: close\r\n/i, 'with Connection: close')
  t.equal(exit, 'exit 0', 'exit code 0')
  t.ok(tookMs < 2000, `exited within 2 s (took ${Math.round(tookMs)} ms)`)
  const during = answers.slice(before)
  t.notOk(
    during.some((a) => a.status >= 500 && a.status !== 503),
    'no 5xx but the documented 503 while closing'
  )
  const wal = join(dir, 'patchmon.db-wal')
  t.ok(!existsSync(wal) || statSync(wal).size === 0, 'the WAL was checkpointed')
  t.notOk(existsSync(join(dir, 'patchmon.lock')), 'the data-folder lock was released')
  t.comment(`answers after SIGTERM: ${during.length}, connection errors: ${errors.length}`)
})
