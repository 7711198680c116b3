// The host-group limits of users and roles (tables user_host_groups, role_host_groups; migration
// 0018). A user is limited when it or its role is; it may then see the union of both lists.
import type { Kysely } from 'kysely'
import type { HostScope } from '../http/request-host-scope.js'
import type { DB } from '../store/database-types.js'

type Db = Kysely<DB>

/** The host scope of a user with this role: null when neither the user nor the role is limited. */
export async function hostScopeOfUser(db: Db, userId: string, role: string): Promise<HostScope> {
  const user = await db.selectFrom('users').select('host_scoped').where('id', '=', userId).executeTakeFirst()
  const roleRow = await db.selectFrom('roles').select('host_scoped').where('name', '=', role).executeTakeFirst()
  const userScoped = user?.host_scoped === 1
  const roleScoped = roleRow?.host_scoped === 1
  if (!userScoped && !roleScoped) return null
  const ids = new Set<string>()
  if (userScoped) for (const id of await userHostGroupIds(db, userId)) ids.add(id)
  if (roleScoped) for (const id of await roleHostGroupIds(db, role)) ids.add(id)
  return { groupIds: [...ids].sort() }
}

export async function userHostGroupIds(db: Db, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('user_host_groups').select('host_group_id').where('user_id', '=', userId).execute()
  return rows.map((r) => r.host_group_id)
}

export async function roleHostGroupIds(db: Db, role: string): Promise<string[]> {
  const rows = await db.selectFrom('role_host_groups').select('host_group_id').where('role_name', '=', role).execute()
  return rows.map((r) => r.host_group_id)
}

/** Every user's own groups, by user id (one query for the users list). */
export async function hostGroupIdsByUser(db: Db): Promise<Map<string, string[]>> {
  const rows = await db.selectFrom('user_host_groups').select(['user_id', 'host_group_id']).execute()
  const out = new Map<string, string[]>()
  for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.host_group_id])
  return out
}

/** Every role's groups, by role name (one query for the roles list). */
export async function hostGroupIdsByRole(db: Db): Promise<Map<string, string[]>> {
  const rows = await db.selectFrom('role_host_groups').select(['role_name', 'host_group_id']).execute()
  const out = new Map<string, string[]>()
  for (const r of rows) out.set(r.role_name, [...(out.get(r.role_name) ?? []), r.host_group_id])
  return out
}

/** Replaces a user's limit: null = every host, a list (possibly empty) = those groups only. */
export async function setUserHostGroups(db: Db, userId: string, groupIds: readonly string[] | null): Promise<void> {
  await db.deleteFrom('user_host_groups').where('user_id', '=', userId).execute()
  await db
    .updateTable('users')
    .set({ host_scoped: groupIds === null ? 0 : 1 })
    .where('id', '=', userId)
    .execute()
  if (groupIds && groupIds.length > 0)
    await db
      .insertInto('user_host_groups')
      .values([...new Set(groupIds)].map((id) => ({ user_id: userId, host_group_id: id })))
      .execute()
}

/** Replaces a role's limit: null = every host, a list (possibly empty) = those groups only. */
export async function setRoleHostGroups(db: Db, role: string, groupIds: readonly string[] | null): Promise<void> {
  await db.deleteFrom('role_host_groups').where('role_name', '=', role).execute()
  await db
    .updateTable('roles')
    .set({ host_scoped: groupIds === null ? 0 : 1 })
    .where('name', '=', role)
    .execute()
  if (groupIds && groupIds.length > 0)
    await db
      .insertInto('role_host_groups')
      .values([...new Set(groupIds)].map((id) => ({ role_name: role, host_group_id: id })))
      .execute()
}
