// Two keyed digests on the host row, so steady agent traffic skips the expensive work:
//  - api_key_digest: HMAC-SHA-256 (server key) of the host's API key, bound to its bcrypt hash.
//    Filled after the first successful bcrypt check; later requests compare digests instead of
//    paying bcrypt. bcrypt stays the at-rest format (an imported host carries bcrypt only).
//  - package_set_digest: SHA-256 of the canonicalised package set (and repositories) of the last
//    report, so an unchanged report is recognised before any package row is read.
// Both are NULL until first use and mean "unknown": NULL always takes the full path.
import type { Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- schema builders do not need table types
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('hosts').addColumn('api_key_digest', 'text').execute()
  await db.schema.alterTable('hosts').addColumn('package_set_digest', 'text').execute()
}
