// The fleet-scale proof (issue 22 part 4): a 1,000-host and a 20,000-host fleet, each host with
// 1,000 packages (20 M package rows at 20,000), built straight into the bench's own data folder
// (bench/fleet-scale-seed.ts), then the server from source as its own process under a bounded,
// realistic load: every host reports once an hour (10 of its 1,000 packages changed), pings every
// 30 minutes, and one dashboard user reads the host list, the overview and the package view once
// a second. Printed per fleet: ingest and read p50/p99, peak and final RSS of the server process,
// database and WAL size, growth per day, and the retention (bounded batch delete) and VACUUM
// costs. The data folders are deleted afterwards; nothing is cached between runs.
// BENCH_FLEET_SECONDS (600) shortens the run; BENCH_FLEET_HOSTS ("1000,20000") picks the fleets;
// BENCH_FLEET_VACUUM_MAX_HOSTS skips VACUUM on larger fleets (it rewrites the whole file: minutes at 20,000).
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { Pool } from 'undici'
import { databaseFile, openStore } from '../src/store/open-database.js'
import { pruneReportHistory } from '../src/hosts/report-retention.js'
import { agentReport, debianPackages } from '../test/helpers/agent-fixtures.js'
import { cleanEnv, freePort } from '../test/packaging/run-binary.js'
import { buildScaleFleet, SCALE_AGENT_KEY, SCALE_PASSWORD, scaleApiId } from './fleet-scale-seed.js'

