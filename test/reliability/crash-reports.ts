// The report side of the crash-safety script (crash-safety.ts): hosts sending full agent reports,
// each tagged with its own sequence number, until the server goes away; and the checks of the
// stored reports on the database file of a stopped server.
import Database from 'better-sqlite3'
import { REPORTS_KEPT_PER_HOST } from '../../src/hosts/report-retention.js'
import { agentReport, debianPackages } from '../helpers/agent-fixtures.js'
import type { HostCredentials } from './server-process.js'

const TAG = /~seq(\d+)$/
/** Upper bound of reports one host sends in one round (the kill normally comes much earlier). */
const MAX_REPORTS_PER_ROUND = 500

export interface HostState extends HostCredentials {
  lastAcked: number
  ackedTotal: number
  reportsSent: number
  /** Acknowledged reports that raised the host's security count, so fired an event. */
  expectedEvents: number
}

/** Sends reports for one host until the server goes away; returns how many were acknowledged. */
export async function reportUntilKilled(
  baseUrl: string,
  host: HostState,
  packages: number,
  nextSeq: () => number,
  inFlight: Set<number>
): Promise<number> {
  let acked = 0
  for (let i = 0; i < MAX_REPORTS_PER_ROUND; i++) {
    const seq = nextSeq()
    // Every other report has no pending updates, so the next one raises the security count again.
    const withSecurity = host.reportsSent++ % 2 === 0
    const body = JSON.stringify(
      agentReport(debianPackages(packages, { versionSalt: `~seq${seq}`, ...(withSecurity ? {} : { updates: 0 }) }))
    )
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
      // The report before this one (same round, so acknowledged) had no security updates.
      if (withSecurity && i > 0) host.expectedEvents++
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
      if (tags.size === 1 && !(stored >= host.lastAcked))
        problems.push(`host ${host.apiId}: stored report ${stored} is older than acknowledged ${host.lastAcked}`)
      const historyRows = history.get(host.id) as number
      // The server keeps the newest REPORTS_KEPT_PER_HOST reports of a host; a long run acknowledges more.
      const historyExpected = Math.min(host.ackedTotal, REPORTS_KEPT_PER_HOST)
      if (historyRows < historyExpected)
        problems.push(
          `host ${host.apiId}: ${historyRows} report_history rows, ${host.ackedTotal} reports acknowledged (${historyExpected} expected kept)`
        )
    }
  } finally {
    db.close()
  }
  return problems
}
