// The credential check other features call (Integration API, gethomepage, auto-enrollment).
// Each caller runs the steps in its own documented order, so this module offers the steps, not
// one verdict: find by key, expiry, type, secret, IP allow-list, and recording use.
// Secrets are bcrypt at rest. After the first successful bcrypt check the row also keeps a keyed
// digest of the secret (security/key-digest.ts), bound to the key and the bcrypt hash, and later
// checks compare that instead: steady API traffic pays bcrypt once per credential, not once per
// request or per restart. Only the secret's verdict is remembered that way: expiry, is_active,
// type and IP are read from the row on every request. A wrong secret always goes to bcrypt.
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { verifySecret } from '../security/secret-hashing.js'
import { ipAllowed } from '../security/ip-allow-list.js'
import type { KeyDigester } from '../security/key-digest.js'
import { parseJsonObject, parseStringArray } from './token-queries.js'
import { integrationTypeOf, type IntegrationType, type Scopes } from './token-rules.js'

export interface IntegrationCredential {
  id: string
  tokenName: string
  tokenKey: string
  secretHash: string
  secretDigest: string | null
  isActive: boolean
  expiresAt: string | null
  /** From metadata.integration_type (proxmox-lxc when absent); undefined when unrecognised. */
  integrationType: IntegrationType | undefined
  allowedIpRanges: string[]
  /** Parsed scopes; `undefined` when the stored JSON is not an object (checked by the scope guard). */
  scopes: Scopes | null | undefined
  rawScopes: string | null
  maxHostsPerDay: number
  hostsCreatedToday: number
  lastResetDate: string | null
  defaultHostGroupId: string | null
  metadata: Record<string, unknown>
}

/** The credential with this key, or undefined. Keys are plain text and unique. */
export async function findCredentialByKey(db: Kysely<DB>, tokenKey: string): Promise<IntegrationCredential | undefined> {
  if (tokenKey.length === 0 || tokenKey.length > 128) return undefined
  const row = await db.selectFrom('auto_enrollment_tokens').selectAll().where('token_key', '=', tokenKey).executeTakeFirst()
  if (!row) return undefined
  const metadata = parseJsonObject(row.metadata) ?? {}
  const parsedScopes = parseJsonObject(row.scopes)
  return {
    id: row.id,
    tokenName: row.token_name,
    tokenKey: row.token_key,
    secretHash: row.token_secret_hash,
    secretDigest: row.token_secret_digest,
    isActive: row.is_active === 1,
    expiresAt: row.expires_at,
    integrationType: integrationTypeOf(metadata),
    allowedIpRanges: parseStringArray(row.allowed_ip_ranges),
    scopes: row.scopes === null ? null : ((parsedScopes as Scopes | null) ?? undefined),
    rawScopes: row.scopes,
    maxHostsPerDay: row.max_hosts_per_day,
    hostsCreatedToday: row.hosts_created_today,
    lastResetDate: row.last_reset_date,
    defaultHostGroupId: row.default_host_group_id,
    metadata
  }
}

export function credentialExpired(credential: Pick<IntegrationCredential, 'expiresAt'>, now = Date.now()): boolean {
  if (credential.expiresAt === null) return false
  const at = Date.parse(credential.expiresAt)
  return !Number.isNaN(at) && at <= now
}

/** The parts of a credential its secret is checked against. */
export type StoredSecret = Pick<IntegrationCredential, 'id' | 'tokenKey' | 'secretHash' | 'secretDigest'>

// Domain label, so a token digest can never equal a host-key digest made from the same strings.
const DIGEST_LABEL = 'integration-token'

/** True when the stored digest proves `secret` (no bcrypt); false means "go to bcrypt". */
export function secretKnownByDigest(digester: KeyDigester, credential: StoredSecret, secret: string): boolean {
  return digester.matches(credential.secretDigest, DIGEST_LABEL, credential.tokenKey, credential.secretHash, secret)
}

/**
 * True when `secret` is this credential's secret: by its stored digest, else by bcrypt, after
 * which the digest is stored (guarded by the hash it is bound to).
 */
export async function credentialSecretMatches(
  db: Kysely<DB>,
  digester: KeyDigester,
  credential: StoredSecret,
  secret: string
): Promise<boolean> {
  if (secretKnownByDigest(digester, credential, secret)) return true
  if (!(await verifySecret(secret, credential.secretHash, 'machine'))) return false
  await db
    .updateTable('auto_enrollment_tokens')
    .set({ token_secret_digest: digester.digest(DIGEST_LABEL, credential.tokenKey, credential.secretHash, secret) })
    .where('id', '=', credential.id)
    .where('token_secret_hash', '=', credential.secretHash)
    .execute()
  return true
}

/**
 * Whether this key + secret pair was verified before (its stored digest matches). Callers let
 * such a pair skip the failed-credential budget, so clients behind one NAT address keep working
 * while a neighbour guesses; every other check of the request still runs.
 */
export async function credentialVerifiedBefore(db: Kysely<DB>, digester: KeyDigester, tokenKey: string, secret: string): Promise<boolean> {
  if (tokenKey.length === 0 || tokenKey.length > 128 || secret.length > 256) return false
  const row = await db
    .selectFrom('auto_enrollment_tokens')
    .select(['id', 'token_key', 'token_secret_hash', 'token_secret_digest'])
    .where('token_key', '=', tokenKey)
    .executeTakeFirst()
  return (
    row !== undefined &&
    secretKnownByDigest(
      digester,
      { id: row.id, tokenKey: row.token_key, secretHash: row.token_secret_hash, secretDigest: row.token_secret_digest },
      secret
    )
  )
}

export function credentialAllowsIp(credential: Pick<IntegrationCredential, 'allowedIpRanges'>, clientIp: string): boolean {
  return ipAllowed(clientIp, credential.allowedIpRanges)
}

export async function recordCredentialUse(db: Kysely<DB>, id: string, at = new Date()): Promise<void> {
  await db.updateTable('auto_enrollment_tokens').set({ last_used_at: at.toISOString() }).where('id', '=', id).execute()
}
