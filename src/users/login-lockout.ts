// Failed-login lockout: after N failures for one username from one address, refuse further
// attempts for a while. Kept in memory (one process); a restart forgets lockouts, which only
// ever favours a legitimate user.
export interface LockoutState {
  locked: boolean
  retryAfterSeconds: number
}

interface Attempts {
  failures: number
  lockedUntil: number
  lastFailure: number
}

export class LoginLockout {
  private readonly attempts = new Map<string, Attempts>()

  constructor(
    private readonly maxFailures: number,
    private readonly lockoutMs: number,
    private readonly now: () => number = Date.now
  ) {}

  private key(username: string, ip: string): string {
    return `${username.trim().toLowerCase()}\0${ip}`
  }

  check(username: string, ip: string): LockoutState {
    const entry = this.attempts.get(this.key(username, ip))
    const now = this.now()
    if (entry && entry.lockedUntil > now) return { locked: true, retryAfterSeconds: Math.ceil((entry.lockedUntil - now) / 1000) }
    return { locked: false, retryAfterSeconds: 0 }
  }

  /** Records a failure; returns the lock end when this failure triggered a lockout. */
  recordFailure(username: string, ip: string): { lockedUntil: Date; failures: number } | undefined {
    const key = this.key(username, ip)
    const now = this.now()
    const entry = this.attempts.get(key)
    // Failures older than one lockout window no longer count.
    const fresh = entry && now - entry.lastFailure < this.lockoutMs && entry.lockedUntil <= now ? entry.failures : 0
    const failures = fresh + 1
    const lockedUntil = failures >= this.maxFailures ? now + this.lockoutMs : 0
    this.attempts.set(key, { failures: lockedUntil ? 0 : failures, lockedUntil, lastFailure: now })
    if (this.attempts.size > 100_000) this.prune()
    return lockedUntil ? { lockedUntil: new Date(lockedUntil), failures } : undefined
  }

  recordSuccess(username: string, ip: string): void {
    this.attempts.delete(this.key(username, ip))
  }

  prune(): void {
    const now = this.now()
    for (const [key, entry] of this.attempts) {
      if (entry.lockedUntil <= now && now - entry.lastFailure > this.lockoutMs) this.attempts.delete(key)
    }
  }
}
