// Remembers credentials that passed a bcrypt check, so steady traffic (agents, API clients,
// dashboards polling) does not pay ~60 ms of bcrypt per request while secrets stay bcrypt at rest.
//  - Entries are keyed by HMAC-SHA256(process-random key, id + secret): the cache never holds a
//    secret, and a memory dump does not reveal one.
//  - Only successes are cached; a wrong secret always goes to bcrypt, so the cache gives a guesser
//    nothing.
//  - Entries expire after a short TTL and are dropped when their owner (a host or a token) is
//    changed, disabled or deleted (forgetOwner).
import { createHmac, randomBytes } from 'node:crypto'

interface Entry {
  ownerId: string
  expiresAt: number
}

export class VerifiedCredentialsCache {
  private readonly hmacKey = randomBytes(32)
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly ttlMs = 5 * 60_000,
    private readonly maxEntries = 50_000,
    private readonly now: () => number = Date.now
  ) {}

  private keyOf(id: string, secret: string): string {
    return createHmac('sha256', this.hmacKey).update(id).update('\0').update(secret).digest('base64url')
  }

  /** The owner id when this exact id+secret was verified recently, else undefined. */
  lookup(id: string, secret: string): string | undefined {
    const key = this.keyOf(id, secret)
    const entry = this.entries.get(key)
    if (!entry) return undefined
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key)
      return undefined
    }
    return entry.ownerId
  }

  remember(id: string, secret: string, ownerId: string): void {
    if (this.entries.size >= this.maxEntries) {
      // Drop the oldest insertion (Map keeps insertion order): bounded memory under any load.
      const oldest = this.entries.keys().next()
      if (!oldest.done) this.entries.delete(oldest.value)
    }
    this.entries.set(this.keyOf(id, secret), { ownerId, expiresAt: this.now() + this.ttlMs })
  }

  forgetOwner(ownerId: string): void {
    for (const [key, entry] of this.entries) if (entry.ownerId === ownerId) this.entries.delete(key)
  }

  clear(): void {
    this.entries.clear()
  }

  get size(): number {
    return this.entries.size
  }
}
