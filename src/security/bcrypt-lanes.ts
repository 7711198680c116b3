// bcrypt work is bounded by lane. A compare takes ~30 ms of one CPU on libuv's thread pool
// (4 threads by default); machine credentials (agent keys, Integration API and enrollment
// secrets, the dummy hash for unknown ids) are judged for anyone who can reach the port, so they
// run in a lane of at most half the CPUs with a bounded queue. Interactive work (logins, TFA,
// password changes) is never queued behind them, and has priority: while one runs, the machine
// lane starts no new compare, so a login competes with at most the compares already running.
// security/ sits below http/: the lane says "full" with its own error, and http/ decides what a
// client sees (credential-budget.ts and the error handler answer 429 with Retry-After).
import { availableParallelism } from 'node:os'

export type BcryptLane = 'interactive' | 'machine'

/** The machine lane's queue is full: http/ answers it as 429, like an exhausted rate limit. */
export class LaneFullError extends Error {
  constructor() {
    super('bcrypt machine lane full')
    this.name = 'LaneFullError'
  }
}

let interactiveInFlight = 0
let interactiveIdleWaiters: (() => void)[] = []

/** Runs interactive bcrypt work; the machine lane holds back until none is in flight. */
export async function runInteractive<T>(work: () => Promise<T>): Promise<T> {
  interactiveInFlight++
  try {
    return await work()
  } finally {
    if (--interactiveInFlight === 0) {
      const waiters = interactiveIdleWaiters
      interactiveIdleWaiters = []
      for (const wake of waiters) wake()
    }
  }
}

function interactiveIdle(): Promise<void> {
  return interactiveInFlight === 0 ? Promise.resolve() : new Promise((resolve) => interactiveIdleWaiters.push(resolve))
}

export class WorkLane {
  private running = 0
  private readonly waiting: (() => void)[] = []

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
    /** Awaited after a slot is taken, before the work starts (priority for other work). */
    private readonly beforeStart: () => Promise<void> = () => Promise.resolve()
  ) {}

  /** Runs `work` when a slot is free; rejects with LaneFullError when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) throw new LaneFullError()
      await new Promise<void>((resolve) => this.waiting.push(resolve))
    } else {
      this.running++
    }
    try {
      await this.beforeStart()
      return await work()
    } finally {
      // Hand the slot straight to the next waiter, so `running` never over-counts.
      const next = this.waiting.shift()
      if (next) next()
      else this.running--
    }
  }

  get queued(): number {
    return this.waiting.length
  }
}

/** One per process: the thread pool it protects is per process too. */
export const machineLane = new WorkLane(Math.max(1, Math.floor(availableParallelism() / 2)), 256, interactiveIdle)
