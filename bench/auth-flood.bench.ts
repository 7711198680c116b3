// Admin login latency while one address floods the agent API with wrong credentials
// (`npm run bench -- auth-flood`). The real server runs in its own process with the default agent
// rate limit (10,000 requests a minute per address), so the flood is "as fast as allowed". Half
// the flood names a real host with a wrong X-API-KEY, half an unknown X-API-ID (the dummy-hash
// path). Prints the login latency without and with the flood, their ratio, and what the flood got
// back. Bounded: AUTH_FLOOD_LOGINS sequential logins (default 8) per phase, each with a 60 s cap,
// and the flood stops when the measured logins are done.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Pool } from 'undici'
import { adminToken, createHostOverHttp, SERVER_ADMIN_PASSWORD, startServerProcess } from '../test/reliability/server-process.js'
import { fmt } from './bench-kit.js'

const FLOOD_CONNECTIONS = 16

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
function flood(baseUrl: string, apiId: string, stop: Promise<void>): Promise<Map<number, number>> {
  const pool = new Pool(baseUrl, { connections: FLOOD_CONNECTIONS, pipelining: 1 })
  const statuses = new Map<number, number>()
  let stopped = false
  void stop.then(() => { stopped = true })
  let sent = 0
  async function worker(): Promise<void> {
    while (!stopped) {
      const unknownId = sent++ % 2 === 0
      const res = await pool.request({
        method: 'POST',
        path: '/api/v1/hosts/ping',
        headers: { 'content-type': 'application/json', 'x-api-id': unknownId ? `patchmon_${sent.toString(16).padStart(16, '0')}` : apiId, 'x-api-key': `wrong-key-${sent}` },
        body: '{}'
      })
      await res.body.dump()
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
    }
  }
  return Promise.all(Array.from({ length: FLOOD_CONNECTIONS }, worker)).then(async () => {
    await pool.close()
    return statuses
  })
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
    const stop = new Promise<void>((done) => { endFlood = done })
    const floodStarted = performance.now()
    const flooding = flood(server.baseUrl, host.apiId, stop)
    await new Promise((r) => setTimeout(r, 1000)) // let the flood fill the queues first
    let loud: number[]
    try {
      loud = await loginLatencies(server.baseUrl, logins)
    } finally {
      endFlood()
    }
    const statuses = await flooding
    const floodSeconds = (performance.now() - floodStarted) / 1000
    const total = [...statuses.values()].reduce((a, b) => a + b, 0)

    console.log(`admin login, quiet:        median ${fmt(median(quiet))} ms  max ${fmt(Math.max(...quiet))} ms  (${logins} logins)`)
    console.log(`admin login, under flood:  median ${fmt(median(loud))} ms  max ${fmt(Math.max(...loud))} ms  (${logins} logins)`)
    console.log(`ratio (median flood / median quiet): ${fmt(median(loud) / median(quiet))}x  (goal: <= 2x)`)
    console.log(`flood: ${total} requests in ${fmt(floodSeconds)} s from one address (${fmt(total / floodSeconds)}/s); statuses ${JSON.stringify(Object.fromEntries(statuses))}`)
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
