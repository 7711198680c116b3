// Pending Discord authorisations, keyed by their random `state` (10 minutes, single use).
import { ExpiringStore } from '../security/expiring-store.js'

export const STATE_TTL_MS = 10 * 60_000

export interface OAuthState {
  codeVerifier: string
  mode: 'login' | 'link'
  /** The signed-in user a "link" flow belongs to. */
  userId?: string
  /** Sent again with the token exchange: Discord requires the identical value. */
  redirectUri: string
}

export function newOAuthStateStore(): ExpiringStore<OAuthState> {
  return new ExpiringStore<OAuthState>(STATE_TTL_MS, 10_000)
}
