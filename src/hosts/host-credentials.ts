// Creating and checking a host's agent credentials (X-API-ID / X-API-KEY).
// The key is bcrypt at rest; successful checks are cached (VerifiedCredentialsCache) so steady
// agent traffic does not pay bcrypt on every report.
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { hashSecret, verifySecret } from '../security/secret-hashing.js'
import { newHostApiId, newHostApiKey } from '../security/random-tokens.js'
import type { VerifiedCredentialsCache } from '../security/verified-credentials-cache.js'

export interface NewHostCredentials {
  apiId: string
  apiKey: string
  apiKeyHash: string
}

export async function newHostCredentials(): Promise<NewHostCredentials> {
  const apiKey = newHostApiKey()
  return { apiId: newHostApiId(), apiKey, apiKeyHash: await hashSecret(apiKey) }
}

/** The host id for valid credentials, else undefined. Equal time for unknown ids and wrong keys. */
export async function verifyHostCredentials(
  db: Kysely<DB>,
  cache: VerifiedCredentialsCache,
  apiId: string,
  apiKey: string
): Promise<string | undefined> {
  const cached = cache.lookup(apiId, apiKey)
  if (cached) return cached
  const row = await db.selectFrom('hosts').select(['id', 'api_key_hash']).where('api_id', '=', apiId).executeTakeFirst()
  const ok = await verifySecret(apiKey, row?.api_key_hash ?? null, 'machine')
  if (!row || !ok) return undefined
  cache.remember(apiId, apiKey, row.id)
  return row.id
}
