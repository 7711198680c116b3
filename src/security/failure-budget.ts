// Failed-credential budget: how many wrong secrets one client address (or one key id, from any
// address) may have judged per window. Every judgement of a machine credential costs a bcrypt
// compare (~30 ms of a CPU), so without a budget one address could keep the CPU busy with wrong
// keys and starve logins.
//  - A check is refused once `max` failures were recorded in the window.
//  - Checks still in flight are counted too, up to `maxPending` per key: a burst of concurrent
//    guesses cannot all pass before the first failure is recorded (at most max + maxPending are
//    judged per window), while a burst of legitimate agents behind one NAT address (say, all
//    re-checking after a restart) is not refused for merely being concurrent.
//  - A right credential records no failure, so legitimate traffic never uses the budget up.
interface Window {
  failures: number
  pending: number
  startMs: number
  /** Set once a refusal in this window was reported, so a flood logs one line, not thousands. */
  reported: boolean
}

export type BudgetDecision =
  { allowed: true; settle: (succeeded: boolean) => void } | { allowed: false; retryAfterSeconds: number; firstRefusal: boolean }

const MAX_KEYS = 100_000

export class FailureBudget {
  private readonly windows = new Map<string, Window>()

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly maxPending = 64,
    private readonly now: () => number = Date.now
  ) {}

  private current(key: string, now: number): Window {
    let window = this.windows.get(key)
    if (!window || window.startMs + this.windowMs <= now) {
      // A new window keeps the checks still in flight from the old one.
      window = { failures: 0, pending: window?.pending ?? 0, startMs: now, reported: false }
      this.windows.delete(key)
      // Bounded memory under a flood of addresses: the oldest window goes first.
      if (this.windows.size >= MAX_KEYS) {
        const oldest = this.windows.keys().next()
        if (!oldest.done) this.windows.delete(oldest.value)
      }
      this.windows.set(key, window)
    }
    return window
  }

  /** Admits one check on every key, or refuses it when any key is used up. */
  take(keys: string[]): BudgetDecision {
    const now = this.now()
    const windows = keys.map((key) => this.current(key, now))
    const exhausted = windows.filter((w) => w.failures >= this.max || w.pending >= this.maxPending)
    if (exhausted.length > 0) {
      const until = Math.max(...exhausted.map((w) => (w.failures >= this.max ? w.startMs + this.windowMs : now + 1000)))
      const firstRefusal = exhausted.some((w) => !w.reported)
      for (const w of exhausted) w.reported = true
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)), firstRefusal }
    }
    for (const w of windows) w.pending++
    let settled = false
    return {
      allowed: true,
      settle: (succeeded: boolean) => {
        if (settled) return
        settled = true
        for (const w of windows) {
          if (w.pending > 0) w.pending--
          if (!succeeded) w.failures++
        }
      }
    }
  }
}
