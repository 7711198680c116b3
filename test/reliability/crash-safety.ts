// Crash safety of the report path: `npm run test:crash -- --rounds 100`.
//
// The real server process is started on a temp data folder; a few hosts are created through the
// API once. Each round starts the server, has every host send full agent reports (2,000 packages)
// back to back, all hosts at once, and SIGKILLs the server at a random moment. Every report tags
// all its package versions with its own sequence number (`~seq<N>`), so a package set mixed from
// two reports, or cut short, is visible. With the server down, the database is opened directly
// and must show: integrity_check ok; each host's package set is exactly one complete report; no
// report acknowledged with 200 is missing (stored sequence >= last acknowledged one, and
// report_history holds at least as many rows as acknowledgements).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { agentReport, debianPackages } from '../helpers/agent-fixtures.js'
import { adminToken, createHostOverHttp, startServerProcess, type HostCredentials } from './server-process.js'

export interface CrashOptions {
  rounds: number
  hosts?: number
  packages?: number
  /** Longest wait before the SIGKILL, from the first report sent. */
  maxKillDelayMs?: number
  log?: (line: string) => void
  /** Random source (tests may pass a seeded one). */
  random?: () => number
}

export interface RoundResult {
  round: number
  killAfterMs: number
  acknowledged: number
  inFlightAtKill: number
  problems: string[]
}

export interface CrashSummary {
  rounds: RoundResult[]
  failedRounds: number
  acknowledged: number
  inFlightKills: number
  /** Log lines of the server that mention SQLITE_BUSY or an unhandled error. */
  serverErrors: string[]
}

const TAG = /~seq(\d+)$/
/** Upper bound of reports one host sends in one round (the kill normally comes much earlier). */
const MAX_REPORTS_PER_ROUND = 500

interface HostState extends HostCredentials {
  lastAcked: number
  ackedTotal: number
}

/** Sends reports for one host until the server goes away; returns how many were acknowledged. */
async function reportUntilKilled(baseUrl: string, host: HostState, packages: number, nextSeq: () => number, inFlight: Set<number>): Promise<number> {
  let acked = 0
  for (let i = 0; i < MAX_REPORTS_PER_ROUND; i++) {
    const seq = nextSeq()
    const body = JSON.stringify(agentReport(debianPackages(packages, { versionSalt: `~seq${seq}` })))
    inFlight.add(seq)
    try {
      const res = await fetch(`${baseUrl}/api/v1/hosts/update`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-id': host.apiId, 'x-api-key': host.apiKey },
        body
      })
      const text = await res.text()
      if (res.status !== 200) throw new Error(`report answered ${res.status}: ${text.slice(0, 200)}`)
      host.lastAcked = seq
      host.ackedTotal++
      acked++
    } catch (err) {
      // The server is gone (connection refused or reset): this report was not acknowledged.
      if (err instanceof TypeError) return acked
      throw err
    } finally {
      inFlight.delete(seq)
    }
  }
  return acked
}

