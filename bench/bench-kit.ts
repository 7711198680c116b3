// Small measuring kit shared by the benchmarks: a real app on a temp data folder listening on
// 127.0.0.1, throughput with a fixed number of concurrent keep-alive clients, and latency
// percentiles of sequential requests. Every loop is bounded by a request count.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { Pool } from 'undici'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { databaseFile, openStore, type Store } from '../src/store/open-database.js'
import { migrateToLatest } from '../src/store/migrate.js'

export interface BenchServer {
  app: FastifyInstance
  store: Store
  baseUrl: string
  close(): Promise<void>
}

/**
 * Builds the real app; `beforeListen` may seed the database (store.sqlite) and add routes
 * before the app is readied.
 */
export async function startBenchServer(beforeListen: (app: FastifyInstance, store: Store) => Promise<void> | void): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'patchmon-bench-'))
  // Rate limits off the measured path: the benchmark is one client address sending thousands of requests.
  const config = loadConfig({
    PATCHMON_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PATCHMON_ADMIN_PASSWORD: 'bench-admin-password',
    RATE_LIMIT_MAX: '10000000',
    GETHOMEPAGE_RATE_LIMIT_MAX: '10000000'
  })
  const store = openStore(databaseFile(dataDir))
  await migrateToLatest(store)
  const app = await buildApp({ config, store })
  await beforeListen(app, store)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  return {
    app,
    store,
    baseUrl,
    async close() {
      await app.close()
      await store.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

/** Requests per second for `total` GETs of `path` spread over `concurrency` keep-alive connections. */
export async function throughput(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  total: number,
  concurrency = 16
): Promise<number> {
  const pool = new Pool(baseUrl, { connections: concurrency, pipelining: 1 })
  let next = 0
  let failures = 0
  const worker = async () => {
    while (next < total) {
      next++
      const res = await pool.request({ method: 'GET', path, headers })
      await res.body.dump()
      if (res.statusCode !== 200) failures++
    }
  }
  const started = process.hrtime.bigint()
  await Promise.all(Array.from({ length: concurrency }, worker))
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  await pool.close()
  if (failures > 0) throw new Error(`${failures} of ${total} requests to ${path} failed`)
  return total / seconds
}

export interface Latency {
  p50: number
  p95: number
  bytes: number
}

/** Latency of `count` sequential GETs (after `warmup` unmeasured ones), in milliseconds. */
export async function latency(baseUrl: string, path: string, headers: Record<string, string>, count: number, warmup = 3): Promise<Latency> {
  const pool = new Pool(baseUrl, { connections: 1 })
  const samples: number[] = []
  let bytes = 0
  for (let i = 0; i < warmup + count; i++) {
    const started = process.hrtime.bigint()
    const res = await pool.request({ method: 'GET', path, headers })
    const body = await res.body.arrayBuffer()
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    if (res.statusCode !== 200) throw new Error(`${path} answered ${res.statusCode}`)
    bytes = body.byteLength
    if (i >= warmup) samples.push(ms)
  }
  await pool.close()
  samples.sort((a, b) => a - b)
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? NaN
  return { p50: at(0.5), p95: at(0.95), bytes }
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits)

/**
 * Where a process's resident memory is, from /proc/PID/smaps: anonymous memory (V8's heap,
 * malloc arenas, SQLite's caches) against file pages, and the mappings holding the most, so an
 * idle figure says which part to work on. Undefined when the process is gone.
 */
export function residentBreakdown(pid: number): string | undefined {
  let smaps: string
  try {
    smaps = readFileSync(`/proc/${pid}/smaps`, 'utf8')
  } catch {
    return undefined
  }
  const byName = new Map<string, number>()
  let name = ''
  let anonKb = 0
  let fileKb = 0
  for (const line of smaps.split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \d+\s*(.*)$/.exec(line)
    if (header) {
      name = header[1] || '[anon]'
      continue
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line)
    if (rss) byName.set(name, (byName.get(name) ?? 0) + Number(rss[1]))
    const anon = /^Anonymous:\s+(\d+) kB/.exec(line)
    if (anon) anonKb += Number(anon[1])
    // A file mapping's copied-on-write pages are anonymous memory, not file pages.
    if (rss && name.startsWith('/')) fileKb += Number(rss[1])
    if (anon && name.startsWith('/')) fileKb -= Number(anon[1])
  }
  const mib = (kb: number) => (kb / 1024).toFixed(1)
  const top = [...byName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([n, kb]) => `${n.split('/').pop()} ${mib(kb)}`)
  return `anonymous ${mib(anonKb)} MiB, file pages ${mib(fileKb)} MiB; largest mappings (MiB): ${top.join(', ')}`
}
