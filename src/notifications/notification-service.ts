// From event to delivered message. A delivery row is written (status pending) BEFORE any attempt
// and updated after each one, so the log explains every delivery and a restart re-queues what was
// still pending. Attempts run on the in-memory queue: bounded concurrency, a timeout per request,
// exponential back-off, Retry-After honoured on 429, final failures (Discord 404) not retried.
// A bad receiver only delays itself: each destination has its own small number of slots, and a
// destination that did not answer (or answered 429) is backed off as a whole (its other
// deliveries wait without an attempt being spent) while every other destination keeps its pace.
import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import type { SecretBox } from '../security/secret-box.js'
import { newId } from '../security/random-tokens.js'
import { consumeOutboxRow } from '../events/event-outbox.js'
import { JobQueue } from '../jobs/job-queue.js'
import { OutboundHttp } from './outbound-http.js'
import { noticeSeverity, noticeTitle, type Notice } from './notice.js'
import { matchingDestinations } from './routing.js'
import { findDestination } from './destination-store.js'
import { providerFor } from './providers/index.js'
import { SERVICE_ENDPOINTS, type ServiceEndpoints } from './providers/provider.js'
import { DeliveryError } from './providers/delivery-http.js'

export interface DeliveryOptions {
  /** Attempts per delivery, the first included. */
  maxAttempts: number
  /** First retry waits this long; each next one twice as long (capped at maxRetryDelayMs). */
  retryBaseMs: number
  maxRetryDelayMs: number
  /** Per request. */
  timeoutMs: number
  /** Attempts in flight over all destinations. */
  concurrency: number
  /** Attempts in flight to one destination: a hanging receiver holds at most this many slots. */
  perDestinationConcurrency: number
}

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  maxAttempts: 5,
  retryBaseMs: 5_000,
  maxRetryDelayMs: 10 * 60_000,
  timeoutMs: 30_000,
  concurrency: 8,
  perDestinationConcurrency: 2
}

interface DestinationBackoff {
  /** performance.now() before which the destination is not tried (monotonic: clock steps do not matter). */
  until: number
  failures: number
}

export interface NotifyInput {
  eventType: string
  notice: Notice
  referenceId?: string | null
  /**
   * The event's event_outbox row: deleted in the transaction that records the deliveries (or on
   * its own when no rule matches). Already gone = already recorded, so nothing is written twice.
   */
  outboxId?: string
}

export class NotificationService {
  readonly queue: JobQueue
  readonly http: OutboundHttp
  /** Injected clock: tests move time explicitly. */
  now: () => Date = () => new Date()
  /** Telegram's and Pushover's API addresses; tests point them at a local receiver. */
  readonly endpoints: ServiceEndpoints = { ...SERVICE_ENDPOINTS }
  private readonly attemptWaiters = new Map<string, Array<() => void>>()
  private readonly inFlight = new Set<Promise<unknown>>()
  private readonly backoff = new Map<string, DestinationBackoff>()

  constructor(
    private readonly db: Kysely<DB>,
    private readonly box: SecretBox,
    private readonly log: FastifyBaseLogger,
    readonly options: DeliveryOptions = { ...DEFAULT_DELIVERY_OPTIONS }
  ) {
    this.queue = new JobQueue(log, options.concurrency, options.perDestinationConcurrency)
    this.http = new OutboundHttp(options.timeoutMs)
  }

