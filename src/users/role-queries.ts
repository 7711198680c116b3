import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
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

export async function listRoles(db: Kysely<DB>) {
  const rows = await db.selectFrom('roles').selectAll().orderBy('name').execute()
  return rows.map((r) => ({
    name: r.name,
    description: r.description,
    is_builtin: r.is_builtin === 1,
    permissions: JSON.parse(r.permissions) as string[]
  }))
}

export async function roleExists(db: Kysely<DB>, role: string): Promise<boolean> {
  return (await db.selectFrom('roles').select('name').where('name', '=', role).executeTakeFirst()) !== undefined
}
