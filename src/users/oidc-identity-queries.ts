// The OpenID Connect columns of `users`, for the oidc feature: it decides who signs in as whom and
// which role the provider's groups give; this module is the only code that reads or writes them.
import type { Kysely } from 'kysely'
import type { DB, UserRow } from '../store/database-types.js'
import { insertUser, type NewUserInput } from './user-queries.js'

export interface OidcIdentity {
  /** The issuer URL: a subject is only unique within its issuer. */
  provider: string
  sub: string
}

export function findUserByOidcIdentity(db: Kysely<DB>, identity: OidcIdentity): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('oidc_provider', '=', identity.provider)
    .where('oidc_sub', '=', identity.sub)
    .executeTakeFirst()
}

/** Binds the identity to a user row; a unique violation means another user holds it. */
export async function bindOidcIdentity(db: Kysely<DB>, userId: string, identity: OidcIdentity): Promise<void> {
  await db
    .updateTable('users')
    .set({ oidc_provider: identity.provider, oidc_sub: identity.sub, updated_at: new Date().toISOString() })
    .where('id', '=', userId)
    .execute()
}

/** A new passwordless account bound to its provider identity, in one transaction. */
export function insertOidcUser(db: Kysely<DB>, input: NewUserInput, identity: OidcIdentity): Promise<UserRow> {
  return db.transaction().execute(async (trx) => {
    const row = await insertUser(trx, input)
    await bindOidcIdentity(trx, row.id, identity)
    return await trx.selectFrom('users').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow()
  })
}

/** The role the provider's groups give, set at each sign-in (not an account edit by a person). */
export async function setRoleFromProvider(db: Kysely<DB>, userId: string, role: string): Promise<void> {
  await db.updateTable('users').set({ role, updated_at: new Date().toISOString() }).where('id', '=', userId).execute()
}
