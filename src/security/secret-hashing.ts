// bcrypt for passwords and token secrets (cost 10, as the spec says). Compares run on libuv's
// thread pool, off the event loop.
import bcrypt from 'bcrypt'
import { createHash, timingSafeEqual } from 'node:crypto'
import { LaneFullError, machineLane, runInteractive, type BcryptLane } from './bcrypt-lanes.js'

export const BCRYPT_COST = 10

export function hashSecret(secret: string): Promise<string> {
  return runInteractive(() => bcrypt.hash(secret, BCRYPT_COST))
}

// A real hash of a random value: comparing against it costs the same as a real compare, so a
// missing user or key takes as long as a wrong password. Made on first use, not at import: it
// costs a bcrypt round at start-up and loads the addon even for `patchmon --version`.
let dummyHash: string | undefined
function dummyHashValue(): string {
  dummyHash ??= bcrypt.hashSync(createHash('sha256').update(String(Math.random())).digest('hex'), BCRYPT_COST)
  return dummyHash
}

/**
 * Constant-time bcrypt check; never throws on a malformed hash. Pass null to burn equal time.
 * Machine credentials pass lane 'machine' (see bcrypt-lanes.ts); that lane rejects with
 * LaneFullError when its queue is full, which callers answer with 429.
 */
export async function verifySecret(secret: string, hash: string | null, lane: BcryptLane = 'interactive'): Promise<boolean> {
  const compare = async (): Promise<boolean> => {
    try {
      const ok = await bcrypt.compare(secret, hash === null ? dummyHashValue() : comparableHash(hash))
      return hash !== null && ok
    } catch {
      return false
    }
  }
  return lane === 'machine' ? machineLane.run(compare) : runInteractive(compare)
}

export { LaneFullError }

/**
 * `$2y$` (PHP's name, found in hashes imported from upstream PatchMon) is the same algorithm as
 * `$2b$`, but the bcrypt addon only reads `$2a$`/`$2b$`: compare it under the `$2b$` prefix.
 */
function comparableHash(hash: string): string {
  return hash.startsWith('$2y$') ? `$2b$${hash.slice(4)}` : hash
}

/** Equal-time string comparison for values that are not bcrypt hashes. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest()
  const hb = createHash('sha256').update(b).digest()
  return timingSafeEqual(ha, hb) && a.length === b.length
}
