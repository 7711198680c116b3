// Pending notification deliveries across a SIGKILL, for the crash-safety script. A webhook
// destination points at a receiver in the script's own process (127.0.0.1), and every report that
// raises a host's security-update count fires `security_updates_available`, routed there. The
// receiver is slow in some rounds (deliveries are `sending` when the kill lands) and fails with 503
// in others (deliveries wait `pending` for their retry).
//
// With the server down, every delivery row must be whole, every `sent` row must have reached the
// receiver, and the receiver must never have got a body that no row explains (a delivery sent
// before its row committed). After the restart, every row that was pending or sending at the kill
// must be delivered, or, when the receiver still fails, attempted again and `pending` with a next
// attempt: no row lost, none left in `sending`. A delivery is matched to its row by its exact body:
// the generic webhook body rendered from the row's stored notice, which is unique per event (title
// names the host, timestamp is the event's own).
import Database from 'better-sqlite3'
import type { Notice } from '../../src/notifications/notice.js'
import { genericBody } from '../../src/notifications/providers/generic-webhook.js'
import { startWebhookReceiver, type WebhookReceiver } from '../notifications/helpers/webhook-receiver.js'

/** What the receiver does during a round's kill phase, and whether it still fails after the restart. */
export type ReceiverMode = 'slow' | 'failing-then-recovered' | 'failing-after-restart'

const HOOK_PATH = '/crash-hook'
const STATUSES = new Set(['pending', 'sending', 'sent', 'failed'])

interface DeliveryRecord {
  id: string
  destination_id: string
  event_type: string
  title: string
  payload: string
  status: string
  attempt_count: number
  response_status: number | null
  next_attempt_at: string | null
  created_at: string
  updated_at: string
  sent_at: string | null
}

export interface KillSnapshot {
  /** Rows committed before the kill, all rounds so far. */
  total: number
  /** Of those, new since the previous kill. */
  newRows: number
  pending: number
  sending: number
  sent: number
  /** Rows sent (and received) by the kill. */
  sentIds: Set<string>
  /** Rows pending or sending at the kill, with their attempt counts: checked after the restart. */
  open: Map<string, number>
  problems: string[]
}

export interface RestartCheck {
  open: number
  /** Open rows now `sent` and received (receiver recovered). */
  delivered: number
  /** Open rows attempted again and `pending` with a next attempt (receiver still failing). */
  retryScheduled: number
  waitedMs: number
  problems: string[]
}

export class DeliveryLedger {
  private readonly bodies = new Map<string, string>()
  private readonly idByBody = new Map<string, string>()
  /** Bodies the receiver accepted (answered 2xx), by count: a failing answer is no delivery. */
  private readonly receipts = new Map<string, number>()
  private readonly strayBodies: Array<{ body: string; accepted: boolean }> = []
  private readBodies = 0
  private destinationId = ''

  private constructor(readonly receiver: WebhookReceiver) {}

  static async start(): Promise<DeliveryLedger> {
    return new DeliveryLedger(await startWebhookReceiver())
  }

  async close(): Promise<void> {
    await this.receiver.close()
  }

