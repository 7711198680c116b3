// "No setting grants more than its author holds", for roles and host-group limits: whoever creates
// or edits a role, or gives a user a role or a limit, must hold every permission granted and reach
// every host the result reaches. The scope rule reads limits as sets of host groups; null (no
// limit) is more than any list, so a limited author can only hand out limits within their own.
import type { Kysely } from 'kysely'
import type { HostScope } from '../http/request-host-scope.js'
import { badRequest, COMMON, errorOf } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import type { DB } from '../store/database-types.js'
import { hostGroupNamesByIds } from '../hosts/host-queries.js'
import type { Permission } from './permissions.js'
import { rolePermissions } from './role-queries.js'
import { roleHostGroupIds } from './scope-queries.js'

const A = ERROR_MESSAGES.access

/** Who acts: the session's user with its permissions and host scope. */
export interface GrantAuthor {
  id: string
  permissions: ReadonlySet<Permission>
  hostScope: HostScope
}

/** 403 when `granted` holds a permission the author lacks. */
export function assertPermissionsWithinAuthor(author: GrantAuthor, granted: readonly string[]): void {
  const beyond = granted.filter((p) => !author.permissions.has(p as Permission))
  if (beyond.length > 0)
    throw errorOf(A.grantBeyondAuthor, { message: A.grantBeyondAuthor.detail.replace('{permissions}', beyond.join(', ')) })
}

/** 403 when the scope `granted` reaches hosts the author does not. */
export function assertScopeWithinAuthor(author: GrantAuthor, granted: HostScope): void {
  if (author.hostScope === null) return
  const mine = new Set(author.hostScope.groupIds)
  if (granted === null || granted.groupIds.some((id) => !mine.has(id))) throw errorOf(A.scopeBeyondAuthor)
}

/** 403 unless the author holds every permission of `role` (assigning a role grants them). */
export async function assertRoleWithinAuthor(db: Kysely<DB>, author: GrantAuthor, role: string): Promise<void> {
  assertPermissionsWithinAuthor(author, (await rolePermissions(db, role)) ?? [])
}

/** 400 when a listed host group does not exist. */
export async function assertGroupsExist(db: Kysely<DB>, groupIds: readonly string[] | null | undefined): Promise<void> {
  if (!groupIds || groupIds.length === 0) return
  const found = await hostGroupNamesByIds(db, groupIds)
  if (groupIds.some((id) => !found.has(id))) throw badRequest(COMMON.hostGroupNotFound)
}

/** The scope a user ends up with: its own limit joined with its role's (null when neither limits). */
export async function combinedScope(db: Kysely<DB>, own: readonly string[] | null, role: string): Promise<HostScope> {
  const roleRow = await db.selectFrom('roles').select('host_scoped').where('name', '=', role).executeTakeFirst()
  const roleGroups = roleRow?.host_scoped === 1 ? await roleHostGroupIds(db, role) : null
  if (own === null && roleGroups === null) return null
  return { groupIds: [...new Set([...(own ?? []), ...(roleGroups ?? [])])] }
}
