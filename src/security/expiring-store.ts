// A bounded in-memory map whose entries expire: short-lived, single-use server state such as
// OAuth `state` values and TFA login tickets. One process holds them, so a restart only makes
// a user start that step again. The clock is a public field so tests can move time.

export class ExpiringStore<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>()
  now: () => number = Date.now

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000
  ) {}

  put(key: string, value: T): void {
    if (this.entries.size >= this.maxEntries) this.pruneExpired()
    // Still full of live entries: drop the oldest first: Map iteration order is insertion order.
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next()
      if (oldest.done) break
      this.entries.delete(oldest.value)
    }
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs })
  }

  /** The live value without consuming it. */
  peek(key: string): T | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key)
      return undefined
    }
    return entry.value
  }

  /** Returns the live value and removes it: a second take of the same key finds nothing. */
  take(key: string): T | undefined {
    const value = this.peek(key)
    this.entries.delete(key)
    return value
  }

  delete(key: string): void {
    this.entries.delete(key)
  }

  get size(): number {
    return this.entries.size
  }

  private pruneExpired(): void {
    const now = this.now()
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key)
  }
}