/** Resolves once any host's acknowledged count grows (bounded by the server's exit). */
async function waitForFirstAck(hosts: HostState[], exited: Promise<string>): Promise<void> {
  const before = hosts.reduce((a, h) => a + h.ackedTotal, 0)
  let gone = false
  void exited.then(() => { gone = true })
  for (let i = 0; i < 6000 && !gone; i++) {
    if (hosts.reduce((a, h) => a + h.ackedTotal, 0) > before) return
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** The checks of one round, on the database file of a stopped server. */
export function checkDatabase(file: string, hosts: HostState[], packages: number): string[] {
  const problems: string[] = []
  const db = new Database(file)
  try {
    const integrity = db.pragma('integrity_check', { simple: true })
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`)
    const versions = db.prepare('select current_version from host_packages where host_id = ?').pluck()
    const history = db.prepare("select count(*) from report_history where host_id = ? and status = 'success'").pluck()
    for (const host of hosts) {
      const rows = versions.all(host.id) as string[]
      const tags = new Set(rows.map((v) => TAG.exec(v)?.[1] ?? 'untagged'))
      if (rows.length === 0 && host.ackedTotal === 0) continue
      if (rows.length !== packages) problems.push(`host ${host.apiId}: ${rows.length} packages stored, expected ${packages}`)
      if (tags.size !== 1) problems.push(`host ${host.apiId}: package set mixes reports ${[...tags].slice(0, 5).join(', ')}`)
      const stored = Number([...tags][0])
      if (tags.size === 1 && !(stored >= host.lastAcked)) problems.push(`host ${host.apiId}: stored report ${stored} is older than acknowledged ${host.lastAcked}`)
      const historyRows = history.get(host.id) as number
      if (historyRows < host.ackedTotal) problems.push(`host ${host.apiId}: ${historyRows} report_history rows, ${host.ackedTotal} reports acknowledged`)
    }
  } finally {
    db.close()
  }
  return problems
}

const BAD_LOG_LINE = /SQLITE_BUSY|database is locked|"level":(50|60)/

export async function runCrashSafety(options: CrashOptions): Promise<CrashSummary> {
  const hostCount = options.hosts ?? 4
  const packages = options.packages ?? 2000
  const maxKillDelayMs = options.maxKillDelayMs ?? 4000
  const random = options.random ?? Math.random
  const log = options.log ?? ((line: string) => console.log(line))
  const dataDir = mkdtempSync(join(tmpdir(), 'patchmon-crash-'))
  const dbFile = join(dataDir, 'patchmon.db')
  const results: RoundResult[] = []
  const hosts: HostState[] = []
  let seq = 0
  const nextSeq = () => ++seq
  try {
    for (let round = 1; round <= options.rounds; round++) {
      const server = await startServerProcess(dataDir)
      try {
        if (hosts.length === 0) {
          const token = await adminToken(server.baseUrl)
          for (let i = 0; i < hostCount; i++) hosts.push({ ...(await createHostOverHttp(server.baseUrl, token, `crash-host-${i + 1}`)), lastAcked: 0, ackedTotal: 0 })
        }
        const inFlight = new Set<number>()
        const killAfterMs = Math.floor(random() * maxKillDelayMs)
        // Odd rounds count the delay from the first report sent (kills during start-up work and the
        // first, cold reports); even rounds from the first acknowledgement, so every other round
        // also has acknowledged reports to look for.
        const fromFirstAck = round % 2 === 0
        const firstAck = waitForFirstAck(hosts, server.exited)
        const senders = hosts.map((host) => reportUntilKilled(server.baseUrl, host, packages, nextSeq, inFlight))
        if (fromFirstAck) await firstAck
        await new Promise((r) => setTimeout(r, killAfterMs))
        const inFlightAtKill = inFlight.size
        await server.kill()
        const acknowledged = (await Promise.all(senders)).reduce((a, b) => a + b, 0)
        const problems = checkDatabase(dbFile, hosts, packages)
        results.push({ round, killAfterMs, acknowledged, inFlightAtKill, problems })
        log(`round ${round}: SIGKILL ${killAfterMs} ms after the first report ${fromFirstAck ? 'acknowledged' : 'sent'} with ${inFlightAtKill} report(s) in flight, ${acknowledged} acknowledged this round -> ${problems.length === 0 ? 'ok' : 'FAILED: ' + problems.join('; ')}`)
      } finally {
        await server.kill()
      }
    }
    const serverErrors = readFileSync(join(dataDir, 'server.log'), 'utf8').split('\n').filter((line) => BAD_LOG_LINE.test(line))
    const failedRounds = results.filter((r) => r.problems.length > 0).length
    return {
      rounds: results,
      failedRounds,
      acknowledged: results.reduce((a, r) => a + r.acknowledged, 0),
      inFlightKills: results.filter((r) => r.inFlightAtKill > 0).length,
      serverErrors
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

export function summaryLine(summary: CrashSummary, hosts: number, packages: number): string {
  const ok = summary.rounds.length - summary.failedRounds
  return `crash-safety: ${ok}/${summary.rounds.length} rounds ok (${hosts} hosts x ${packages} packages; ${summary.acknowledged} reports acknowledged, all present; ` +
    `${summary.inFlightKills} kills landed with reports in flight; ${summary.serverErrors.length} SQLITE_BUSY/error log lines)`
}

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name)
  const raw = i >= 0 ? process.argv[i + 1] : undefined
  const n = raw === undefined ? fallback : Number(raw)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`)
  return n
}

if (require.main === module) {
  // Ctrl-C: exit normally so the server process is reaped (see startServerProcess).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130))
  const rounds = argValue('--rounds', 10)
  const hosts = argValue('--hosts', 4)
  const packages = argValue('--packages', 2000)
  runCrashSafety({ rounds, hosts, packages }).then((summary) => {
    for (const line of summary.serverErrors.slice(0, 10)) console.log(`server log: ${line}`)
    console.log(summaryLine(summary, hosts, packages))
    process.exit(summary.failedRounds === 0 && summary.serverErrors.length === 0 ? 0 : 1)
  }, (err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}
