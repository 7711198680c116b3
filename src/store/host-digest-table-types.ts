// The host row's keyed digests (migration 0015): joined into HostsTable and its column list.

export interface HostDigestColumns {
  /** HMAC of the API key bound to api_key_hash; NULL until the first successful bcrypt check. */
  api_key_digest: string | null
  /** Digest of the last report's package set and repositories; NULL = unknown, rebuild. */
  package_set_digest: string | null
}

export const HOST_DIGEST_COLUMNS = { api_key_digest: 'nullable', package_set_digest: 'nullable' } as const