const ROOT = join(__dirname, '..')
const PACKAGES = 1000
const UPDATES = 50
const SECONDS = Number(process.env['BENCH_FLEET_SECONDS'] ?? 600)
const FLEETS = (process.env['BENCH_FLEET_HOSTS'] ?? '1000,20000').split(',').map(Number)
const VACUUM_MAX_HOSTS = Number(process.env['BENCH_FLEET_VACUUM_MAX_HOSTS'] ?? Infinity)
const REPORT_EVERY_S = 3600
const PING_EVERY_S = 1800
const READS = ['/api/v1/hosts?limit=50', '/api/v1/dashboard/stats', '/api/v1/packages?limit=50']

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`
const size = (file: string) => (existsSync(file) ? statSync(file).size : 0)
const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN
const status = (pid: number, field: string) =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024

/** The report bodies: the seeded package list with 10 packages at a different place bumped each time. */
function reportBodies(): string[] {
  return Array.from({ length: 20 }, (_, k) => {
    const list = debianPackages(PACKAGES, { updates: UPDATES, securityEvery: 4 })
    for (let i = k * 10; i < k * 10 + 10; i++) list[i] = { ...list[i]!, currentVersion: `${list[i]!.currentVersion}.b${k}` }
    return JSON.stringify(agentReport(list))
  })
}

async function startServer(dataDir: string): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts'), 'serve'], {
    cwd: ROOT,
    env: cleanEnv({
      PATCHMON_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      PATCHMON_ADMIN_PASSWORD: SCALE_PASSWORD,
      RATE_LIMIT_MAX: '10000000',
      AGENT_RATE_LIMIT_MAX: '10000000'
    }),
    stdio: 'ignore'
  })
  const base = `http://127.0.0.1:${port}`
  for (let i = 0; i < 3000; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`)
    try {
      if ((await fetch(`${base}/health`)).status === 200) return { child, base }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20))
  }
  child.kill('SIGKILL')
  throw new Error('server did not answer /health')
}

interface Samples {
  ingest: number[]
  ping: number[]
  read: number[]
  failures: number
  peakWal: number
}

/** Open-loop load for SECONDS: requests start on schedule whether or not earlier ones finished. */
async function drive(base: string, hosts: number, pid: number, dbFile: string): Promise<Samples> {
  const pool = new Pool(base, { connections: 64 })
  const s: Samples = { ingest: [], ping: [], read: [], failures: 0, peakWal: 0 }
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: SCALE_PASSWORD })
  })
  const { token } = (await login.json()) as { token: string }
  const bodies = reportBodies()
  const inFlight = new Set<Promise<void>>()
  const send = (into: number[], opts: Parameters<Pool['request']>[0]) => {
    const started = performance.now()
    const p = pool
      .request(opts)
      .then(async (res) => {
        await res.body.dump()
        if (res.statusCode !== 200) s.failures++
        else into.push(performance.now() - started)
      })
      .catch(() => {
        s.failures++
      })
      .finally(() => inFlight.delete(p))
    inFlight.add(p)
  }
  const agent = (i: number) => ({ 'x-api-id': scaleApiId(i), 'x-api-key': SCALE_AGENT_KEY, 'content-type': 'application/json' })
  const reportsPerS = hosts / REPORT_EVERY_S
  const pingsPerS = hosts / PING_EVERY_S
  const started = performance.now()
  let reports = 0
  let pings = 0
  let reads = 0
  for (;;) {
    const elapsed = (performance.now() - started) / 1000
    if (elapsed >= SECONDS) break
    for (; reports < elapsed * reportsPerS; reports++)
      send(s.ingest, {
        method: 'POST',
        path: '/api/v1/hosts/update',
        headers: agent(reports % hosts),
        body: bodies[reports % bodies.length]
      })
    for (; pings < elapsed * pingsPerS; pings++)
      send(s.ping, { method: 'POST', path: '/api/v1/hosts/ping', headers: agent((pings * 7919) % hosts), body: '{}' })
    for (; reads < elapsed; reads++)
      send(s.read, { method: 'GET', path: READS[reads % READS.length]!, headers: { authorization: `Bearer ${token}` } })
    s.peakWal = Math.max(s.peakWal, size(`${dbFile}-wal`))
    status(pid, 'VmRSS') // the process must still be there
    await new Promise((r) => setTimeout(r, 50))
  }
  await Promise.all(inFlight)
  await pool.close()
  return s
}

async function measureFleet(hosts: number): Promise<string> {
  mkdirSync(join(ROOT, 'build'), { recursive: true })
  const work = mkdtempSync(join(ROOT, 'build/fleet-scale-'))
  const dataDir = join(work, 'data')
  mkdirSync(dataDir)
  const dbFile = databaseFile(dataDir)
  try {
    const t0 = performance.now()
    await buildScaleFleet(dataDir, hosts, PACKAGES, UPDATES)
    const buildS = (performance.now() - t0) / 1000
    const dbStart = size(dbFile)
    const { child, base } = await startServer(dataDir)
    const pid = child.pid!
    const rssStart = status(pid, 'VmRSS')
    const s = await drive(base, hosts, pid, dbFile)
    const rssEnd = status(pid, 'VmRSS')
    const rssPeak = status(pid, 'VmHWM')
    const walEnd = size(`${dbFile}-wal`)
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    await exited
    const dbEnd = size(dbFile)
    const perDay = ((dbEnd - dbStart) / SECONDS) * 86_400

    // Retention: delete the whole report history in the server's bounded batches, timed per batch.
    const store = openStore(dbFile)
    const historyRows = (store.sqlite.prepare('SELECT count(*) AS n FROM report_history').get() as { n: number }).n
    const r0 = performance.now()
    const removed = await pruneReportHistory(store.db, 0, Date.now() + 60_000)
    const retentionMs = performance.now() - r0
    let vacuum = 'VACUUM skipped'
    if (hosts <= VACUUM_MAX_HOSTS) {
      const v0 = performance.now()
      store.sqlite.exec('VACUUM')
      vacuum = `VACUUM ${((performance.now() - v0) / 1000).toFixed(1)} s -> ${mb(size(dbFile))}`
    }
    await store.close()
    const ms = (x: number) => `${x.toFixed(0)} ms`
    return [
      `fleet-scale: ${hosts} hosts x ${PACKAGES} packages (${((hosts * PACKAGES) / 1e6).toFixed(1)} M rows), built in ${buildS.toFixed(0)} s, ${mb(dbStart)} on disk`,
      `  ${SECONDS} s at ${(hosts / REPORT_EVERY_S).toFixed(2)} reports/s + ${(hosts / PING_EVERY_S).toFixed(2)} pings/s + 1 read/s: ` +
        `${s.ingest.length} reports p50 ${ms(pct(s.ingest, 0.5))} p99 ${ms(pct(s.ingest, 0.99))} · ${s.ping.length} pings p99 ${ms(pct(s.ping, 0.99))} · ` +
        `${s.read.length} reads p50 ${ms(pct(s.read, 0.5))} p99 ${ms(pct(s.read, 0.99))} · ${s.failures} failed`,
      `  RSS at start ${mb(rssStart)}, peak ${mb(rssPeak)}, end ${mb(rssEnd)} · WAL peak ${mb(s.peakWal)}, at end ${mb(walEnd)} · ` +
        `database ${mb(dbStart)} -> ${mb(dbEnd)} (${mb(perDay)}/day at this rate, until history retention caps it)`,
      `  retention: ${removed} of ${historyRows} history rows deleted in ${ms(retentionMs)} (batches of 5,000) · ${vacuum}`
    ].join('\n')
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

export async function runFleetScaleBench(): Promise<void> {
  console.log(
    `fleet-scale: machine ${cpus().length} CPUs, load average ${loadavg()
      .map((n) => n.toFixed(1))
      .join(' ')}; server from source (node --import tsx src/main.ts serve)`
  )
  for (const hosts of FLEETS) console.log(await measureFleet(hosts))
}

if (require.main === module) {
  runFleetScaleBench().catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}
