// Which PatchMon user a Discord identity signs in as (spec: "First-login behaviour"):
// already linked → that user; verified e-mail matching a user → link it; otherwise create an
// account when self-registration is on, else "User not found". One PatchMon user per Discord id.
import type { FastifyInstance } from 'fastify'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import type { Kysely } from 'kysely'
import type { DB, UserRow } from '../store/database-types.js'
import {
  bindDiscordIdentity,
  findUserByDiscordId,
  findUserByEmail,
  insertDiscordUser,
  refreshDiscordProfile,
  usernamesStartingWith,
  type DiscordIdentity
} from '../users/discord-identity-queries.js'
import { findUserById } from '../users/user-queries.js'
import { roleExists } from '../users/role-queries.js'
import { avatarUrl, type DiscordProfile } from './discord-api.js'

/** The `error` query values of /login?error=..., as the login page shows them. */
const REFUSED = ERROR_MESSAGES.discordLoginRedirect

export type LoginResolution = { user: UserRow } | { error: string }

function identityOf(profile: DiscordProfile): DiscordIdentity {
  return { id: profile.id, username: profile.username, avatar: avatarUrl(profile) }
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && String((err as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT')
}

/** `[A-Za-z0-9._-]`, at most 32 characters, "discord" when nothing is left. */
export function usernameBase(discordName: string): string {
  const base = discordName.replace(/[^A-Za-z0-9._-]/g, '').slice(0, 32)
  return base === '' ? 'discord' : base
}

/** The base name, or base1 … base999 when taken (compared case-insensitively). */
async function freeUsername(db: Kysely<DB>, base: string, discordId: string): Promise<string> {
  const taken = await usernamesStartingWith(db, base)
  if (!taken.has(base.toLowerCase())) return base
  for (let i = 1; i <= 999; i++) if (!taken.has(`${base}${i}`.toLowerCase())) return `${base}${i}`
  return `discord_${discordId}`
}

async function createDiscordUser(app: FastifyInstance, profile: DiscordProfile): Promise<UserRow> {
  const db = app.store.db
  // Only a verified address is trusted as the account's e-mail: a later verified-email
  // auto-link must never land on an account whose address nobody proved.
  const verifiedEmail = profile.email && profile.verified && !(await findUserByEmail(db, profile.email)) ? profile.email : null
  const email = verifiedEmail ?? `discord_${profile.id}@discord.local`
  const wanted = await app.settings.get('default_user_role')
  const role = (await roleExists(db, wanted)) ? wanted : 'user'
  // A concurrent sign-up may take the same name between the check and the insert: try again.
  for (let attempt = 0; ; attempt++) {
    const username = await freeUsername(db, usernameBase(profile.username), profile.id)
    try {
      return await insertDiscordUser(db, { username, email, passwordHash: null, role }, identityOf(profile))
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= 2) throw err
    }
  }
}

export async function resolveLoginUser(app: FastifyInstance, profile: DiscordProfile): Promise<LoginResolution> {
  const db = app.store.db
  const linked = await findUserByDiscordId(db, profile.id)
  if (linked) {
    if (linked.is_active !== 1) return { error: REFUSED.disabled.message }
    await refreshDiscordProfile(db, linked.id, identityOf(profile))
    return { user: linked }
  }
  if (profile.email && profile.verified) {
    const byEmail = await findUserByEmail(db, profile.email)
    if (byEmail) {
      // Bound to another Discord identity: never taken over.
      if (byEmail.discord_id !== null) return { error: REFUSED.boundElsewhere.message }
      if (byEmail.is_active !== 1) return { error: REFUSED.disabled.message }
      await bindDiscordIdentity(db, byEmail.id, identityOf(profile))
      app.log.info({ userId: byEmail.id }, 'Discord identity linked by verified e-mail')
      return { user: byEmail }
    }
  }
  if (!(await app.settings.get('signup_enabled'))) return { error: REFUSED.userNotFound.message }
  const created = await createDiscordUser(app, profile)
  app.log.info({ userId: created.id, username: created.username }, 'user created through Discord sign-in')
  return { user: created }
}

export type LinkResult = 'linked' | 'already_linked' | 'user_gone'

/** Links the Discord identity to a signed-in user ("Link Discord" on the profile). */
export async function linkToUser(app: FastifyInstance, userId: string, profile: DiscordProfile): Promise<LinkResult> {
  const db = app.store.db
  const holder = await findUserByDiscordId(db, profile.id)
  if (holder && holder.id !== userId) return 'already_linked'
  const user = await findUserById(db, userId)
  if (!user || user.is_active !== 1) return 'user_gone'
  try {
    await bindDiscordIdentity(db, userId, identityOf(profile))
  } catch (err) {
    if (isUniqueViolation(err)) return 'already_linked'
    throw err
  }
  return 'linked'
}
