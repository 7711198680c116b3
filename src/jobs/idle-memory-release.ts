// Hands memory back to the system once the server goes quiet. Start-up and bursts of reports grow
// V8's young generation (to tens of MB) and leave garbage that V8 keeps until more allocation
// forces a collection, so an idle appliance would sit at its peak footprint indefinitely. After
// IDLE_AFTER_MS without a request, and only if the heap grew by GROWTH_BYTES since the last
// release, one memory-reducing collection runs (tens of ms, never while requests are flowing),
// SQLite frees its unused page cache, glibc hands the freed pages of its arenas back to the
// system (malloc_trim: after 1,000 host reports that alone is ~25 MB of RSS), and the executable's
// own code and read-only data pages leave the resident set (they stay in the page cache; ~50 MB).
// Light traffic (a health check every few seconds) triggers it only each time its garbage has
// grown the heap by GROWTH_BYTES, not on every quiet moment.
import { getHeapStatistics, setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { dropExecutablePages, mallocTrim } from '../native/malloc-trim.js'

export const IDLE_MEMORY_TIMER = 'idle-memory-release'
const CHECK_EVERY_MS = 1_000
export const IDLE_AFTER_MS = 5_000
export const GROWTH_BYTES = 4 * 1024 * 1024

type GcFunction = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void

/**
 * V8's gc() without starting Node with --expose-gc: the flag is turned on just long enough to
 * create a context that has it. The `last-resort` flavour is V8's low-memory collection: it
 * shrinks the young generation and compacts, which a plain major collection does not.
 */
function memoryReducingGc(): GcFunction {
  setFlagsFromString('--expose-gc')
  try {
    return runInNewContext('gc') as GcFunction
  } finally {
    setFlagsFromString('--no-expose-gc')
  }
}

const heapBytes = () => getHeapStatistics().total_physical_size

export interface ReleaseResult {
  heapBeforeBytes: number
  heapAfterBytes: number
  /** Whether glibc handed memory back; undefined where the malloc_trim addon is not built. */
  mallocTrimmed: boolean | undefined
  ms: number
}

/** When to release: after a quiet period, if the heap grew since the last release. */
export class IdleMemoryRelease {
  private lastActivity: number
  private baseline = 0 // heap size after the last release; 0 so that start-up counts as growth

  constructor(
    private readonly release: () => boolean | undefined,
    private readonly now: () => number = Date.now,
    private readonly measure: () => number = heapBytes
  ) {
    this.lastActivity = now()
  }

  noteActivity(): void {
    this.lastActivity = this.now()
  }

  /** Releases if the server has been idle long enough and the heap has grown; otherwise nothing. */
  maybeRelease(): ReleaseResult | undefined {
    if (this.now() - this.lastActivity < IDLE_AFTER_MS) return undefined
    const heapBeforeBytes = this.measure()
    if (heapBeforeBytes - this.baseline < GROWTH_BYTES) return undefined
    return this.releaseNow(heapBeforeBytes)
  }

  releaseNow(heapBeforeBytes = this.measure()): ReleaseResult {
    const started = performance.now()
    const mallocTrimmed = this.release()
    const heapAfterBytes = this.measure()
    this.baseline = heapAfterBytes
    return { heapBeforeBytes, heapAfterBytes, mallocTrimmed, ms: performance.now() - started }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    idleMemory: IdleMemoryRelease
  }
}

async function idleMemoryPlugin(app: FastifyInstance): Promise<void> {
  let gc: GcFunction | undefined
  const idle = new IdleMemoryRelease(() => {
    gc ??= memoryReducingGc()
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' })
    app.store.sqlite.pragma('shrink_memory')
    return mallocTrim()
  })
  app.decorate('idleMemory', idle)
  app.addHook('onResponse', (_request, _reply, done) => {
    idle.noteActivity()
    done()
  })
  app.timers.add({
    name: IDLE_MEMORY_TIMER,
    everyMs: CHECK_EVERY_MS,
    run: () => {
      const released = idle.maybeRelease()
      if (released) {
        // Last: the collection and the trim above touched pages of the executable's code too.
        const droppedBytes = dropExecutablePages()
        const mb = (bytes: number) => Math.round(bytes / 1048576)
        app.log.debug(
          {
            heapBeforeMb: mb(released.heapBeforeBytes),
            heapAfterMb: mb(released.heapAfterBytes),
            mallocTrimmed: released.mallocTrimmed,
            executablePagesDroppedMb: droppedBytes === undefined ? undefined : mb(droppedBytes),
            ms: Math.round(released.ms)
          },
          'released memory after an idle period'
        )
      }
    }
  })
}

export default fp(idleMemoryPlugin, { name: 'idle-memory-release', dependencies: ['app-context'] })
