// Work that is not a request (host-down checks, retention, WAL checkpoints, scheduled reports)
// runs from one table of timers. Each run catches and logs its own errors; stopAll() is called
// on close; tests call runNow(name) instead of waiting on a real interval.
import type { FastifyBaseLogger } from 'fastify'

export interface TimerSpec {
  name: string
  /** Milliseconds between runs. */
  everyMs: number
  run: () => Promise<void> | void
  /** Run once right after start() too. */
  runOnStart?: boolean
}

export class Timers {
  private readonly specs = new Map<string, TimerSpec>()
  private readonly handles = new Map<string, NodeJS.Timeout>()
  private readonly running = new Set<string>()
  private started = false

  constructor(private readonly log: FastifyBaseLogger) {}

  add(spec: TimerSpec): void {
    if (this.specs.has(spec.name)) throw new Error(`timer ${spec.name} registered twice`)
    this.specs.set(spec.name, spec)
    if (this.started) this.schedule(spec)
  }

  /** Starts every timer (serve calls this after listening; tests usually do not). */
  start(): void {
    if (this.started) return
    this.started = true
    for (const spec of this.specs.values()) this.schedule(spec)
  }

  private schedule(spec: TimerSpec): void {
    const handle = setInterval(() => void this.runNow(spec.name), spec.everyMs)
    handle.unref()
    this.handles.set(spec.name, handle)
    if (spec.runOnStart) setImmediate(() => void this.runNow(spec.name))
  }

  /** Runs one timer now; overlapping runs of the same timer are skipped. */
  async runNow(name: string): Promise<void> {
    const spec = this.specs.get(name)
    if (!spec) throw new Error(`unknown timer ${name}`)
    if (this.running.has(name)) return
    this.running.add(name)
    try {
      await spec.run()
    } catch (err) {
      this.log.error({ err, timer: name }, 'timer run failed')
    } finally {
      this.running.delete(name)
    }
  }

  names(): string[] {
    return [...this.specs.keys()]
  }

  stopAll(): void {
    for (const handle of this.handles.values()) clearInterval(handle)
    this.handles.clear()
    this.started = false
  }
}
