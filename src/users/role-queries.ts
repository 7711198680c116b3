import type { Kysely, Selectable } from 'kysely'
import type { DB, RolesTable } from '../store/database-types.js'
import { hostGroupIdsByRole } from './scope-queries.js'
import { BUILTIN_ROLES, isPermission, type Permission } from './permissions.js'

/** Inserts or refreshes the built-in roles, so new permissions reach existing installs on upgrade. */
export async function ensureBuiltinRoles(db: Kysely<DB>): Promise<void> {
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    for (const [name, role] of Object.entries(BUILTIN_ROLES)) {
      const permissions = JSON.stringify(role.permissions)
      await trx
        .insertInto('roles')
        .values({ name, description: role.description, is_builtin: 1, permissions, created_at: now, updated_at: now })
        .onConflict((oc) => oc.column('name').doUpdateSet({ description: role.description, is_builtin: 1, permissions, updated_at: now }))
        .execute()
    }
  })
}

export async function rolePermissions(db: Kysely<DB>, role: string): Promise<Permission[] | undefined> {
  const row = await db.selectFrom('roles').select('permissions').where('name', '=', role).executeTakeFirst()
  if (!row) return undefined
  try {
    const parsed: unknown = JSON.parse(row.permissions)
    return Array.isArray(parsed) ? parsed.filter((p): p is Permission => typeof p === 'string' && isPermission(p)) : []
  } catch {
    return []
  }
}

/** Every role with its host-group limit (null = every host). */
export async function listRoles(db: Kysely<DB>) {
  const rows = await db.selectFrom('roles').selectAll().orderBy('name').execute()
  const groups = await hostGroupIdsByRole(db)
  return rows.map((r) => roleView(r, groups.get(r.name) ?? []))
}

export function roleView(r: Selectable<RolesTable>, groupIds: string[]) {
  return {
    name: r.name,
    description: r.description,
    is_builtin: r.is_builtin === 1,
    permissions: JSON.parse(r.permissions) as string[],
    host_group_ids: r.host_scoped === 1 ? groupIds : null
  }
}

export async function roleExists(db: Kysely<DB>, role: string): Promise<boolean> {
  return (await db.selectFrom('roles').select('name').where('name', '=', role).executeTakeFirst()) !== undefined
}

export async function findRole(db: Kysely<DB>, name: string) {
  return db.selectFrom('roles').selectAll().where('name', '=', name).executeTakeFirst()
}

export async function insertRole(
  db: Kysely<DB>,
  role: { name: string; description: string; permissions: readonly string[]; createdBy: string }
): Promise<void> {
  const now = new Date().toISOString()
  await db
    .insertInto('roles')
    .values({
      name: role.name,
      description: role.description,
      is_builtin: 0,
      permissions: JSON.stringify(role.permissions),
      created_by_user_id: role.createdBy,
      created_at: now,
      updated_at: now
    })
    .execute()
}

export async function updateRole(
  db: Kysely<DB>,
  name: string,
  changes: { description?: string; permissions?: readonly string[] }
): Promise<void> {
  await db
    .updateTable('roles')
    .set({
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.permissions !== undefined ? { permissions: JSON.stringify(changes.permissions) } : {}),
      updated_at: new Date().toISOString()
    })
    .where('name', '=', name)
    .where('is_builtin', '=', 0)
    .execute()
}

export async function deleteRole(db: Kysely<DB>, name: string): Promise<void> {
  await db.deleteFrom('roles').where('name', '=', name).where('is_builtin', '=', 0).execute()
}

export async function countUsersWithRole(db: Kysely<DB>, name: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', name)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
