// The Discord columns of `users`, for the discord-login feature: it decides who signs in as whom,
// this module is the only code that reads or writes those columns.
import type { Kysely } from 'kysely'
import type { DB, UserRow } from '../store/database-types.js'
import { insertUser, type NewUserInput } from './user-queries.js'

export interface DiscordIdentity {
  id: string
  username: string
  avatar: string | null
}

export function findUserByDiscordId(db: Kysely<DB>, discordId: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('discord_id', '=', discordId).executeTakeFirst()
}

/** E-mail addresses match case-insensitively. */
export function findUserByEmail(db: Kysely<DB>, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst()
}

/** Usernames (lower-cased) that begin with `base`, compared case-insensitively. */
export async function usernamesStartingWith(db: Kysely<DB>, base: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('users')
    .select('username')
    .where((eb) => eb(eb.fn('substr', [eb.fn('lower', ['username']), eb.val(1), eb.val(base.length)]), '=', base.toLowerCase()))
    .execute()
  return new Set(rows.map((r) => r.username.toLowerCase()))
}

/** Binds a Discord identity to a user row; a unique violation means another user holds it. */
export async function bindDiscordIdentity(db: Kysely<DB>, userId: string, identity: DiscordIdentity): Promise<void> {
  const now = new Date().toISOString()
  await db
    .updateTable('users')
    .set({
      discord_id: identity.id,
      discord_username: identity.username,
      discord_avatar: identity.avatar,
      discord_linked_at: now,
      updated_at: now
    })
    .where('id', '=', userId)
    .execute()
}

/** Keeps the shown Discord name and avatar current at each sign-in (not an account edit). */
export async function refreshDiscordProfile(db: Kysely<DB>, userId: string, identity: DiscordIdentity): Promise<void> {
  await db
    .updateTable('users')
    .set({ discord_username: identity.username, discord_avatar: identity.avatar })
    .where('id', '=', userId)
    .execute()
}

export async function clearDiscordIdentity(db: Kysely<DB>, userId: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ discord_id: null, discord_username: null, discord_avatar: null, discord_linked_at: null, updated_at: new Date().toISOString() })
    .where('id', '=', userId)
    .execute()
}

/** A new passwordless account bound to its Discord identity, in one transaction. */
export function insertDiscordUser(db: Kysely<DB>, input: NewUserInput, identity: DiscordIdentity): Promise<UserRow> {
  return db.transaction().execute(async (trx) => {
    const row = await insertUser(trx, input)
    await bindDiscordIdentity(trx, row.id, identity)
    return await trx.selectFrom('users').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow()
  })
}
