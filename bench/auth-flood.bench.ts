// Admin login latency while one address floods the agent API with wrong credentials
// (`npm run bench -- auth-flood`). The real server runs in its own process with the default agent
// rate limit (10,000 requests a minute per address), and the flood is paced to that rate
// (~167/s, "as fast as allowed" for one address; AUTH_FLOOD_RATE overrides it). Half
// the flood names a real host with a wrong X-API-KEY, half an unknown X-API-ID (the dummy-hash
// path). Prints the login latency without and with the flood, their ratio, and what the flood got
// back. Logins are measured twice under the flood: from its first second (while the address's
// failed-credential budget is being spent, if the server has one) and once the flood is being
// refused 429 (or after 20 s of flood when it never is). Bounded: AUTH_FLOOD_LOGINS sequential
// logins (default 8) per phase, each with a 60 s cap, and the flood stops when they are done.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Pool } from 'undici'
import { adminToken, createHostOverHttp, SERVER_ADMIN_PASSWORD, startServerProcess } from '../test/reliability/server-process.js'
import { fmt } from './bench-kit.js'

const FLOOD_CONNECTIONS = 32

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`)
  return n
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? NaN
}

async function timedLogin(baseUrl: string): Promise<number> {
  const started = performance.now()
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: SERVER_ADMIN_PASSWORD }),
    signal: AbortSignal.timeout(60_000)
  })
  await res.arrayBuffer()
  if (res.status !== 200) throw new Error(`admin login answered ${res.status}`)
  return performance.now() - started
}

async function loginLatencies(baseUrl: string, count: number): Promise<number[]> {
  const latencies: number[] = []
  for (let i = 0; i < count; i++) latencies.push(await timedLogin(baseUrl))
  return latencies
}

/** Sends wrong agent credentials on FLOOD_CONNECTIONS connections until `stop` resolves. */
function flood(baseUrl: string, apiId: string, stop: Promise<void>, statuses: Map<number, number>): Promise<void> {
  const pool = new Pool(baseUrl, { connections: FLOOD_CONNECTIONS, pipelining: 1 })
  let stopped = false
  void stop.then(() => {
    stopped = true
  })
  let sent = 0
  const rate = positiveInt('AUTH_FLOOD_RATE', 10_000 / 60)
  const started = performance.now()
  async function worker(): Promise<void> {
    while (!stopped) {
      // Pacing: never ahead of `rate` requests per second since the start.
      const due = started + (sent / rate) * 1000
      if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()))
      const unknownId = sent++ % 2 === 0
      const res = await pool.request({
        method: 'POST',
        path: '/api/v1/hosts/ping',
        headers: {
          'content-type': 'application/json',
          'x-api-id': unknownId ? `patchmon_${sent.toString(16).padStart(16, '0')}` : apiId,
          'x-api-key': `wrong-key-${sent}`
        },
        body: '{}'
      })
      await res.body.dump()
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
    }
  }
  return Promise.all(Array.from({ length: FLOOD_CONNECTIONS }, worker)).then(() => pool.close())
}

export async function runAuthFloodBench(): Promise<void> {
  const logins = positiveInt('AUTH_FLOOD_LOGINS', 8)
  const dataDir = mkdtempSync(join(tmpdir(), 'patchmon-auth-flood-'))
  // Default agent limit: the attacker gets exactly what one address is allowed.
  const server = await startServerProcess(dataDir, { AGENT_RATE_LIMIT_MAX: '10000', LOG_LEVEL: 'warn' })
  try {
    const token = await adminToken(server.baseUrl)
    const host = await createHostOverHttp(server.baseUrl, token, 'flood-target')
    await loginLatencies(server.baseUrl, 2) // warm-up: transpiled code paths, the dummy hash
    const quiet = await loginLatencies(server.baseUrl, logins)

    let endFlood: () => void = () => undefined
    const stop = new Promise<void>((done) => {
      endFlood = done
    })
    const statuses = new Map<number, number>()
    const floodStarted = performance.now()
    const flooding = flood(server.baseUrl, host.apiId, stop, statuses)
    let early: number[]
    let steady: number[]
    let refusedAfterSeconds: number | undefined
    try {
      await new Promise((r) => setTimeout(r, 1000)) // let the flood fill the queues first
      early = await loginLatencies(server.baseUrl, logins)
      for (let i = 0; i < 200 && !statuses.has(429); i++) await new Promise((r) => setTimeout(r, 100))
      if (statuses.has(429)) refusedAfterSeconds = (performance.now() - floodStarted) / 1000
      steady = await loginLatencies(server.baseUrl, logins)
    } finally {
      endFlood()
    }
    await flooding
    // Quiet again after the flood: on a shared machine the load drifts, so the baseline is taken
    // on both sides of the flood.
    await new Promise((r) => setTimeout(r, 1000))
    quiet.push(...(await loginLatencies(server.baseUrl, logins)))
    const floodSeconds = (performance.now() - floodStarted) / 1000
    const total = [...statuses.values()].reduce((a, b) => a + b, 0)

    const line = (label: string, values: number[]) =>
      console.log(
        `${label} median ${fmt(median(values))} ms  max ${fmt(Math.max(...values))} ms  ratio ${fmt(median(values) / median(quiet))}x  (${values.length} logins)`
      )
    line('admin login, quiet (before+after):  ', quiet)
    line('admin login, flood first seconds:  ', early)
    line('admin login, flood steady state:   ', steady)
    console.log(
      `goal: ratio <= 2x; flood refused 429 from ${refusedAfterSeconds === undefined ? 'never' : `${fmt(refusedAfterSeconds)} s`}`
    )
    console.log(
      `flood: ${total} requests in ${fmt(floodSeconds)} s on ${FLOOD_CONNECTIONS} connections from one address (${fmt(total / floodSeconds)}/s); statuses ${JSON.stringify(Object.fromEntries(statuses))}`
    )
  } finally {
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

if (require.main === module) {
  runAuthFloodBench().catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}