  /** A webhook destination at the receiver and a rule routing every event to it, through the admin API. */
  async subscribe(baseUrl: string, token: string): Promise<void> {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` }
    const destination = await fetch(`${baseUrl}/api/v1/notifications/destinations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ channel_type: 'webhook', display_name: 'crash receiver', config: { url: `${this.receiver.url}${HOOK_PATH}` } })
    })
    if (destination.status !== 201)
      throw new Error(`creating the webhook destination failed: ${destination.status} ${await destination.text()}`)
    this.destinationId = ((await destination.json()) as { id: string }).id
    const rule = await fetch(`${baseUrl}/api/v1/notifications/routes`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ destination_id: this.destinationId, event_types: ['*'], min_severity: 'informational' })
    })
    if (rule.status !== 201) throw new Error(`creating the routing rule failed: ${rule.status} ${await rule.text()}`)
  }

  /** Slow: every answer 200 after delayMs. Failing: every answer 503 (retryable). Recovered: 200 at once. */
  answer(how: 'recovered' | 'failing' | { slowMs: number }): void {
    if (how === 'recovered') this.receiver.fallback = { status: 200, body: 'ok' }
    else if (how === 'failing') this.receiver.fallback = { status: 503, body: 'temporarily unavailable' }
    else this.receiver.fallback = { status: 200, body: 'ok', delayMs: how.slowMs }
  }

  /** Bodies accepted beyond the first for the same row (at-least-once delivery allows them). */
  get duplicates(): number {
    this.readReceiver()
    let extra = 0
    for (const n of this.receipts.values()) extra += n - 1
    return extra
  }

  /** Requests the receiver got so far. */
  get requestCount(): number {
    return this.receiver.requests.length
  }

  /** Requests the receiver got, in total, and those it accepted. */
  get received(): { total: number; accepted: number } {
    return {
      total: this.receiver.requests.length,
      accepted: this.receiver.requests.filter((r) => r.replyStatus !== undefined && r.replyStatus >= 200 && r.replyStatus < 300).length
    }
  }

  /** The checks with the server down, right after the kill. */
  snapshot(dbFile: string): KillSnapshot {
    const problems: string[] = []
    const rows = readRows(dbFile)
    const before = this.bodies.size
    for (const row of rows) {
      if (this.bodies.has(row.id)) continue
      const body = expectedBody(row)
      this.bodies.set(row.id, body ?? '')
      if (body === undefined) continue
      const other = this.idByBody.get(body)
      if (other) problems.push(`deliveries ${other} and ${row.id} carry the same body, so receipts cannot tell them apart`)
      this.idByBody.set(body, row.id)
    }
    this.readReceiver()
    const open = new Map<string, number>()
    let pending = 0
    let sending = 0
    const sentIds = new Set<string>()
    for (const row of rows) {
      problems.push(...this.wholeRowProblems(row))
      if (row.status === 'pending') pending++
      if (row.status === 'sending') sending++
      if (row.status === 'pending' || row.status === 'sending') open.set(row.id, row.attempt_count)
      if (row.status === 'sent') {
        sentIds.add(row.id)
        if (!this.receivedOnce(row.id)) problems.push(`delivery ${row.id} is marked sent but the receiver never got it`)
      }
    }
    for (const stray of this.strayBodies) problems.push(`the receiver got a delivery no row explains: ${stray.body.slice(0, 160)}`)
    this.strayBodies.length = 0
    return { total: rows.length, newRows: this.bodies.size - before, pending, sending, sent: sentIds.size, sentIds, open, problems }
  }

  /**
   * After the restart (server running): polls the database until every row open at the kill is
   * delivered, or, with the receiver still failing, attempted again and pending with a next
   * attempt. Bounded by timeoutMs.
   */
  async checkAfterRestart(
    dbFile: string,
    open: Map<string, number>,
    receiverStillFailing: boolean,
    timeoutMs: number
  ): Promise<RestartCheck> {
    const started = Date.now()
    const deadline = started + timeoutMs
    const db = new Database(dbFile, { readonly: true })
    db.pragma('busy_timeout = 2000')
    const read = db.prepare('select id, status, attempt_count, next_attempt_at from notification_deliveries')
    type State = { id: string; status: string; attempt_count: number; next_attempt_at: string | null }
    const isSettled = (id: string, attemptsAtKill: number, row: State | undefined): boolean => {
      if (!row) return false
      return receiverStillFailing
        ? row.status === 'pending' && row.next_attempt_at !== null && row.attempt_count > attemptsAtKill
        : row.status === 'sent' && this.receivedOnce(id)
    }
    let states = new Map<string, State>()
    let unsettled: string[]
    try {
      for (;;) {
        states = new Map((read.all() as State[]).map((r) => [r.id, r]))
        this.readReceiver()
        unsettled = [...open].filter(([id, attemptsAtKill]) => !isSettled(id, attemptsAtKill, states.get(id))).map(([id]) => id)
        if (unsettled.length === 0 || Date.now() >= deadline) break
        await new Promise((r) => setTimeout(r, 100))
      }
    } finally {
      db.close()
    }
    const problems: string[] = []
    if (unsettled.length > 0) {
      const byStatus: Record<string, number> = {}
      for (const id of unsettled) {
        const status = states.get(id)?.status ?? 'row missing'
        byStatus[status] = (byStatus[status] ?? 0) + 1
      }
      const wanted = receiverStillFailing ? 'attempted again and pending with a next attempt' : 'delivered'
      problems.push(
        `${unsettled.length} of ${open.size} deliveries open at the kill not ${wanted} within ${timeoutMs} ms after the restart: ${JSON.stringify(byStatus)}`
      )
    }
    // Bodies no known row explains stay for the next snapshot, which reads every row committed by then.
    const done = open.size - unsettled.length
    return {
      open: open.size,
      delivered: receiverStillFailing ? 0 : done,
      retryScheduled: receiverStillFailing ? done : 0,
      waitedMs: Date.now() - started,
      problems
    }
  }

  private receivedOnce(id: string): boolean {
    const body = this.bodies.get(id)
    return body !== undefined && (this.receipts.get(body) ?? 0) > 0
  }

  /** Counts new receiver requests by body; bodies no row (yet) explains are kept until the next check. */
  private readReceiver(): void {
    const pending = [...this.strayBodies]
    this.strayBodies.length = 0
    for (; this.readBodies < this.receiver.requests.length; this.readBodies++) {
      const request = this.receiver.requests[this.readBodies]
      if (!request) continue
      const accepted = request.replyStatus !== undefined && request.replyStatus >= 200 && request.replyStatus < 300
      pending.push({
        body: request.method === 'POST' && request.url === HOOK_PATH ? request.body : `${request.method} ${request.url}`,
        accepted
      })
    }
    for (const received of pending) {
      if (!this.idByBody.has(received.body)) this.strayBodies.push(received)
      else if (received.accepted) this.receipts.set(received.body, (this.receipts.get(received.body) ?? 0) + 1)
    }
  }

  /** A row is whole: every column its status implies is there, and its notice is the event it names. */
  private wholeRowProblems(row: DeliveryRecord): string[] {
    const problems: string[] = []
    const say = (what: string) => problems.push(`delivery ${row.id} (${row.status}): ${what}`)
    if (!STATUSES.has(row.status)) say('unknown status')
    if (row.destination_id !== this.destinationId) say('names another destination')
    if (row.status === 'failed') say('failed, although the receiver only ever answered 200 or a retryable 503')
    if (!Number.isInteger(row.attempt_count) || row.attempt_count < 0) say(`attempt_count ${row.attempt_count}`)
    if (row.status === 'sending' && row.attempt_count < 1) say('sending without a counted attempt')
    if (row.status === 'pending' && row.next_attempt_at === null) say('pending without a next attempt')
    if (
      row.status === 'sent' &&
      (row.sent_at === null || row.response_status === null || row.response_status < 200 || row.response_status > 299)
    )
      say('sent without sent_at and a 2xx status')
    for (const [name, value] of [
      ['created_at', row.created_at],
      ['updated_at', row.updated_at],
      ['next_attempt_at', row.next_attempt_at],
      ['sent_at', row.sent_at]
    ] as const) {
      if (value !== null && Number.isNaN(Date.parse(value))) say(`${name} is not a date: ${value}`)
    }
    const body = this.bodies.get(row.id)
    if (!body) say('payload is not a stored notice')
    else {
      const notice = JSON.parse(row.payload) as { eventType?: unknown; title?: unknown }
      if (notice.eventType !== row.event_type || notice.title !== row.title) say("payload does not match the row's event type and title")
    }
    return problems
  }
}

function readRows(dbFile: string): DeliveryRecord[] {
  const db = new Database(dbFile, { readonly: true })
  try {
    return db
      .prepare(
        'select id, destination_id, event_type, title, payload, status, attempt_count, response_status, next_attempt_at, created_at, updated_at, sent_at from notification_deliveries order by created_at, id'
      )
      .all() as DeliveryRecord[]
  } finally {
    db.close()
  }
}

/** The exact body the generic webhook provider posts for this row, or undefined if the payload is not a notice. */
function expectedBody(row: DeliveryRecord): string | undefined {
  try {
    const notice = JSON.parse(row.payload) as Notice
    if (notice.kind !== 'alert' && notice.kind !== 'report') return undefined
    return JSON.stringify(genericBody(notice))
  } catch {
    return undefined
  }
}
