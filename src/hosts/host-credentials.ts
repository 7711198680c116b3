// Creating and checking a host's agent credentials (X-API-ID / X-API-KEY).
// The key is bcrypt at rest. After the first successful bcrypt check the host row also keeps a
// keyed digest of the key (security/key-digest.ts) bound to the bcrypt hash, and later checks
// compare that instead: a fleet pays bcrypt once per host, not once per request, and a restart
// costs nothing. Rotating the key changes the bcrypt hash, so an old digest can never match; it
// is cleared as well. A wrong key always goes to bcrypt (the caller's failed-credential budget).
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { hashSecret, verifySecret } from '../security/secret-hashing.js'
import { newHostApiId, newHostApiKey } from '../security/random-tokens.js'
import type { KeyDigester } from '../security/key-digest.js'

export interface NewHostCredentials {
  apiId: string
  apiKey: string
  apiKeyHash: string
}

export async function newHostCredentials(): Promise<NewHostCredentials> {
  const apiKey = newHostApiKey()
  return { apiId: newHostApiId(), apiKey, apiKeyHash: await hashSecret(apiKey) }
}

export interface StoredHostKey {
  id: string
  api_key_hash: string
  api_key_digest: string | null
}

/** The stored key material of the host with this API id (one indexed read). */
export async function storedHostKey(db: Kysely<DB>, apiId: string): Promise<StoredHostKey | undefined> {
  return db.selectFrom('hosts').select(['id', 'api_key_hash', 'api_key_digest']).where('api_id', '=', apiId).executeTakeFirst()
}

/** The digest stored for a key: bound to the API id and the bcrypt hash, so rotation voids it. */
export const hostKeyDigest = (digester: KeyDigester, apiId: string, apiKeyHash: string, apiKey: string): string =>
  digester.digest(apiId, apiKeyHash, apiKey)

/** The fast path: the host id when the stored digest matches this key, else undefined (go to bcrypt). */
export function hostByKeyDigest(digester: KeyDigester, apiId: string, row: StoredHostKey | undefined, apiKey: string): string | undefined {
  return row && digester.matches(row.api_key_digest, apiId, row.api_key_hash, apiKey) ? row.id : undefined
}

/**
 * The slow path: bcrypt (equal time for unknown ids and wrong keys). On success the digest is
 * stored, guarded by the hash it was bound to, so a rotation racing this check wins.
 */
export async function verifyHostKeyWithBcrypt(
  db: Kysely<DB>,
  digester: KeyDigester,
  apiId: string,
  row: StoredHostKey | undefined,
  apiKey: string
): Promise<string | undefined> {
  const ok = await verifySecret(apiKey, row?.api_key_hash ?? null, 'machine')
  if (!row || !ok) return undefined
  await db
    .updateTable('hosts')
    .set({ api_key_digest: hostKeyDigest(digester, apiId, row.api_key_hash, apiKey) })
    .where('id', '=', row.id)
    .where('api_key_hash', '=', row.api_key_hash)
    .execute()
  return row.id
}
