// The rate-limit plugin gives every route its own counter store (`child()` per route). Our limits
// are per bucket (all login routes together, all gethomepage routes together), so this store
// hands the same map to every route; keys are `<bucket>:<ip>`, which keeps buckets apart.
// Bounded: the oldest key is dropped past MAX_KEYS, so a flood of addresses cannot grow memory.
interface Counter {
  current: number
  startMs: number
}

type Callback = (err: Error | null, res: { current: number; ttl: number }) => void

const MAX_KEYS = 100_000

export class BucketStore {
  private readonly counters = new Map<string, Counter>()

  incr(key: string, cb: Callback, timeWindow: number): void {
    const now = Date.now()
    let counter = this.counters.get(key)
    if (!counter || counter.startMs + timeWindow <= now) {
      counter = { current: 0, startMs: now }
      this.counters.delete(key)
      if (this.counters.size >= MAX_KEYS) {
        const oldest = this.counters.keys().next()
        if (!oldest.done) this.counters.delete(oldest.value)
      }
      this.counters.set(key, counter)
    }
    counter.current++
    cb(null, { current: counter.current, ttl: counter.startMs + timeWindow - now })
  }

  read(key: string, cb: Callback, timeWindow: number): void {
    const counter = this.counters.get(key)
    const now = Date.now()
    if (!counter || counter.startMs + timeWindow <= now) return cb(null, { current: 0, ttl: 0 })
    cb(null, { current: counter.current, ttl: counter.startMs + timeWindow - now })
  }

  child(): BucketStore {
    return this
  }
}
