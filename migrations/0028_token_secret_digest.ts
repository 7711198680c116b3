// Integration and enrollment credentials get the keyed digest hosts got in 0015 (issue 22 part 5).
// After the first successful bcrypt check of a token secret the row keeps a keyed digest of the
// secret, bound to the token key and its bcrypt hash (security/key-digest.ts); later requests
// compare that instead of paying bcrypt, also after a restart. bcrypt stays the at-rest format.
// NULL means "not verified yet" and always takes the bcrypt path.
import type { Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations do not need table types
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('auto_enrollment_tokens').addColumn('token_secret_digest', 'text').execute()
}