  /** Keeps an event handler's promise so settle() can wait for it (events are fire-and-forget). */
  track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work)
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined)
    return work
  }

  /** Waits until every routed event is recorded and the queue is empty (tests, run-now). */
  async settle(): Promise<void> {
    for (let round = 0; round < 100 && (this.inFlight.size > 0 || !this.queueIdle()); round++) {
      await Promise.allSettled([...this.inFlight])
      await this.queue.idle()
    }
  }

  private queueIdle(): boolean {
    const size = this.queue.size
    return size.active === 0 && size.waiting === 0 && size.delayed === 0
  }

  /** Routes an event through the rules; returns the delivery ids created. */
  async notifyEvent(input: NotifyInput & { hostId?: string }): Promise<string[]> {
    const destinationIds = await matchingDestinations(this.db, {
      eventType: input.eventType,
      severity: noticeSeverity(input.notice),
      ...(input.hostId ? { hostId: input.hostId } : {})
    })
    // No rule: nothing to record, but an outbox row still has to be consumed.
    if (destinationIds.length === 0 && input.outboxId === undefined) return []
    return this.sendTo(destinationIds, input)
  }

  /** Records one pending delivery per destination and consumes the outbox row (one transaction), then queues them. */
  async sendTo(destinationIds: string[], input: NotifyInput): Promise<string[]> {
    const at = this.now().toISOString()
    const destinations = await this.db
      .selectFrom('notification_destinations')
      .select(['id', 'display_name'])
      .where('id', 'in', destinationIds.length ? destinationIds : [''])
      .execute()
    const rows = destinations.map((d) => ({
      id: newId(),
      destination_id: d.id,
      destination_name: d.display_name,
      event_type: input.eventType,
      severity: noticeSeverity(input.notice),
      title: noticeTitle(input.notice).slice(0, 500),
      reference_id: input.referenceId ?? null,
      payload: JSON.stringify(input.notice),
      status: 'pending',
      attempt_count: 0,
      next_attempt_at: at,
      created_at: at,
      updated_at: at
    }))
    if (rows.length === 0 && input.outboxId === undefined) return []
    const recorded = await this.db.transaction().execute(async (trx) => {
      if (input.outboxId !== undefined) {
        if (!(await consumeOutboxRow(trx, input.outboxId))) return false
      }
      if (rows.length > 0) await trx.insertInto('notification_deliveries').values(rows).execute()
      return true
    })
    if (!recorded) return []
    for (const row of rows) this.enqueue(row.id, row.destination_id)
    return rows.map((r) => r.id)
  }

  enqueue(deliveryId: string, destinationId: string, delayMs = 0): void {
    this.queue.add({ key: deliveryId, group: destinationId, run: () => this.attempt(deliveryId) }, delayMs)
  }

  /** Milliseconds until a backed-off destination may be tried again (0 = now). */
  private backoffLeft(destinationId: string): number {
    const state = this.backoff.get(destinationId)
    return state ? Math.max(0, Math.ceil(state.until - performance.now())) : 0
  }

  private destinationFailed(destinationId: string, retryAfterMs: number | undefined): void {
    const failures = (this.backoff.get(destinationId)?.failures ?? 0) + 1
    const delay = Math.min(Math.max(this.options.retryBaseMs * 2 ** (failures - 1), retryAfterMs ?? 0), this.options.maxRetryDelayMs)
    this.backoff.set(destinationId, { until: performance.now() + delay, failures })
  }

  /** Resolves after the next attempt of a delivery settles (or after maxMs): the test-send button waits on it. */
  waitForAttempt(deliveryId: string, maxMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, maxMs)
      const list = this.attemptWaiters.get(deliveryId) ?? []
      list.push(done)
      this.attemptWaiters.set(deliveryId, list)
      function done() {
        clearTimeout(timer)
        resolve()
      }
    })
  }

  private attemptSettled(deliveryId: string): void {
    const list = this.attemptWaiters.get(deliveryId)
    this.attemptWaiters.delete(deliveryId)
    for (const resolve of list ?? []) resolve()
  }

  /**
   * On start: everything not finished goes back on the queue at once. A restart is a natural
   * retry point (a back-off from before the restart has mostly elapsed by then), and it keeps
   * "restart" from meaning "wait up to ten minutes for the alert".
   */
  async requeuePending(): Promise<number> {
    const rows = await this.db
      .selectFrom('notification_deliveries')
      .select(['id', 'destination_id'])
      .where('status', 'in', ['pending', 'sending'])
      .orderBy('created_at')
      .execute()
    for (const row of rows) this.enqueue(row.id, row.destination_id)
    if (rows.length > 0) this.log.info({ count: rows.length }, 'notification deliveries re-queued after start')
    return rows.length
  }

  /** One attempt; returns the back-off before the next one, or nothing when finished. */
  private async attempt(deliveryId: string): Promise<number | void> {
    try {
      return await this.attemptOnce(deliveryId)
    } finally {
      this.attemptSettled(deliveryId)
    }
  }

  private async attemptOnce(deliveryId: string): Promise<number | void> {
    const row = await this.db.selectFrom('notification_deliveries').selectAll().where('id', '=', deliveryId).executeTakeFirst()
    if (!row || (row.status !== 'pending' && row.status !== 'sending')) return
    // A test-send is the operator checking the destination now: it never waits out a back-off.
    const wait = row.event_type === 'test' ? 0 : this.backoffLeft(row.destination_id)
    if (wait > 0) return wait
    const attempt = row.attempt_count + 1
    await this.update(deliveryId, { status: 'sending', attempt_count: attempt })
    const destination = await findDestination(this.db, this.box, row.destination_id).catch((err: unknown) => {
      this.log.error({ err, deliveryId, destinationId: row.destination_id }, 'notification destination cannot be opened')
      return null
    })
    if (!destination)
      return this.finish(deliveryId, row.destination_id, {
        status: 'failed',
        response_status: null,
        error_message:
          destination === null ? 'destination config cannot be decrypted (was SECRET_ENCRYPTION_KEY changed?)' : 'destination was deleted'
      })
    const provider = providerFor(destination.channelType, destination.config)
    try {
      const result = await provider.send(destination.config, JSON.parse(row.payload) as Notice, {
        http: this.http,
        deliveryId,
        endpoints: this.endpoints
      })
      this.backoff.delete(destination.id)
      return this.finish(deliveryId, destination.id, {
        status: 'sent',
        response_status: result.status,
        error_message: null,
        sent_at: this.now().toISOString()
      })
    } catch (err) {
      const failure = err instanceof DeliveryError ? err : new DeliveryError(`${provider.name} provider failed`, null, true)
      if (!(err instanceof DeliveryError))
        this.log.error({ err: { name: (err as Error)?.name }, deliveryId }, 'notification provider threw unexpectedly')
      // Back off the whole destination when it costs the queue time (no answer: timeout, refused,
      // unreachable) or asks for it (429). A quick 5xx only retries its own delivery, so a restart
      // still re-attempts every open delivery at once.
      if (failure.retryable && (failure.status === null || failure.status === 429))
        this.destinationFailed(destination.id, failure.retryAfterMs)
      if (failure.retryable && attempt < this.options.maxAttempts) {
        const backoff = Math.min(this.options.retryBaseMs * 2 ** (attempt - 1), this.options.maxRetryDelayMs)
        const delay = Math.min(Math.max(backoff, failure.retryAfterMs ?? 0), this.options.maxRetryDelayMs)
        await this.update(deliveryId, {
          status: 'pending',
          response_status: failure.status,
          error_message: failure.message,
          next_attempt_at: new Date(this.now().getTime() + delay).toISOString()
        })
        this.log.warn(
          {
            deliveryId,
            destinationId: destination.id,
            format: provider.name,
            attempt,
            status: failure.status,
            error: failure.message,
            retryInMs: delay
          },
          'notification delivery failed, will retry'
        )
        return delay
      }
      return this.finish(deliveryId, destination.id, { status: 'failed', response_status: failure.status, error_message: failure.message })
    }
  }

  private async finish(
    deliveryId: string,
    destinationId: string,
    values: { status: 'sent' | 'failed'; response_status: number | null; error_message: string | null; sent_at?: string }
  ): Promise<void> {
    await this.update(deliveryId, { ...values, next_attempt_at: null })
    const line = {
      deliveryId,
      destinationId,
      status: values.status,
      responseStatus: values.response_status,
      ...(values.error_message ? { error: values.error_message } : {})
    }
    if (values.status === 'sent') this.log.info(line, 'notification delivered')
    else this.log.warn(line, 'notification delivery failed')
  }

  private async update(id: string, values: Record<string, string | number | null>): Promise<void> {
    await this.db
      .updateTable('notification_deliveries')
      .set({ ...values, updated_at: this.now().toISOString() })
      .where('id', '=', id)
      .execute()
  }

  /** On close: let running attempts finish briefly; what remains pending is re-queued next start. */
  async close(drainMs = 2_000): Promise<void> {
    await this.queue.close(drainMs)
    await this.http.close().catch(() => undefined)
  }
}
