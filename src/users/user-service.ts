// The rules of user management, shared by the admin routes and the `patchmon admin` CLI: who may
// touch a superadmin, the last active superadmin stays, nobody disables or deletes themself, names
// and e-mail addresses stay unique, and a role change is recorded with its outbox event.
import type { Kysely } from 'kysely'
import type { DB, UserRow } from '../store/database-types.js'
import type { AppEvents } from '../events/app-events.js'
import { emitCommitted, writeOutbox } from '../events/event-outbox.js'
import { errorOf, notFound, COMMON } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { hashSecret } from '../security/secret-hashing.js'
import { assertGroupsExist, assertRoleWithinAuthor, assertScopeWithinAuthor, combinedScope, type GrantAuthor } from './grant-rules.js'
import { setUserHostGroups, userHostGroupIds } from './scope-queries.js'
import { ensureBuiltinRoles, roleExists, rolePermissions } from './role-queries.js'
import { revokeUserSessions } from './sessions.js'
import { clearTfa } from './tfa-queries.js'
import {
  countActiveSuperadmins,
  deleteUser,
  findUserById,
  findUserByUsername,
  insertUser,
  loginNameTaken,
  publicUser,
  updateUser,
  type UserChanges
} from './user-queries.js'

/** Who is acting: enough to apply the rules (the session's user). */
export type Actor = GrantAuthor

export interface CreateUserInput {
  username: string
  email?: string | null
  password: string
  role: string
  first_name?: string | null
  last_name?: string | null
  host_group_ids?: string[] | null
}

export interface UpdateUserInput {
  email?: string | null
  role?: string
  is_active?: boolean
  first_name?: string | null
  last_name?: string | null
  host_group_ids?: string[] | null
}

const E = ERROR_MESSAGES.users

export function requireSuperuserRights(actor: Actor, targetRole: string): void {
  if (targetRole === 'superadmin' && !actor.permissions.has('can_manage_superusers')) {
    throw errorOf(E.superadminOnly)
  }
}

async function assertRoleExists(db: Kysely<DB>, role: string): Promise<void> {
  if (!(await rolePermissions(db, role))) throw errorOf(E.roleNotFound)
}

export async function existingUser(db: Kysely<DB>, id: string): Promise<UserRow> {
  const target = await findUserById(db, id)
  if (!target) throw notFound(COMMON.userNotFound)
  return target
}

/** The user's own limit stored: its value, or the current one when the input leaves it out. */
async function ownGroups(db: Kysely<DB>, target: UserRow | undefined, input: string[] | null | undefined): Promise<string[] | null> {
  if (input !== undefined) return input
  if (!target) return null
  return target.host_scoped === 1 ? userHostGroupIds(db, target.id) : null
}

/**
 * The grant rules for giving `role` and `groups` to a user: the actor holds the role's permissions
 * and reaches every host the user will reach (own limit joined with the role's).
 */
async function assertUserGrant(db: Kysely<DB>, actor: Actor, role: string, groups: string[] | null): Promise<void> {
  await assertRoleWithinAuthor(db, actor, role)
  await assertGroupsExist(db, groups)
  assertScopeWithinAuthor(actor, await combinedScope(db, groups, role))
}

/** A user as the admin screens show it: the public view and its own host-group limit. */
export async function userWithScope(db: Kysely<DB>, row: UserRow) {
  return { ...publicUser(row), host_group_ids: row.host_scoped === 1 ? await userHostGroupIds(db, row.id) : null }
}

export async function createUser(db: Kysely<DB>, actor: Actor, input: CreateUserInput): Promise<UserRow> {
  await assertRoleExists(db, input.role)
  requireSuperuserRights(actor, input.role)
  // A limited actor's new user is limited to the actor's groups unless told a narrower list.
  const groups = input.host_group_ids !== undefined ? input.host_group_ids : actor.hostScope ? [...actor.hostScope.groupIds] : null
  await assertUserGrant(db, actor, input.role, groups)
  const email = input.email?.trim() || null
  if (await loginNameTaken(db, input.username, email)) throw errorOf(E.nameTaken)
  const row = await insertUser(db, {
    username: input.username,
    email,
    passwordHash: await hashSecret(input.password),
    role: input.role,
    firstName: input.first_name ?? null,
    lastName: input.last_name ?? null
  })
  await setUserHostGroups(db, row.id, groups)
  return (await findUserById(db, row.id)) ?? row
}

