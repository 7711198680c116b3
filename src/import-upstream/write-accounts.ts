// Writes users and integration credentials through their owners (users/, integration-tokens/).
// Hashes are stored as upstream had them; the TOTP seed is sealed with our key.
import { findUserByDiscordId, bindDiscordIdentity, findUserByEmail } from '../users/discord-identity-queries.js'
import { findUserByUsername, insertUser, updateUser } from '../users/user-queries.js'
import { findTokenRowByKey, insertTokenRow } from '../integration-tokens/token-queries.js'
import type { ImportContext } from './import-context.js'
import { mapToken, mapUser } from './map-accounts.js'
import type { UpstreamToken, UpstreamUser } from './read-accounts.js'

async function clashOf(ctx: ImportContext, user: UpstreamUser): Promise<string | undefined> {
  const db = ctx.store.db
  if (await findUserByUsername(db, user.username)) return 'a user with this name is already here'
  if (user.email && (await findUserByEmail(db, user.email))) return 'a user with this e-mail is already here'
  if (user.discord_id && (await findUserByDiscordId(db, user.discord_id))) return 'its Discord account is linked to a user here'
  return undefined
}

export async function writeUsers(ctx: ImportContext, users: UpstreamUser[]): Promise<void> {
  for (const user of users) {
    const clash = await clashOf(ctx, user)
    if (clash) {
      ctx.summary.note(`user ${user.username}: ${clash}; kept ours`)
      continue
    }
    const mapped = mapUser(user, ctx.keys)
    for (const note of mapped.notes) ctx.summary.note(note)
    for (const line of mapped.tell) ctx.summary.tellUser(line)
    ctx.summary.count('users')
    if (mapped.tfaSecret) ctx.summary.count('users with two-factor authentication kept')
    if (mapped.discord) ctx.summary.count('Discord links')
    if (ctx.dryRun) {
      ctx.userIds.set(user.id, user.id)
      continue
    }
    const row = await insertUser(ctx.store.db, {
      username: mapped.username,
      email: mapped.email,
      passwordHash: mapped.passwordHash,
      role: mapped.role,
      firstName: mapped.firstName,
      lastName: mapped.lastName
    })
    ctx.userIds.set(user.id, row.id)
    await updateUser(ctx.store.db, row.id, {
      is_active: mapped.isActive ? 1 : 0,
      last_login_at: mapped.lastLoginAt,
      ...(mapped.tfaSecret
        ? { tfa_enabled: 1, tfa_secret: ctx.box.seal(mapped.tfaSecret), tfa_backup_codes: mapped.tfaBackupCodes ?? null }
        : {})
    })
    if (mapped.discord) {
      await bindDiscordIdentity(ctx.store.db, row.id, {
        id: mapped.discord.id,
        username: mapped.discord.username ?? '',
        avatar: mapped.discord.avatar
      })
    }
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
