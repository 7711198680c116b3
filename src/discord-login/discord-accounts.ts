// Which PatchMon user a Discord identity signs in as (spec: "First-login behaviour"):
// already linked → that user; verified e-mail matching a user → link it; otherwise create an
// account when self-registration is on, else "User not found". One PatchMon user per Discord id.
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { DB, UserRow } from '../store/database-types.js'
import { insertUser } from '../users/user-queries.js'
import { avatarUrl, type DiscordProfile } from './discord-api.js'

/** The `error` query values of /login?error=..., as the login page shows them. */
export const LOGIN_ERRORS = {
  userNotFound: 'User not found',
  disabled: 'Account disabled',
  failed: 'Authentication failed',
  invalidResponse: 'Invalid authentication response',
  sessionExpired: 'Session expired',
  notConfigured: 'Discord not configured',
  boundElsewhere: 'Unable to sign in with this account'
} as const

export type LoginResolution = { user: UserRow } | { error: (typeof LOGIN_ERRORS)[keyof typeof LOGIN_ERRORS] }

function discordColumns(profile: DiscordProfile) {
  return { discord_username: profile.username, discord_avatar: avatarUrl(profile) }
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && String((err as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT')
}

export function findByDiscordId(db: Kysely<DB>, discordId: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('discord_id', '=', discordId).executeTakeFirst()
}

function findByEmail(db: Kysely<DB>, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst()
}

/** Binds a Discord identity to a user row that has none (or already has this one). */
async function bindDiscord(db: Kysely<DB>, userId: string, profile: DiscordProfile): Promise<void> {
  const now = new Date().toISOString()
  await db
    .updateTable('users')
    .set({ discord_id: profile.id, ...discordColumns(profile), discord_linked_at: now, updated_at: now })
    .where('id', '=', userId)
    .execute()
}

/** `[A-Za-z0-9._-]`, at most 32 characters, "discord" when nothing is left. */
export function usernameBase(discordName: string): string {
  const base = discordName.replace(/[^A-Za-z0-9._-]/g, '').slice(0, 32)
  return base === '' ? 'discord' : base
}

/** The base name, or base1 … base999 when taken (compared case-insensitively). */
async function freeUsername(db: Kysely<DB>, base: string, discordId: string): Promise<string> {
  const taken = new Set(
    (
      await db
        .selectFrom('users')
        .select('username')
        .where((eb) => eb(eb.fn('substr', [eb.fn('lower', ['username']), eb.val(1), eb.val(base.length)]), '=', base.toLowerCase()))
        .execute()
    ).map((r) => r.username.toLowerCase())
  )
  if (!taken.has(base.toLowerCase())) return base
  for (let i = 1; i <= 999; i++) if (!taken.has(`${base}${i}`.toLowerCase())) return `${base}${i}`
  return `discord_${discordId}`
}

async function createDiscordUser(app: FastifyInstance, profile: DiscordProfile): Promise<UserRow> {
  const db = app.store.db
  // Only a verified address is trusted as the account's e-mail: a later verified-email
  // auto-link must never land on an account whose address nobody proved.
  const verifiedEmail = profile.email && profile.verified && !(await findByEmail(db, profile.email)) ? profile.email : null
  const email = verifiedEmail ?? `discord_${profile.id}@discord.local`
  const wanted = await app.settings.get('default_user_role')
  const roleExists = await db.selectFrom('roles').select('name').where('name', '=', wanted).executeTakeFirst()
  const role = roleExists ? wanted : 'user'
  // A concurrent sign-up may take the same name between the check and the insert: try again.
  for (let attempt = 0; ; attempt++) {
    const username = await freeUsername(db, usernameBase(profile.username), profile.id)
    try {
      return await db.transaction().execute(async (trx) => {
        const row = await insertUser(trx, { username, email, passwordHash: null, role })
        await bindDiscord(trx, row.id, profile)
        return await trx.selectFrom('users').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow()
      })
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= 2) throw err
    }
  }
}

export async function resolveLoginUser(app: FastifyInstance, profile: DiscordProfile): Promise<LoginResolution> {
  const db = app.store.db
  const linked = await findByDiscordId(db, profile.id)
  if (linked) {
    if (linked.is_active !== 1) return { error: LOGIN_ERRORS.disabled }
    await db.updateTable('users').set(discordColumns(profile)).where('id', '=', linked.id).execute()
    return { user: linked }
  }
  if (profile.email && profile.verified) {
    const byEmail = await findByEmail(db, profile.email)
    if (byEmail) {
      // Bound to another Discord identity: never taken over.
      if (byEmail.discord_id !== null) return { error: LOGIN_ERRORS.boundElsewhere }
      if (byEmail.is_active !== 1) return { error: LOGIN_ERRORS.disabled }
      await bindDiscord(db, byEmail.id, profile)
      app.log.info({ userId: byEmail.id }, 'Discord identity linked by verified e-mail')
      return { user: byEmail }
    }
  }
  if (!(await app.settings.get('signup_enabled'))) return { error: LOGIN_ERRORS.userNotFound }
  const created = await createDiscordUser(app, profile)
  app.log.info({ userId: created.id, username: created.username }, 'user created through Discord sign-in')
  return { user: created }
}

export type LinkResult = 'linked' | 'already_linked' | 'user_gone'

/** Links the Discord identity to a signed-in user ("Link Discord" on the profile). */
export async function linkToUser(app: FastifyInstance, userId: string, profile: DiscordProfile): Promise<LinkResult> {
  const db = app.store.db
  const holder = await findByDiscordId(db, profile.id)
  if (holder && holder.id !== userId) return 'already_linked'
  const user = await db.selectFrom('users').select(['id', 'is_active']).where('id', '=', userId).executeTakeFirst()
  if (!user || user.is_active !== 1) return 'user_gone'
  try {
    await bindDiscord(db, userId, profile)
  } catch (err) {
    if (isUniqueViolation(err)) return 'already_linked'
    throw err
  }
  return 'linked'
}