export async function updateUserAsAdmin(
  db: Kysely<DB>,
  events: AppEvents,
  actor: Actor,
  id: string,
  input: UpdateUserInput
): Promise<UserRow> {
  const target = await existingUser(db, id)
  requireSuperuserRights(actor, target.role)
  if (input.role !== undefined) {
    await assertRoleExists(db, input.role)
    requireSuperuserRights(actor, input.role)
  }
  // The actor must cover the user as it is and as it will be (no reach beyond their own).
  const groupsBefore = await ownGroups(db, target, undefined)
  await assertUserGrant(db, actor, target.role, groupsBefore)
  const groups = await ownGroups(db, target, input.host_group_ids)
  await assertUserGrant(db, actor, input.role ?? target.role, groups)
  const losesSuperadmin =
    target.role === 'superadmin' &&
    target.is_active === 1 &&
    ((input.role !== undefined && input.role !== 'superadmin') || input.is_active === false)
  if (losesSuperadmin && (await countActiveSuperadmins(db)) <= 1) throw errorOf(E.lastSuperadmin)
  if (target.id === actor.id && input.is_active === false) throw errorOf(E.cannotDisableSelf)
  const email = input.email === undefined ? undefined : input.email?.trim() || null
  if (email && (await loginNameTaken(db, null, email, target.id))) throw errorOf(E.nameTaken)
  const now = new Date()
  const roleChange =
    input.role !== undefined && input.role !== target.role
      ? { userId: target.id, username: target.username, oldRole: target.role, newRole: input.role }
      : undefined
  const changes: UserChanges = {
    ...(email !== undefined ? { email } : {}),
    ...(input.role !== undefined ? { role: input.role } : {}),
    ...(input.is_active !== undefined ? { is_active: input.is_active ? 1 : 0 } : {}),
    ...(input.first_name !== undefined ? { first_name: input.first_name } : {}),
    ...(input.last_name !== undefined ? { last_name: input.last_name } : {})
  }
  // The row and its role-change event commit together; listeners hear it only after the commit.
  const event = await db.transaction().execute(async (trx) => {
    await updateUser(trx, target.id, changes, now.toISOString())
    if (input.host_group_ids !== undefined) await setUserHostGroups(trx, target.id, groups)
    return roleChange ? writeOutbox(trx, 'user_role_changed', roleChange, now) : undefined
  })
  if (input.is_active === false) await revokeUserSessions(db, target.id)
  if (event) emitCommitted(events, event)
  return (await findUserById(db, target.id)) ?? target
}

/** Sets a new password and signs the user out everywhere (except the session that changed it). */
async function setPassword(
  db: Kysely<DB>,
  userId: string,
  password: string,
  opts: { mustChange: boolean; reactivate?: boolean; keepSessionId?: string }
): Promise<void> {
  const now = new Date().toISOString()
  await updateUser(
    db,
    userId,
    {
      password_hash: await hashSecret(password),
      password_changed_at: now,
      must_change_password: opts.mustChange ? 1 : 0,
      ...(opts.reactivate ? { is_active: 1 } : {})
    },
    now
  )
  await revokeUserSessions(db, userId, opts.keepSessionId)
}

/** The signed-in user's own change: this session stays, the others end. */
export async function changeOwnPassword(db: Kysely<DB>, userId: string, password: string, sessionId: string): Promise<void> {
  await setPassword(db, userId, password, { mustChange: false, keepSessionId: sessionId })
}

export async function resetPasswordAsAdmin(db: Kysely<DB>, actor: Actor, id: string, password: string): Promise<void> {
  const target = await existingUser(db, id)
  requireSuperuserRights(actor, target.role)
  await assertUserGrant(db, actor, target.role, await ownGroups(db, target, undefined))
  await setPassword(db, target.id, password, { mustChange: false })
}

export async function deleteUserAsAdmin(db: Kysely<DB>, actor: Actor, id: string): Promise<void> {
  const target = await existingUser(db, id)
  if (target.id === actor.id) throw errorOf(E.cannotDeleteSelf)
  requireSuperuserRights(actor, target.role)
  await assertUserGrant(db, actor, target.role, await ownGroups(db, target, undefined))
  if (target.role === 'superadmin' && target.is_active === 1 && (await countActiveSuperadmins(db)) <= 1) throw errorOf(E.lastSuperadmin)
  await deleteUser(db, target.id)
}

// The operator's CLI (`patchmon admin ...`) acts with the machine's authority: no actor, and its
// refusals are plain sentences for a terminal rather than HTTP errors.

export class UserCommandError extends Error {}

/** Before any user command: the built-in roles exist with this version's permissions. */
export async function prepareUserCommands(db: Kysely<DB>): Promise<void> {
  await ensureBuiltinRoles(db)
}

export async function createUserFromCli(
  db: Kysely<DB>,
  input: { username: string; role: string; password: string; mustChangePassword: boolean }
): Promise<UserRow> {
  if (await findUserByUsername(db, input.username)) throw new UserCommandError(`user ${input.username} already exists`)
  if (!(await roleExists(db, input.role))) throw new UserCommandError(`unknown role ${input.role}`)
  return insertUser(db, {
    username: input.username,
    email: null,
    passwordHash: await hashSecret(input.password),
    role: input.role,
    mustChangePassword: input.mustChangePassword
  })
}

export async function resetPasswordFromCli(db: Kysely<DB>, username: string, password: string, mustChange: boolean): Promise<void> {
  const user = await findUserByUsername(db, username)
  if (!user) throw new UserCommandError(`no user named ${username}`)
  // An operator reset also re-opens a disabled account: it is the way back in.
  await setPassword(db, user.id, password, { mustChange, reactivate: true })
}

/** Turns TOTP off; returns whether the user had it on. */
export async function resetTfaFromCli(db: Kysely<DB>, username: string): Promise<boolean> {
  const user = await findUserByUsername(db, username)
  if (!user) throw new UserCommandError(`no user named ${username}`)
  await clearTfa(db, user.id)
  return user.tfa_enabled === 1
}
