// Failed-credential budget: how many wrong secrets one client address (or one key id, from any
// address) may have judged per window. Every judgement of a machine credential costs a bcrypt
// compare (~30 ms of a CPU), so without a budget one address could keep the CPU busy with wrong
// keys and starve logins. A unit is spent BEFORE the slow compare (so concurrent guesses cannot
// all slip past the check) and given back when the credential turns out right: legitimate agents
// behind one NAT address never use up the budget.
interface Window {
  spent: number
  startMs: number
  /** Set once a refusal in this window was reported, so a flood logs one line, not thousands. */
  reported: boolean
}

export type BudgetDecision = { allowed: true; refund: () => void } | { allowed: false; retryAfterSeconds: number; firstRefusal: boolean }

const MAX_KEYS = 100_000

export class FailureBudget {
  private readonly windows = new Map<string, Window>()

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now
  ) {}

  private current(key: string, now: number): Window {
    let window = this.windows.get(key)
    if (!window || window.startMs + this.windowMs <= now) {
      window = { spent: 0, startMs: now, reported: false }
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

  /** Spends one unit on every key, or none when any key is used up. */
  take(keys: string[]): BudgetDecision {
    const now = this.now()
    const windows = keys.map((key) => this.current(key, now))
    const exhausted = windows.filter((w) => w.spent >= this.max)
    if (exhausted.length > 0) {
      const until = Math.max(...exhausted.map((w) => w.startMs + this.windowMs))
      const firstRefusal = exhausted.some((w) => !w.reported)
      for (const w of exhausted) w.reported = true
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)), firstRefusal }
    }
    for (const w of windows) w.spent++
    let refunded = false
    return {
      allowed: true,
      refund: () => {
        if (refunded) return
        refunded = true
        for (const w of windows) if (w.spent > 0) w.spent--
      }
    }
  }
}
