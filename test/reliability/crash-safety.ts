// Crash safety of the report path: `npm run test:crash -- --rounds 100`.
//
// The real server process is started on a temp data folder; a few hosts are created through the
// API once. Each round starts the server, has every host send full agent reports (2,000 packages)
// back to back, all hosts at once, and SIGKILLs the server at a random moment. Every report tags
// all its package versions with its own sequence number (`~seq<N>`), so a package set mixed from
// two reports, or cut short, is visible. With the server down, the database is opened directly
// and must show: integrity_check ok; each host's package set is exactly one complete report; no
// report acknowledged with 200 is missing (stored sequence >= last acknowledged one, and
// report_history holds at least as many rows as acknowledgements, up to the number kept per host).
//
// Pending notification deliveries ride along (see delivery-ledger.ts): every other report of a
// host carries security updates, so the host's count rises and `security_updates_available` fires,
// routed to a webhook receiver in this process that is slow or failing when the kill lands. The
// next start must deliver (or, receiver still failing, retry) every delivery open at the kill; one
// more start after the last round delivers what is left. The event commits with its report (the
// event outbox, see outbox-check.ts): at each kill every acknowledged event is a delivery row or
// an outbox row, and the next start turns each outbox row into exactly one delivery row.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkDatabase, reportUntilKilled, type HostState } from './crash-reports.js'
import { DeliveryLedger, type KillSnapshot, type ReceiverMode } from './delivery-ledger.js'
import { checkOutboxAfterRestart, eventsWithoutRow, outboxRows, type OutboxRecord } from './outbox-check.js'
import { adminToken, createHostOverHttp, startServerProcess } from './server-process.js'

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
  deliveries: RoundDeliveries
  problems: string[]
}

export interface RoundDeliveries {
  mode: ReceiverMode
  /** Delivery rows committed before this round's kill that were not there before. */
  recorded: number
  pendingAtKill: number
  sendingAtKill: number
  /** All rounds so far: acknowledged reports whose event is neither a delivery row nor an outbox row (must be 0). */
  eventsWithoutRow: number
  /** Events committed with their report whose delivery rows were not yet recorded at the kill. */
  outboxAtKill: number
  /** Filled in by the next start: rows open at the kill, and how many of them it delivered or retried; outbox rows turned into one delivery row each. */
  afterRestart?: { open: number; delivered: number; retryScheduled: number; waitedMs: number; outboxRouted: number }
}

export interface CrashSummary {
  rounds: RoundResult[]
  failedRounds: number
  acknowledged: number
  inFlightKills: number
  /** Log lines of the server that mention SQLITE_BUSY or an unhandled error. */
  serverErrors: string[]
  deliveries: DeliverySummary
}

export interface DeliverySummary {
  /** Delivery rows committed before a kill, all rounds. */
  recorded: number
  /** Distinct rows pending or sending at some kill. */
  openAtKill: number
  /** Kills that landed with deliveries in `sending`. */
  killsWhileSending: number
  /** Of the rows open at a kill, those sent and received by the end of the run. */
  deliveredAfterRestart: number
  /** Restarts where the receiver kept failing: rows attempted again and pending with a next attempt. */
  retryScheduled: number
  /** Acknowledged reports whose security event was neither a delivery row nor an outbox row at a kill (must be 0). */
  eventsWithoutRow: number
  /** Outbox rows left at a kill (committed event, deliveries not yet recorded), all rounds; and those the next start turned into one delivery row each. */
  outboxAtKill: number
  outboxRouted: number
  /** Requests the receiver got (503s included), those it accepted, and how many accepted ones repeated a body it already had. */
  received: number
  accepted: number
  duplicates: number
}

/** The receiver's behaviour round by round; a round right after a restart with the receiver still failing is never a failing one, so no delivery runs out of attempts. */
const RECEIVER_MODES: ReceiverMode[] = ['failing-then-recovered', 'failing-after-restart', 'slow', 'slow']
/** Longest wait for the deliveries open at a kill to be delivered (or retried) after the restart. */
const DELIVERY_WAIT_MS = 60_000

/** Resolves once any host's acknowledged count and the receiver's request count grow (bounded by the server's exit and 60 s). */
async function waitForFirstAckAndDelivery(hosts: HostState[], ledger: DeliveryLedger, exited: Promise<string>): Promise<void> {
  const acked = () => hosts.reduce((a, h) => a + h.ackedTotal, 0)
  const ackedBefore = acked()
  const receivedBefore = ledger.requestCount
  let gone = false
  void exited.then(() => {
    gone = true
  })
  for (let i = 0; i < 6000 && !gone; i++) {
    if (acked() > ackedBefore && ledger.requestCount > receivedBefore) return
    await new Promise((r) => setTimeout(r, 10))
  }
}

