// Failed-attempt lockout: after N failures for one subject (an account, from one address), refuse
// further attempts for a while. An attempt is counted BEFORE its slow compare (admit) and forgiven
// when it succeeds, so concurrent guesses cannot all pass the check before any failure is
// recorded: at most N are ever judged. Kept in memory (one process); a restart forgets lockouts,
// which only ever favours a legitimate user.
import { errorOf, type ApiError } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'

export type Admission =
  | { admitted: false; retryAfterSeconds: number }
  /** `lockedUntil` is set when this attempt used the last try: if it fails, the lock is news. */
  | { admitted: true; failures: number; lockedUntil: Date | undefined }

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

  private key(subject: string, ip: string): string {
    return `${subject.trim().toLowerCase()}\0${ip}`
  }

  /** Counts one attempt for `subject` from `ip`, or refuses it while locked. */
  admit(subject: string, ip: string): Admission {
    const key = this.key(subject, ip)
    const now = this.now()
    const entry = this.attempts.get(key)
    if (entry && entry.lockedUntil > now) return { admitted: false, retryAfterSeconds: Math.ceil((entry.lockedUntil - now) / 1000) }
    // Attempts older than one lockout window no longer count.
    const fresh = entry && now - entry.lastFailure < this.lockoutMs && entry.lockedUntil === 0 ? entry.failures : 0
    const failures = fresh + 1
    const lockedUntil = failures >= this.maxFailures ? now + this.lockoutMs : 0
    this.attempts.set(key, { failures: lockedUntil ? 0 : failures, lockedUntil, lastFailure: now })
    if (this.attempts.size > 100_000) this.prune()
    return { admitted: true, failures, lockedUntil: lockedUntil ? new Date(lockedUntil) : undefined }
  }

  /** The attempt was right: forget the subject's failures (and a lock this attempt set). */
  succeed(subject: string, ip: string): void {
    this.attempts.delete(this.key(subject, ip))
  }

  prune(): void {
    const now = this.now()
    for (const [key, entry] of this.attempts) {
      if (entry.lockedUntil <= now && now - entry.lastFailure > this.lockoutMs) this.attempts.delete(key)
    }
  }
}

/** The documented 429 of a locked login (facts C3), with Retry-After. */
export function loginLockedError(retryAfterSeconds: number): ApiError {
  return errorOf(ERROR_MESSAGES.auth.loginLocked, { remaining_seconds: retryAfterSeconds }, { 'retry-after': String(retryAfterSeconds) })
}

/** The lockout subject of an account: the same counter whatever name or e-mail was typed. */
export const accountSubject = (userId: string): string => `user:${userId}`
