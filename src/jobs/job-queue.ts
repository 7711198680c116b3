// An in-memory work queue with bounded concurrency and delayed jobs (retries with back-off).
// Durability is the caller's business: notifications write each delivery to the database before
// queueing it, so what is lost on a crash is only the in-memory copy, re-queued on start.
import type { FastifyBaseLogger } from 'fastify'
import { withHostScope } from '../http/request-host-scope.js'

export interface QueuedJob {
  /** Stable key: a job already queued or running under this key is not queued twice. */
  key: string
  /** Returns a delay in ms to run the same job again later (a retry), or nothing when done. */
  run: () => Promise<number | void>
  /** Jobs of one group (a notification destination) share the per-group limit. */
  group?: string
}

export class JobQueue {
  private readonly waiting: QueuedJob[] = []
  private readonly keys = new Set<string>()
  private readonly delayed = new Map<string, NodeJS.Timeout>()
  private active = 0
  private readonly activeByGroup = new Map<string, number>()
  private closed = false
  private idleWaiters: Array<() => void> = []

  constructor(
    private readonly log: FastifyBaseLogger,
    private readonly concurrency: number,
    /** At most this many jobs of one group run at once, so one slow group cannot take every slot. */
    private readonly perGroup = Number.POSITIVE_INFINITY
  ) {}

  /** Queues a job now, or after delayMs (a retry back-off or a Retry-After). */
  add(job: QueuedJob, delayMs = 0): void {
    if (this.closed || this.keys.has(job.key)) return
    this.keys.add(job.key)
    if (delayMs > 0) {
      const handle = setTimeout(() => {
        this.delayed.delete(job.key)
        this.waiting.push(job)
        this.pump()
      }, delayMs)
      handle.unref()
      this.delayed.set(job.key, handle)
      return
    }
    this.waiting.push(job)
    this.pump()
  }

  get size(): { waiting: number; delayed: number; active: number } {
    return { waiting: this.waiting.length, delayed: this.delayed.size, active: this.active }
  }

  /** Resolves when nothing is queued, delayed or running (tests await this instead of sleeping). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  /**
   * Stops taking jobs, drops delayed ones (their database rows stay pending and are re-queued on the
   * next start) and waits up to timeoutMs for running and waiting jobs.
   */
  async close(timeoutMs: number): Promise<void> {
    this.closed = true
    for (const [key, handle] of this.delayed) {
      clearTimeout(handle)
      this.keys.delete(key)
    }
    this.delayed.clear()
    this.notifyIfIdle()
    let timer: NodeJS.Timeout | undefined
    await Promise.race([this.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))])
    clearTimeout(timer)
  }

  private isIdle(): boolean {
    return this.active === 0 && this.waiting.length === 0 && this.delayed.size === 0
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const resolve of waiters) resolve()
  }

  /** The first waiting job whose group has a free slot (later jobs of other groups may overtake). */
  private nextRunnable(): QueuedJob | undefined {
    const index = this.waiting.findIndex((job) => job.group === undefined || (this.activeByGroup.get(job.group) ?? 0) < this.perGroup)
    return index < 0 ? undefined : this.waiting.splice(index, 1)[0]
  }

  private pump(): void {
    while (this.active < this.concurrency) {
      const job = this.nextRunnable()
      if (!job) break
      this.active++
      if (job.group !== undefined) this.activeByGroup.set(job.group, (this.activeByGroup.get(job.group) ?? 0) + 1)
      // Queued work is the machine's, not the request that happened to queue it: no host scope.
      void withHostScope(null, () => job.run())
        .catch((err: unknown) => {
          this.log.error({ err, job: job.key }, 'queued job failed')
          return undefined
        })
        .then((retryInMs) => {
          this.active--
          if (job.group !== undefined) {
            const left = (this.activeByGroup.get(job.group) ?? 1) - 1
            if (left > 0) this.activeByGroup.set(job.group, left)
            else this.activeByGroup.delete(job.group)
          }
          this.keys.delete(job.key)
          if (typeof retryInMs === 'number') this.add(job, Math.max(1, retryInMs))
          this.pump()
          this.notifyIfIdle()
        })
    }
  }
}
