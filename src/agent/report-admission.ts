// Admission of agent reports. A report body is up to 16 MB of JSON, and parsing, validating and
// writing it all run on the one JavaScript thread while SQLite serialises the writes anyway:
// reading 200 bodies at once only multiplies memory (each parsed report is several times its
// JSON size) without finishing any sooner. So at most `concurrency` reports are read, parsed and
// written at a time; the others wait before their body is read (it stays in the socket, where
// TCP flow control holds it). The wait is bounded in count and time: beyond either the server
// answers 503 with Retry-After instead of queueing without bound. The agents do not retry an
// HTTP status (facts/agent-protocol.md §1): a refused report is sent again at the next interval.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { errorOf, type ApiError } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'

export interface AdmissionLimits {
  /** Reports read, parsed and written at once. */
  concurrency: number
  /** Reports waiting for a slot; one more is refused at once. */
  maxWaiting: number
  /** Longest wait for a slot before the report is refused. */
  maxWaitMs: number
  /** Seconds a refused client is told to wait (Retry-After). */
  retryAfterSeconds: number
}

export const REPORT_ADMISSION: AdmissionLimits = { concurrency: 4, maxWaiting: 512, maxWaitMs: 15_000, retryAfterSeconds: 30 }

interface Waiter {
  admit: () => void
  timer: NodeJS.Timeout
}

export class ReportAdmission {
  private running = 0
  private readonly waiting: Waiter[] = []

  constructor(readonly limits: AdmissionLimits = REPORT_ADMISSION) {}

  /** Takes a slot, waiting when needed; resolves false when the report must be refused. */
  private acquire(): Promise<boolean> {
    if (this.running < this.limits.concurrency) {
      this.running++
      return Promise.resolve(true)
    }
    if (this.waiting.length >= this.limits.maxWaiting) return Promise.resolve(false)
    return new Promise((resolve) => {
      const waiter: Waiter = {
        // The slot is handed over by release(): `running` is not decremented in between.
        admit: () => {
          clearTimeout(waiter.timer)
          resolve(true)
        },
        timer: setTimeout(() => {
          const at = this.waiting.indexOf(waiter)
          if (at >= 0) this.waiting.splice(at, 1)
          resolve(false)
        }, this.limits.maxWaitMs)
      }
      this.waiting.push(waiter)
    })
  }

  private release(): void {
    const next = this.waiting.shift()
    if (next) next.admit()
    else this.running--
  }

  /** onRequest hook (after authentication): holds a slot until the response is finished or aborted. */
  async admitRequest(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    let state: 'waiting' | 'held' | 'gone' = 'waiting'
    // 'close' fires once the response is sent or the connection is gone, whatever happened; it is
    // listened to before waiting, so a client that gives up while queued is noticed too.
    reply.raw.once('close', () => {
      if (state === 'held') this.release()
      state = 'gone'
    })
    const clientGone = () => state === 'gone'
    const admitted = await this.acquire()
    if (admitted && clientGone()) this.release()
    if (!admitted || clientGone()) {
      request.log.warn({ hostId: request.agentHostId, waiting: this.waiting.length }, 'report refused: server busy')
      throw this.busy()
    }
    state = 'held'
  }

  private busy(): ApiError {
    return errorOf(ERROR_MESSAGES.agentReports.serverBusy, {}, { 'retry-after': String(this.limits.retryAfterSeconds) })
  }
}
