import type { Kysely } from 'kysely'
import type { DB, UserRow } from '../store/database-types.js'
import { newId } from '../security/random-tokens.js'

export async function findUserForLogin(db: Kysely<DB>, login: string): Promise<UserRow | undefined> {
  const value = login.trim()
  // Usernames are matched exactly; e-mail addresses case-insensitively.
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb.or([eb('username', '=', value), eb(eb.fn('lower', ['email']), '=', value.toLowerCase())]))
    .executeTakeFirst()
}

export function findUserById(db: Kysely<DB>, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function countUsers(db: Kysely<DB>): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

export interface NewUserInput {
  username: string
  email: string | null
  passwordHash: string | null
  role: string
  firstName?: string | null
  lastName?: string | null
}

export async function insertUser(db: Kysely<DB>, input: NewUserInput): Promise<UserRow> {
  const now = new Date().toISOString()
  const row = {
    id: newId(),
    username: input.username,
    email: input.email,
    password_hash: input.passwordHash,
    first_name: input.firstName ?? null,
    last_name: input.lastName ?? null,
    role: input.role,
    is_active: 1,
    last_login_at: null,
    password_changed_at: input.passwordHash ? now : null,
    tfa_enabled: 0,
    tfa_secret: null,
    tfa_backup_codes: null,
    discord_id: null,
    discord_username: null,
    discord_avatar: null,
    discord_linked_at: null,
    tfa_last_used_step: null,
    created_at: now,
    updated_at: now
  }
  await db.insertInto('users').values(row).execute()
  return row
}

/** The public view of a user: never a hash, secret or backup code. */
export function publicUser(row: UserRow, permissions?: readonly string[]) {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    first_name: row.first_name,
    last_name: row.last_name,
    role: row.role,
    is_active: row.is_active === 1,
    tfa_enabled: row.tfa_enabled === 1,
    has_password: row.password_hash !== null,
    discord_linked: row.discord_id !== null,
    discord_username: row.discord_username,
    discord_avatar: row.discord_avatar,
    last_login_at: row.last_login_at,
    created_at: row.created_at,
    ...(permissions ? { permissions: [...permissions] } : {})
  }
}
