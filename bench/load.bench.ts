// Sustained mixed load on the real server process (`npm run bench -- load`): 200 simulated agents
// send realistic reports (300-1,000 packages, a few changing each time) with pings in between,
// while Integration API readers (GET /api/v1/api/hosts?include=stats, Basic auth) and gethomepage
// readers poll. Loopback only; it stops by itself after LOAD_DURATION_S seconds (default 30).
// Prints reports/s, p50/p99 latency per request kind, errors (must be 0, and no SQLITE_BUSY in the
// server's log) and the server's RSS over time: the mean of the second half of the run after
// warm-up against the first half's, its peak, and its RSS once the load has stopped (after
// LOAD_IDLE_S seconds, default 15) against the targets (peak <= 150 MiB, back to <= 80 MiB).
// PATCHMON_SERVER_BINARY=dist/patchmon runs the single executable instead of the source;
// LOAD_SERVER_NODE_OPTIONS passes V8 flags to it.
// Before the measured window every agent pings and reports once. Exits non-zero (throws) when any request failed.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Pool } from 'undici'
import { agentReport, debianPackages } from '../test/helpers/agent-fixtures.js'
import { adminToken, createHostOverHttp, rssMiB, startServerProcess, type HostCredentials } from '../test/reliability/server-process.js'
import { fmt, residentBreakdown } from './bench-kit.js'

type Kind = 'report' | 'ping' | 'integration-api' | 'gethomepage'