const BAD_LOG_LINE = /SQLITE_BUSY|database is locked|"level":(50|60)/

interface OpenAtKill {
  result: RoundResult
  snapshot: KillSnapshot
  outbox: OutboxRecord[]
  receiverStillFailing: boolean
}

/** After a restart: the deliveries open at the previous kill are delivered, or retried if the receiver still fails. */
async function checkDeliveriesAfterRestart(
  ledger: DeliveryLedger,
  dbFile: string,
  last: OpenAtKill,
  log: (line: string) => void
): Promise<void> {
  const outbox = await checkOutboxAfterRestart(dbFile, last.outbox, DELIVERY_WAIT_MS)
  const check = await ledger.checkAfterRestart(dbFile, last.snapshot.open, last.receiverStillFailing, DELIVERY_WAIT_MS)
  const problems = [...outbox.problems, ...check.problems]
  last.result.problems.push(...problems)
  last.result.deliveries.afterRestart = {
    open: check.open,
    delivered: check.delivered,
    retryScheduled: check.retryScheduled,
    waitedMs: check.waitedMs,
    outboxRouted: outbox.routed
  }
  const outcome = last.receiverStillFailing
    ? `${check.retryScheduled} attempted again and pending with a next attempt (receiver still failing)`
    : `${check.delivered} delivered`
  log(
    `round ${last.result.round} restart: ${outbox.left} outbox rows left at the kill -> ${outbox.routed} became one delivery row each; ` +
      `${check.open} deliveries open at the kill -> ${outcome} in ${check.waitedMs} ms${problems.length === 0 ? '' : ' FAILED: ' + problems.join('; ')}`
  )
}

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
  const ledger = await DeliveryLedger.start()
  const everOpen = new Set<string>()
  let last: OpenAtKill | undefined
  let seq = 0
  const nextSeq = () => ++seq
  try {
    for (let round = 1; round <= options.rounds; round++) {
      // Re-queued deliveries go out as soon as the server starts, so the receiver is set first.
      ledger.answer(last?.receiverStillFailing ? 'failing' : 'recovered')
      const server = await startServerProcess(dataDir)
      try {
        if (hosts.length === 0) {
          const token = await adminToken(server.baseUrl)
          for (let i = 0; i < hostCount; i++)
            hosts.push({
              ...(await createHostOverHttp(server.baseUrl, token, `crash-host-${i + 1}`)),
              lastAcked: 0,
              ackedTotal: 0,
              reportsSent: 0,
              expectedEvents: 0
            })
          await ledger.subscribe(server.baseUrl, token)
        }
        if (last) await checkDeliveriesAfterRestart(ledger, dbFile, last, log)
        const mode = RECEIVER_MODES[(round - 1) % RECEIVER_MODES.length] as ReceiverMode
        const slowMs = 250 + ((round * 617) % 2000)
        ledger.answer(mode === 'slow' ? { slowMs } : 'failing')
        const inFlight = new Set<number>()
        const killAfterMs = Math.floor(random() * maxKillDelayMs)
        // Odd rounds count the delay from the first report sent (kills during start-up work and the
        // first, cold reports); even rounds from the first acknowledgement and the first delivery
        // attempt, so every other round also has acknowledged reports and deliveries to look for.
        const fromFirstAck = round % 2 === 0
        const firstAck = waitForFirstAckAndDelivery(hosts, ledger, server.exited)
        const senders = hosts.map((host) => reportUntilKilled(server.baseUrl, host, packages, nextSeq, inFlight))
        if (fromFirstAck) await firstAck
        await new Promise((r) => setTimeout(r, killAfterMs))
        const inFlightAtKill = inFlight.size
        await server.kill()
        const acknowledged = (await Promise.all(senders)).reduce((a, b) => a + b, 0)
        const problems = checkDatabase(dbFile, hosts, packages)
        const snapshot = ledger.snapshot(dbFile)
        problems.push(...snapshot.problems)
        for (const id of snapshot.open.keys()) everOpen.add(id)
        const outbox = outboxRows(dbFile)
        const lost = eventsWithoutRow(dbFile, hosts)
        problems.push(...lost.problems)
        const deliveries: RoundDeliveries = {
          mode,
          recorded: snapshot.newRows,
          pendingAtKill: snapshot.pending,
          sendingAtKill: snapshot.sending,
          eventsWithoutRow: lost.missing,
          outboxAtKill: outbox.length
        }
        const result: RoundResult = { round, killAfterMs, acknowledged, inFlightAtKill, deliveries, problems }
        results.push(result)
        // The last round's receiver recovers for the final start, which must deliver everything.
        last = { result, snapshot, outbox, receiverStillFailing: mode === 'failing-after-restart' && round < options.rounds }
        const receiver = mode === 'slow' ? `slow receiver (${slowMs} ms)` : 'failing receiver (503)'
        log(
          `round ${round}: SIGKILL ${killAfterMs} ms after the first report ${fromFirstAck ? 'acknowledged and first delivery attempt' : 'sent'} with ${inFlightAtKill} report(s) in flight, ${acknowledged} acknowledged this round; ` +
            `${snapshot.newRows} deliveries recorded, at the kill ${snapshot.pending} pending + ${snapshot.sending} sending and ${outbox.length} events in the outbox, ${lost.missing} acknowledged events in neither, ${receiver} -> ${problems.length === 0 ? 'ok' : 'FAILED: ' + problems.join('; ')}`
        )
      } finally {
        await server.kill()
      }
    }
    const final = last ? await finalDeliveryCheck(ledger, dataDir, dbFile, last, log) : undefined
    const serverErrors = readFileSync(join(dataDir, 'server.log'), 'utf8')
      .split('\n')
      .filter((line) => BAD_LOG_LINE.test(line))
    const failedRounds = results.filter((r) => r.problems.length > 0).length
    return {
      rounds: results,
      failedRounds,
      acknowledged: results.reduce((a, r) => a + r.acknowledged, 0),
      inFlightKills: results.filter((r) => r.inFlightAtKill > 0).length,
      serverErrors,
      deliveries: {
        recorded: final?.total ?? 0,
        openAtKill: everOpen.size,
        killsWhileSending: results.filter((r) => r.deliveries.sendingAtKill > 0).length,
        deliveredAfterRestart: [...everOpen].filter((id) => final?.sentIds.has(id)).length,
        retryScheduled: results.reduce((a, r) => a + (r.deliveries.afterRestart?.retryScheduled ?? 0), 0),
        eventsWithoutRow: Math.max(0, ...results.map((r) => r.deliveries.eventsWithoutRow)),
        outboxAtKill: results.reduce((a, r) => a + r.deliveries.outboxAtKill, 0),
        outboxRouted: results.reduce((a, r) => a + (r.deliveries.afterRestart?.outboxRouted ?? 0), 0),
        received: ledger.received.total,
        accepted: ledger.received.accepted,
        duplicates: ledger.duplicates
      }
    }
  } finally {
    await ledger.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** One more start after the last round, with the receiver answering: every open delivery must go out, and nothing stay open. */
async function finalDeliveryCheck(
  ledger: DeliveryLedger,
  dataDir: string,
  dbFile: string,
  last: OpenAtKill,
  log: (line: string) => void
): Promise<KillSnapshot> {
  ledger.answer('recovered')
  const server = await startServerProcess(dataDir)
  try {
    await checkDeliveriesAfterRestart(ledger, dbFile, last, log)
  } finally {
    await server.kill()
  }
  const final = ledger.snapshot(dbFile)
  last.result.problems.push(...final.problems)
  if (final.open.size > 0) last.result.problems.push(`${final.open.size} deliveries still pending or sending after the final start`)
  const outboxLeft = outboxRows(dbFile).length
  if (outboxLeft > 0) last.result.problems.push(`${outboxLeft} events still in the outbox after the final start`)
  return final
}

export function summaryLine(summary: CrashSummary, hosts: number, packages: number): string {
  const ok = summary.rounds.length - summary.failedRounds
  const d = summary.deliveries
  return (
    `crash-safety: ${ok}/${summary.rounds.length} rounds ok (${hosts} hosts x ${packages} packages; ${summary.acknowledged} reports acknowledged, all present; ` +
    `${summary.inFlightKills} kills landed with reports in flight; ${summary.serverErrors.length} SQLITE_BUSY/error log lines); ` +
    `deliveries: ${d.recorded} recorded before a kill, ${d.eventsWithoutRow} events of acknowledged reports in neither the deliveries nor the outbox at a kill, ` +
    `${d.outboxAtKill} events in the outbox at a kill and ${d.outboxRouted}/${d.outboxAtKill} turned into one delivery row each after restart, ${d.openAtKill} pending or sending at a kill (${d.killsWhileSending} kills landed with deliveries sending), ` +
    `${d.deliveredAfterRestart}/${d.openAtKill} delivered after restart, ${d.retryScheduled} re-attempted and kept pending while the receiver still failed, ` +
    `receiver got ${d.received} requests (${d.received - d.accepted} answered 503) and accepted ${d.accepted}, of which ${d.duplicates} duplicates (at-least-once)`
  )
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
  runCrashSafety({ rounds, hosts, packages }).then(
    (summary) => {
      for (const line of summary.serverErrors.slice(0, 10)) console.log(`server log: ${line}`)
      console.log(summaryLine(summary, hosts, packages))
      process.exit(summary.failedRounds === 0 && summary.serverErrors.length === 0 ? 0 : 1)
    },
    (err: unknown) => {
      console.error(err)
      process.exit(1)
    }
  )
}
