// Writes users and integration credentials through their owners (users/, integration-tokens/).
// Hashes are stored as upstream had them; the TOTP seed is sealed with our key.
import { findUserByDiscordId, bindDiscordIdentity, findUserByEmail } from '../users/discord-identity-queries.js'
import { findUserByUsername, insertUser, updateUser } from '../users/user-queries.js'
import { bindOidcIdentity, findUserByOidcIdentity } from '../users/oidc-identity-queries.js'
import { findTokenRowByKey, insertTokenRow } from '../integration-tokens/token-queries.js'
import type { UserRow } from '../store/database-types.js'
import type { ImportContext } from './import-context.js'
import { mapToken, mapUser, type MappedUser } from './map-accounts.js'
import type { UpstreamToken, UpstreamUser } from './read-accounts.js'

/**
 * Why an upstream user cannot be added, or the row it may take over: the administrator the
 * appliance made at its first start (server-generated password, never signed in) gives way to
 * upstream's user of the same name, since a package install starts the appliance once.
 */
async function clashOf(ctx: ImportContext, user: UpstreamUser): Promise<{ reason: string } | { takeOver: UserRow } | undefined> {
  const db = ctx.store.db
  const sameName = await findUserByUsername(db, user.username)
  const sameEmail = user.email ? await findUserByEmail(db, user.email) : undefined
  if (sameEmail && sameEmail.id !== sameName?.id) return { reason: 'a user with this e-mail is already here' }
  if (user.discord_id && (await findUserByDiscordId(db, user.discord_id))) return { reason: 'its Discord account is linked to a user here' }
  if (!sameName) return undefined
  if (sameName.must_change_password === 1 && sameName.last_login_at === null) return { takeOver: sameName }
  return { reason: 'a user with this name is already here' }
}

async function addUser(ctx: ImportContext, mapped: MappedUser, takeOver: UserRow | undefined): Promise<string> {
  if (!takeOver) {
    const row = await insertUser(ctx.store.db, {
      username: mapped.username,
      email: mapped.email,
      passwordHash: mapped.passwordHash,
      role: mapped.role,
      firstName: mapped.firstName,
      lastName: mapped.lastName
    })
    return row.id
  }
  await updateUser(ctx.store.db, takeOver.id, {
    email: mapped.email,
    password_hash: mapped.passwordHash,
    password_changed_at: new Date().toISOString(),
    must_change_password: 0,
    role: mapped.role,
    first_name: mapped.firstName,
    last_name: mapped.lastName
  })
  return takeOver.id
}

/** `oidcIssuer`: the issuer upstream's OIDC links belong to (see map-oidc.ts), when known. */
export async function writeUsers(ctx: ImportContext, users: UpstreamUser[], oidcIssuer?: string): Promise<void> {
  for (const user of users) {
    const clash = await clashOf(ctx, user)
    if (clash && 'reason' in clash) {
      ctx.summary.note(`user ${user.username}: ${clash.reason}; kept ours`)
      continue
    }
    const takeOver = clash?.takeOver
    if (takeOver)
      ctx.summary.note(`user ${user.username}: replaces the administrator this appliance made at its first start (never signed in)`)
    const mapped = mapUser(user, ctx.keys, oidcIssuer)
    if (mapped.oidc && (await findUserByOidcIdentity(ctx.store.db, mapped.oidc))) {
      ctx.summary.note(`user ${user.username}: its OIDC identity is linked to a user here; that link is kept`)
      delete mapped.oidc
    }
    for (const note of mapped.notes) ctx.summary.note(note)
    for (const line of mapped.tell) ctx.summary.tellUser(line)
    ctx.summary.count('users')
    if (mapped.tfaSecret) ctx.summary.count('users with two-factor authentication kept')
    if (mapped.discord) ctx.summary.count('Discord links')
    if (mapped.oidc) ctx.summary.count('OIDC links')
    if (ctx.dryRun) {
      ctx.userIds.set(user.id, user.id)
      continue
    }
    const id = await addUser(ctx, mapped, takeOver)
    ctx.userIds.set(user.id, id)
    await updateUser(ctx.store.db, id, {
      is_active: mapped.isActive ? 1 : 0,
      last_login_at: mapped.lastLoginAt,
      ...(mapped.tfaSecret
        ? { tfa_enabled: 1, tfa_secret: ctx.box.seal(mapped.tfaSecret), tfa_backup_codes: mapped.tfaBackupCodes ?? null }
        : {})
    })
    if (mapped.discord) {
      await bindDiscordIdentity(ctx.store.db, id, {
        id: mapped.discord.id,
        username: mapped.discord.username ?? '',
        avatar: mapped.discord.avatar
      })
    }
    if (mapped.oidc) await bindOidcIdentity(ctx.store.db, id, mapped.oidc)
  }
}

export async function writeTokens(ctx: ImportContext, tokens: UpstreamToken[]): Promise<void> {
  const now = new Date().toISOString()
  for (const token of tokens) {
    if (await findTokenRowByKey(ctx.store.db, token.token_key)) {
      ctx.summary.note(`credential "${token.token_name}" (${token.token_key}): already here; kept ours`)
      continue
    }
    const mapped = mapToken(token, now)
    if ('skipped' in mapped) {
      ctx.summary.note(mapped.skipped)
      continue
    }
    for (const note of mapped.notes) ctx.summary.note(note)
    const groupId = mapped.upstreamGroupId ? ctx.groupIds.get(mapped.upstreamGroupId) : undefined
    if (mapped.upstreamGroupId && !groupId)
      ctx.summary.note(`credential "${token.token_name}": its default host group no longer exists; enrolled hosts join no group`)
    ctx.summary.count(
      mapped.row.integration_type === 'api' || mapped.row.integration_type === 'gethomepage'
        ? 'integration credentials'
        : 'enrollment tokens'
    )
    if (ctx.dryRun) continue
    await insertTokenRow(ctx.store.db, {
      ...mapped.row,
      default_host_group_id: groupId ?? null,
      created_by_user_id: (mapped.upstreamCreatorId && ctx.userIds.get(mapped.upstreamCreatorId)) || null
    })
  }
}
