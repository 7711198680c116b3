// Custom roles (issue 18 part 2): made from the permission set, never more than their author holds
// (permissions and host groups), built-in roles stay as shipped, a role in use cannot be deleted.
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { errorOf } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { assertGroupsExist, assertPermissionsWithinAuthor, assertScopeWithinAuthor, type GrantAuthor } from './grant-rules.js'
import { BUILTIN_ROLES, type Permission } from './permissions.js'
import { countUsersWithRole, deleteRole, findRole, insertRole, roleView, updateRole } from './role-queries.js'
import { roleHostGroupIds, setRoleHostGroups } from './scope-queries.js'

const A = ERROR_MESSAGES.access

export interface RoleInput {
  description?: string | undefined
  permissions?: Permission[] | undefined
  host_group_ids?: string[] | null | undefined
}

async function currentRole(db: Kysely<DB>, name: string) {
  const row = await findRole(db, name)
  if (!row) throw errorOf(A.roleNotFound)
  const groups = await roleHostGroupIds(db, name)
  return roleView(row, groups)
}

/** Checks what the author may grant: the permissions and the groups, which must exist. */
async function assertGrantable(
  db: Kysely<DB>,
  author: GrantAuthor,
  permissions: readonly string[],
  groups: string[] | null
): Promise<void> {
  assertPermissionsWithinAuthor(author, permissions)
  assertScopeWithinAuthor(author, groups === null ? null : { groupIds: groups })
  await assertGroupsExist(db, groups)
}

export async function createRole(db: Kysely<DB>, author: GrantAuthor, name: string, input: RoleInput) {
  if (BUILTIN_ROLES[name] || (await findRole(db, name))) throw errorOf(A.roleExists)
  const permissions = [...new Set(input.permissions ?? [])]
  // A limited author's role is limited to (some of) their groups; "no limit" would reach further.
  const groups = input.host_group_ids === undefined ? (author.hostScope ? [...author.hostScope.groupIds] : null) : input.host_group_ids
  await assertGrantable(db, author, permissions, groups)
  await db.transaction().execute(async (trx) => {
    await insertRole(trx, { name, description: input.description ?? '', permissions, createdBy: author.id })
    await setRoleHostGroups(trx, name, groups)
  })
  return currentRole(db, name)
}

export async function changeRole(db: Kysely<DB>, author: GrantAuthor, name: string, input: RoleInput) {
  const role = await currentRole(db, name)
  if (role.is_builtin) throw errorOf(A.builtinRoleImmutable)
  // Editing a role hands out what it holds before and after: the author must cover both.
  await assertGrantable(db, author, role.permissions, role.host_group_ids)
  const permissions = input.permissions === undefined ? role.permissions : [...new Set(input.permissions)]
  const groups = input.host_group_ids === undefined ? role.host_group_ids : input.host_group_ids
  await assertGrantable(db, author, permissions, groups)
  await db.transaction().execute(async (trx) => {
    await updateRole(trx, name, { ...(input.description !== undefined ? { description: input.description } : {}), permissions })
    if (input.host_group_ids !== undefined) await setRoleHostGroups(trx, name, groups)
  })
  return currentRole(db, name)
}

export async function removeRole(db: Kysely<DB>, author: GrantAuthor, name: string): Promise<void> {
  const role = await currentRole(db, name)
  if (role.is_builtin) throw errorOf(A.builtinRoleImmutable)
  await assertGrantable(db, author, role.permissions, role.host_group_ids)
  const users = await countUsersWithRole(db, name)
  if (users > 0) throw errorOf(A.roleInUse, { message: A.roleInUse.detail.replace('{count}', String(users)) })
  await deleteRole(db, name)
}
