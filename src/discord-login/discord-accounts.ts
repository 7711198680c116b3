// Which PatchMon user a Discord identity signs in as (spec: "First-login behaviour"), by the
// account-linking rules every sign-in provider shares (src/users/account-linking.ts): already linked
// → that user; verified e-mail matching a user → link it (Discord always links by verified e-mail);
// otherwise create an account when self-registration is on, else "User not found".
import type { FastifyInstance } from 'fastify'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import type { UserRow } from '../store/database-types.js'
import {
  bindDiscordIdentity,
  findUserByDiscordId,
  insertDiscordUser,
  refreshDiscordProfile,
  type DiscordIdentity
} from '../users/discord-identity-queries.js'
import {
  emailForNewAccount,
  isUniqueViolation,
  resolveSignIn,
  usernameBase,
  type IdentityStore,
  type LinkRefusal
} from '../users/account-linking.js'
import { findUserById } from '../users/user-queries.js'
import { roleExists } from '../users/role-queries.js'
import { avatarUrl, type DiscordProfile } from './discord-api.js'

/** The `error` query values of /login?error=..., as the login page shows them. */
const REFUSED = ERROR_MESSAGES.discordLoginRedirect

const REFUSAL_MESSAGES: Record<LinkRefusal, string> = {
  disabled: REFUSED.disabled.message,
  bound_elsewhere: REFUSED.boundElsewhere.message,
  not_found: REFUSED.userNotFound.message
}

export type LoginResolution = { user: UserRow } | { error: string }

function identityOf(profile: DiscordProfile): DiscordIdentity {
  return { id: profile.id, username: profile.username, avatar: avatarUrl(profile) }
}

async function discordStore(app: FastifyInstance, profile: DiscordProfile): Promise<IdentityStore> {
  const db = app.store.db
  // Only a verified address is trusted as the account's e-mail: a later verified-email
  // auto-link must never land on an account whose address nobody proved.
  const email =
    (await emailForNewAccount(db, { email: profile.email, emailVerified: profile.verified })) ?? `discord_${profile.id}@discord.local`
  const wanted = await app.settings.get('default_user_role')
  const role = (await roleExists(db, wanted)) ? wanted : 'user'
  return {
    findLinked: () => findUserByDiscordId(db, profile.id),
    linkedElsewhere: (user) => user.discord_id !== null,
    bind: (userId) => bindDiscordIdentity(db, userId, identityOf(profile)),
    create: (username) => insertDiscordUser(db, { username, email, passwordHash: null, role }, identityOf(profile))
  }
}

export async function resolveLoginUser(app: FastifyInstance, profile: DiscordProfile): Promise<LoginResolution> {
  const resolved = await resolveSignIn(app.store.db, await discordStore(app, profile), {
    email: profile.email,
    emailVerified: profile.verified,
    linkByVerifiedEmail: true,
    mayCreate: await app.settings.get('signup_enabled'),
    preferredUsername: usernameBase(profile.username, 'discord'),
    fallbackUsername: `discord_${profile.id}`
  })
  if ('refused' in resolved) return { error: REFUSAL_MESSAGES[resolved.refused] }
  if (resolved.how === 'linked') await refreshDiscordProfile(app.store.db, resolved.user.id, identityOf(profile))
  if (resolved.how === 'email') app.log.info({ userId: resolved.user.id }, 'Discord identity linked by verified e-mail')
  if (resolved.how === 'created') {
    app.log.info({ userId: resolved.user.id, username: resolved.user.username }, 'user created through Discord sign-in')
  }
  return { user: resolved.user }
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