interface KindStats {
  latencies: number[]
  errors: number
  firstError?: string
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`)
  return n
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function createCredential(baseUrl: string, token: string, body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auto-enrollment/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body)
  })
  if (res.status !== 201) throw new Error(`creating credential failed: ${res.status} ${await res.text()}`)
  const created = (await res.json()) as { token: { token_key: string; token_secret: string } }
  return `Basic ${Buffer.from(`${created.token.token_key}:${created.token.token_secret}`).toString('base64')}`
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN
}

/** 300-1,000 packages, spread over the fleet. */
const reportSize = (index: number) => 300 + ((index * 137) % 701)

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)

export async function runLoadBench(): Promise<void> {
  const durationS = positiveInt('LOAD_DURATION_S', 30)
  const agentCount = positiveInt('LOAD_AGENTS', 200)
  const apiReaders = positiveInt('LOAD_API_READERS', 4)
  const homepageReaders = positiveInt('LOAD_HOMEPAGE_READERS', 2)
  const idleS = positiveInt('LOAD_IDLE_S', 15)
  const dataDir = mkdtempSync(join(tmpdir(), 'patchmon-load-'))
  // LOAD_SERVER_NODE_OPTIONS tries V8 flags on the server (e.g. --max-semi-space-size=4) without a rebuild.
  const nodeOptions = process.env.LOAD_SERVER_NODE_OPTIONS
  // A just-built executable sits in the page cache as large folios, and mapping it then counts
  // ~30 MiB more of its file as resident than an installed one read from disk: start it from a
  // cold page cache, as bench/startup.bench.ts does (GNU dd: count=0 with iflag=nocache drops it).
  const binary = process.env.PATCHMON_SERVER_BINARY
  if (binary) execFileSync('dd', [`if=${realpathSync(binary)}`, 'iflag=nocache', 'count=0', 'status=none'])
  const server = await startServerProcess(dataDir, {
    GETHOMEPAGE_RATE_LIMIT_MAX: '10000000',
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {})
  })
  const pool = new Pool(server.baseUrl, { connections: agentCount + apiReaders + homepageReaders })
  const stats: Record<Kind, KindStats> = {
    report: { latencies: [], errors: 0 },
    ping: { latencies: [], errors: 0 },
    'integration-api': { latencies: [], errors: 0 },
    gethomepage: { latencies: [], errors: 0 }
  }
  try {
    const token = await adminToken(server.baseUrl)
    const hosts: HostCredentials[] = []
    for (let i = 0; i < agentCount; i += 10) {
      const batch = Array.from({ length: Math.min(10, agentCount - i) }, (_, j) =>
        createHostOverHttp(server.baseUrl, token, `load-host-${i + j + 1}`)
      )
      hosts.push(...(await Promise.all(batch)))
    }
    const apiAuth = await createCredential(server.baseUrl, token, {
      token_name: 'load-api',
      metadata: { integration_type: 'api' },
      scopes: { host: ['get'] }
    })
    const homepageAuth = await createCredential(server.baseUrl, token, {
      token_name: 'load-homepage',
      metadata: { integration_type: 'gethomepage' }
    })
    console.log(
      `load: ${agentCount} agents, ${apiReaders} Integration API readers, ${homepageReaders} gethomepage readers for ${durationS} s against pid ${server.pid}`
    )

    // Warm-up, not measured: every agent's first ping (its key's bcrypt check, then cached) and
    // first report (its packages enter the catalogue), ten at a time, as an enrolled fleet would be.
    for (let i = 0; i < hosts.length; i += 10) {
      await Promise.all(
        hosts.slice(i, i + 10).map(async (host, j) => {
          const headers = { 'content-type': 'application/json', 'x-api-id': host.apiId, 'x-api-key': host.apiKey }
          await pool.request({ method: 'POST', path: '/api/v1/hosts/ping', headers, body: '{}' }).then((r) => r.body.dump())
          const body = JSON.stringify(agentReport(debianPackages(reportSize(i + j), { updates: 10 })))
          await pool.request({ method: 'POST', path: '/api/v1/hosts/update', headers, body }).then((r) => r.body.dump())
        })
      )
    }
    await pool.request({ method: 'GET', path: '/api/v1/api/hosts', headers: { authorization: apiAuth } }).then((r) => r.body.dump())
    await pool
      .request({ method: 'GET', path: '/api/v1/gethomepage/stats', headers: { authorization: homepageAuth } })
      .then((r) => r.body.dump())

    const idleBeforeMiB = rssMiB(server.pid) ?? NaN
    const started = Date.now()
    const deadline = started + durationS * 1000
    const request = async (kind: Kind, method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string) => {
      const t0 = process.hrtime.bigint()
      try {
        const res = await pool.request({ method, path, headers, ...(body === undefined ? {} : { body }) })
        const text = await res.body.text()
        if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${text.slice(0, 200)}`)
        stats[kind].latencies.push(Number(process.hrtime.bigint() - t0) / 1e6)
      } catch (err) {
        stats[kind].errors++
        stats[kind].firstError ??= `${path}: ${(err as Error).message}`
      }
    }

    const agent = async (host: HostCredentials, index: number) => {
      const size = reportSize(index)
      const headers = { 'content-type': 'application/json', 'x-api-id': host.apiId, 'x-api-key': host.apiKey }
      // Spread the first reports over the first second, as a fleet's timers would be.
      await sleep((index * 1000) / agentCount)
      for (let cycle = 0; Date.now() < deadline && cycle < 100_000; cycle++) {
        // A few packages change between reports (needsUpdate flips on the first ones).
        const body = JSON.stringify(agentReport(debianPackages(size, { updates: 10 + ((cycle + 1) % 5) })))
        await request('report', 'POST', '/api/v1/hosts/update', headers, body)
        for (let p = 0; p < 2 && Date.now() < deadline; p++) {
          await sleep(250 + ((index + p) % 7) * 50)
          await request('ping', 'POST', '/api/v1/hosts/ping', headers, '{}')
        }
      }
    }
    const reader = async (kind: Kind, path: string, authorization: string) => {
      for (let i = 0; Date.now() < deadline && i < 1_000_000; i++) {
        await request(kind, 'GET', path, { authorization })
        await sleep(100)
      }
    }

    const rss: { atS: number; mib: number }[] = []
    const sampler = setInterval(() => {
      const mib = rssMiB(server.pid)
      if (mib !== undefined) rss.push({ atS: (Date.now() - started) / 1000, mib })
    }, 500)
    await Promise.all([
      ...hosts.map((host, i) => agent(host, i)),
      ...Array.from({ length: apiReaders }, () => reader('integration-api', '/api/v1/api/hosts?include=stats', apiAuth)),
      ...Array.from({ length: homepageReaders }, () => reader('gethomepage', '/api/v1/gethomepage/stats', homepageAuth))
    ])
    clearInterval(sampler)
    const elapsedS = (Date.now() - started) / 1000
    // Back to idle: the same server with no traffic (its timers and GC may give memory back).
    await sleep(idleS * 1000)
    const idleAfterMiB = rssMiB(server.pid) ?? NaN
    const idleBreakdown = residentBreakdown(server.pid)
    await pool.close()
    await server.stop()

    const log = readFileSync(server.logFile, 'utf8').split('\n')
    const busyLines = log.filter((line) => /SQLITE_BUSY|database is locked/.test(line))
    const errorLines = log.filter((line) => /"level":(50|60)/.test(line))

    console.log(
      `reports/s: ${fmt(stats.report.latencies.length / elapsedS)} (${stats.report.latencies.length} reports in ${fmt(elapsedS)} s including the drain after the ${durationS} s window, 300-1,000 packages each)`
    )
    for (const [kind, s] of Object.entries(stats) as [Kind, KindStats][]) {
      const sorted = [...s.latencies].sort((a, b) => a - b)
      console.log(
        `${kind.padEnd(16)} ${String(sorted.length).padStart(6)} ok  ${(sorted.length / elapsedS).toFixed(1).padStart(7)}/s  p50 ${fmt(percentile(sorted, 0.5)).padStart(7)} ms  p99 ${fmt(percentile(sorted, 0.99)).padStart(7)} ms  errors ${s.errors}${s.firstError ? ` (first: ${s.firstError})` : ''}`
      )
    }
    // Warm-up: the first sixth of the run (first bcrypt checks, caches, JIT). The rest is halved.
    const steady = rss.filter((s) => s.atS >= durationS / 6)
    const half = Math.floor(steady.length / 2)
    const first = mean(steady.slice(0, half).map((s) => s.mib))
    const second = mean(steady.slice(half).map((s) => s.mib))
    const samples = rss
      .filter((_, i) => i % Math.max(1, Math.floor(rss.length / 10)) === 0)
      .map((s) => `${fmt(s.atS, 0)}s:${fmt(s.mib, 0)}`)
    console.log(`server RSS MiB over time: ${samples.join(' ')}`)
    console.log(
      `server RSS after warm-up: first half mean ${fmt(first)} MiB, second half mean ${fmt(second)} MiB (ratio ${fmt(second / first, 3)}), peak ${fmt(Math.max(...rss.map((s) => s.mib)))} MiB`
    )
    const peak = Math.max(...rss.map((s) => s.mib))
    console.log(
      `server RSS targets: peak ${fmt(peak)} MiB (target <= 150), idle before the load ${fmt(idleBeforeMiB)} MiB, ${idleS} s after it ${fmt(idleAfterMiB)} MiB (target <= 80), load average ${fmt(loadavg()[0]!)}${process.env.PATCHMON_SERVER_BINARY ? ' [single executable]' : ' [from source: tsx adds ~40 MiB; PATCHMON_SERVER_BINARY=dist/patchmon for the target]'}`
    )
    if (idleBreakdown) console.log(`server RSS ${idleS} s after the load: ${idleBreakdown}`)
    console.log(`server log: ${busyLines.length} SQLITE_BUSY/locked lines, ${errorLines.length} error lines`)
    const errors = Object.values(stats).reduce((a, s) => a + s.errors, 0) + busyLines.length + errorLines.length
    if (errors > 0) throw new Error(`load: ${errors} errors`)
    console.log('load: 0 errors')
  } finally {
    await pool.close().catch(() => undefined)
    await server.kill()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
