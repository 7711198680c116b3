// The only code that names patch_windows. Lists, finds and changes see the user's host scope;
// windowsForTargets does not: a window on any of a host's groups governs that host.
import type { Kysely, Selectable, Updateable } from 'kysely'
import type { DB, PatchWindowsTable } from '../../store/database-types.js'
import type { PatchTarget } from '../patch-targets.js'
import { targetInScope } from '../../hosts/host-scope.js'

export type WindowRow = Selectable<PatchWindowsTable>

export async function listWindows(db: Kysely<DB>, filter: Partial<PatchTarget>): Promise<WindowRow[]> {
  let q = db
    .selectFrom('patch_windows')
    .selectAll()
    .where(targetInScope('patch_windows.target_type', 'patch_windows.target_id'))
    .orderBy('name')
    .orderBy('id')
  if (filter.target_type) q = q.where('target_type', '=', filter.target_type)
  if (filter.target_id) q = q.where('target_id', '=', filter.target_id)
  return q.execute()
}

export async function windowsForTargets(db: Kysely<DB>, targets: PatchTarget[]): Promise<WindowRow[]> {
  if (targets.length === 0) return []
  return db
    .selectFrom('patch_windows')
    .selectAll()
    .where((eb) => eb.or(targets.map((t) => eb.and([eb('target_type', '=', t.target_type), eb('target_id', '=', t.target_id)]))))
    .orderBy('name')
    .execute()
}

export async function findWindow(db: Kysely<DB>, id: string): Promise<WindowRow | undefined> {
  return db
    .selectFrom('patch_windows')
    .selectAll()
    .where('id', '=', id)
    .where(targetInScope('patch_windows.target_type', 'patch_windows.target_id'))
    .executeTakeFirst()
}

export async function insertWindow(db: Kysely<DB>, row: WindowRow): Promise<void> {
  await db.insertInto('patch_windows').values(row).execute()
}

export async function updateWindow(db: Kysely<DB>, id: string, changes: Updateable<PatchWindowsTable>): Promise<void> {
  await db
    .updateTable('patch_windows')
    .set(changes)
    .where('id', '=', id)
    .where(targetInScope('patch_windows.target_type', 'patch_windows.target_id'))
    .execute()
}

export async function deleteWindow(db: Kysely<DB>, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('patch_windows')
    .where('id', '=', id)
    .where(targetInScope('patch_windows.target_type', 'patch_windows.target_id'))
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
