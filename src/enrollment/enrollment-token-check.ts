// Checks an enrollment token key + secret in the documented order (facts: enrollment §3 steps 2-5,
// then the type rule below). Shared by enroll, bulk enroll and the script download.
//
// Type rule (our decision, documented in the README): only `proxmox-lxc` and `direct-host` tokens
// may enroll hosts or download enrollment scripts. Upstream lets any token enroll, but an `api` or
// `gethomepage` token is meant to read data; letting it create hosts widens what a leaked
// read-only credential can do, and no documented client relies on it.
import type { FastifyInstance } from 'fastify'
import { errorOf } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { verifySecret } from '../security/secret-hashing.js'
import { credentialSecretMatches } from '../integration-tokens/token-verification.js'
import type { TokenRow } from '../store/database-types.js'
import { findTokenRowByKey } from '../integration-tokens/token-queries.js'

export const ENROLLING_TOKEN_TYPES = ['proxmox-lxc', 'direct-host'] as const

const E = ERROR_MESSAGES.enrollment

// Keys are 44 characters and secrets 64; anything far longer is not worth a bcrypt run.
const MAX_KEY_LENGTH = 128
const MAX_SECRET_LENGTH = 256

/** The token row when key and secret are valid, the token active, unexpired and allowed to enroll. */
export async function checkEnrollmentToken(app: FastifyInstance, key: string, secret: string, now: Date): Promise<TokenRow> {
  if (key.length > MAX_KEY_LENGTH || secret.length > MAX_SECRET_LENGTH) throw errorOf(E.invalidToken)
  const token = await findTokenRowByKey(app.store.db, key)
  if (!token) {
    // Burn one bcrypt compare so an unknown key takes as long as a wrong secret.
    await verifySecret(secret, null, 'machine')
    throw errorOf(E.invalidToken)
  }
  if (token.is_active !== 1) throw errorOf(E.invalidToken)
  const stored = { id: token.id, tokenKey: token.token_key, secretHash: token.token_secret_hash, secretDigest: token.token_secret_digest }
  if (!(await credentialSecretMatches(app.store.db, app.keyDigester, stored, secret))) throw errorOf(E.invalidSecret)
  if (token.expires_at !== null && Date.parse(token.expires_at) <= now.getTime()) throw errorOf(E.expired)
  if (!(ENROLLING_TOKEN_TYPES as readonly string[]).includes(token.integration_type)) {
    throw errorOf(E.wrongType)
  }
  return token
}

// An entry no address matches: an unreadable stored list must restrict, never open up.
const MATCHES_NOTHING = ['unreadable-allow-list']

/** The token's allow-list as stored (a JSON array of addresses / CIDR ranges). */
export function allowedRangesOf(token: TokenRow): string[] {
  try {
    const parsed: unknown = JSON.parse(token.allowed_ip_ranges)
    if (!Array.isArray(parsed)) return MATCHES_NOTHING
    return parsed.map((e) => (typeof e === 'string' ? e : (MATCHES_NOTHING[0] as string)))
  } catch {
    return MATCHES_NOTHING
  }
}
