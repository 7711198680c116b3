// Single-use bootstrap tokens of the agent install script (facts: enrollment §9): the served
// script carries a random token instead of the host's credentials, and trades it once, within
// five minutes, for {apiId, apiKey}. Kept in memory: a restart only invalidates pending installs.
// The key is sealed with the secret box while it waits, so a heap dump does not show it.
import { newBootstrapToken } from '../security/random-tokens.js'
import type { SecretBox } from '../security/secret-box.js'

export const BOOTSTRAP_TTL_MS = 5 * 60_000

interface Pending {
  apiId: string
  sealedApiKey: string
  expiresAt: number
}

export class BootstrapTokenStore {
  private readonly pending = new Map<string, Pending>()

  constructor(
    private readonly box: SecretBox,
    private readonly now: () => number,
    private readonly maxPending = 10_000
  ) {}

  mint(apiId: string, apiKey: string): string {
    this.dropExpired()
    if (this.pending.size >= this.maxPending) {
      // Oldest first (Map keeps insertion order): memory stays bounded under any request rate.
      const oldest = this.pending.keys().next()
      if (!oldest.done) this.pending.delete(oldest.value)
    }
    const token = newBootstrapToken()
    this.pending.set(token, { apiId, sealedApiKey: this.box.seal(apiKey), expiresAt: this.now() + BOOTSTRAP_TTL_MS })
    return token
  }

  /** The credentials for a live token, which is consumed; undefined for unknown, used or expired. */
  exchange(token: string): { apiId: string; apiKey: string } | undefined {
    const entry = this.pending.get(token)
    if (!entry) return undefined
    this.pending.delete(token)
    if (entry.expiresAt <= this.now()) return undefined
    return { apiId: entry.apiId, apiKey: this.box.open(entry.sealedApiKey) }
  }

  private dropExpired(): void {
    const now = this.now()
    for (const [token, entry] of this.pending) if (entry.expiresAt <= now) this.pending.delete(token)
  }

  get size(): number {
    return this.pending.size
  }
}
