// The event outbox across a SIGKILL, for the crash-safety script. Every acknowledged report that
// raised a host's security count committed `security_updates_available` to event_outbox in its
// own transaction; the notifications listener turns that row into a delivery row and deletes it in
// one transaction. So with the server down, every such event is either a delivery row or still an
// outbox row (hard check, no lower bound any more), and after the restart every outbox row left at
// the kill has become exactly one delivery row: same event, same host, and the notice timestamp of
// the outbox row (the time its report committed). Duplicates would carry the same body, which the
// delivery ledger already reports.
import Database from 'better-sqlite3'

export interface OutboxRecord {
  id: string
  event_name: string
  payload: string
  created_at: string
}

export interface OutboxRestartCheck {
  /** Outbox rows left at the kill. */
  left: number
  /** Of those, now delivery rows, their outbox row gone. */
  routed: number
  waitedMs: number
  problems: string[]
}

interface HostEvents {
  id: string
  apiId: string
  expectedEvents: number
}

const hostOf = (row: OutboxRecord): string | undefined => {
  try {
    return (JSON.parse(row.payload) as { hostId?: string }).hostId
  } catch {
    return undefined
  }
}

/** Outbox rows on the file of a stopped server. */
export function outboxRows(dbFile: string): OutboxRecord[] {
  const db = new Database(dbFile, { readonly: true })
  try {
    return db.prepare('select id, event_name, payload, created_at from event_outbox order by created_at, id').all() as OutboxRecord[]
  } finally {
    db.close()
  }
}

/**
 * Acknowledged reports that must have fired `security_updates_available` (they followed an
 * acknowledged report without security updates) with neither a delivery row nor an outbox row:
 * per host, expected events minus (rows about the host + outbox rows about the host), where
 * positive. Must be 0: the event commits with the report.
 */
export function eventsWithoutRow(dbFile: string, hosts: HostEvents[]): { missing: number; problems: string[] } {
  const db = new Database(dbFile, { readonly: true })
  try {
    const rows = db
      .prepare("select count(*) from notification_deliveries where event_type = 'security_updates_available' and reference_id = ?")
      .pluck()
    const outbox = outboxRowsOf(db).filter((r) => r.event_name === 'security_updates_available')
    let missing = 0
    const problems: string[] = []
    for (const host of hosts) {
      const found = (rows.get(host.id) as number) + outbox.filter((r) => hostOf(r) === host.id).length
      if (found >= host.expectedEvents) continue
      missing += host.expectedEvents - found
      problems.push(
        `host ${host.apiId}: ${host.expectedEvents} acknowledged reports raised the security count, only ${found} delivery or outbox rows`
      )
    }
    return { missing, problems }
  } finally {
    db.close()
  }
}

function outboxRowsOf(db: Database.Database): OutboxRecord[] {
  return db.prepare('select id, event_name, payload, created_at from event_outbox').all() as OutboxRecord[]
}

/** After the restart (server running): polls until every outbox row left at the kill is gone and is one delivery row. Bounded by timeoutMs. */
export async function checkOutboxAfterRestart(dbFile: string, left: OutboxRecord[], timeoutMs: number): Promise<OutboxRestartCheck> {
  const started = Date.now()
  if (left.length === 0) return { left: 0, routed: 0, waitedMs: 0, problems: [] }
  const db = new Database(dbFile, { readonly: true })
  db.pragma('busy_timeout = 2000')
  const stillThere = db.prepare('select count(*) from event_outbox where id = ?').pluck()
  const deliveries = db.prepare('select payload from notification_deliveries where event_type = ? and reference_id = ?').pluck()
  const deliveryCount = (row: OutboxRecord): number =>
    (deliveries.all(row.event_name, hostOf(row) ?? null) as string[]).filter(
      (p) => (JSON.parse(p) as { timestamp?: string }).timestamp === row.created_at
    ).length
  let counts: Array<{ gone: boolean; rows: number }> = []
  try {
    for (;;) {
      counts = left.map((row) => ({ gone: stillThere.get(row.id) === 0, rows: deliveryCount(row) }))
      if (counts.every((c) => c.gone && c.rows >= 1) || Date.now() - started >= timeoutMs) break
      await new Promise((r) => setTimeout(r, 100))
    }
  } finally {
    db.close()
  }
  const problems: string[] = []
  left.forEach((row, i) => {
    const c = counts[i] as { gone: boolean; rows: number }
    if (!c.gone) problems.push(`outbox row ${row.id} (${row.event_name}) left at the kill is still there ${timeoutMs} ms after the restart`)
    if (c.rows !== 1) problems.push(`outbox row ${row.id} (${row.event_name}) left at the kill became ${c.rows} delivery rows, expected 1`)
  })
  return { left: left.length, routed: counts.filter((c) => c.gone && c.rows === 1).length, waitedMs: Date.now() - started, problems }
}
