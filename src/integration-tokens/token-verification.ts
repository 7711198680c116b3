// The credential check other features call (Integration API, gethomepage, auto-enrollment).
// Each caller runs the steps in its own documented order, so this module offers the steps, not
// one verdict: find by key, expiry, type, secret (bcrypt, with the verified-credentials cache),
// IP allow-list, and recording use. Only the bcrypt result is ever cached: expiry, is_active,
// type and IP are read from the row on every request.
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { verifySecret } from '../security/secret-hashing.js'
import { ipAllowed } from '../security/ip-allow-list.js'
import type { VerifiedCredentialsCache } from '../security/verified-credentials-cache.js'
import { parseJsonObject, parseStringArray } from './token-queries.js'
import { integrationTypeOf, type IntegrationType, type Scopes } from './token-rules.js'

export interface IntegrationCredential {
  id: string
  tokenName: string
  tokenKey: string
  secretHash: string
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

/**
 * True when `secret` is this credential's secret. A recent success for the same key+secret is
 * answered from the cache; failures always pay bcrypt and are never cached.
 */
export async function credentialSecretMatches(
  cache: VerifiedCredentialsCache,
  credential: Pick<IntegrationCredential, 'id' | 'tokenKey' | 'secretHash'>,
  secret: string
): Promise<boolean> {
  if (cache.lookup(credential.tokenKey, secret) === credential.id) return true
  if (!(await verifySecret(secret, credential.secretHash, 'machine'))) return false
  cache.remember(credential.tokenKey, secret, credential.id)
  return true
}

export function credentialAllowsIp(credential: Pick<IntegrationCredential, 'allowedIpRanges'>, clientIp: string): boolean {
  return ipAllowed(clientIp, credential.allowedIpRanges)
}

export async function recordCredentialUse(db: Kysely<DB>, id: string, at = new Date()): Promise<void> {
  await db.updateTable('auto_enrollment_tokens').set({ last_used_at: at.toISOString() }).where('id', '=', id).execute()
}
