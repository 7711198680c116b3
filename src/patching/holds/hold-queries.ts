// The only code that names patch_holds. Lists, finds and deletes see the user's host scope;
// holdsForTargets does not: a hold on any of a host's groups applies to every run on that host.
import type { Kysely, Selectable } from 'kysely'
import type { DB, PatchHoldsTable } from '../../store/database-types.js'
import type { PatchTarget } from '../patch-targets.js'
import { targetInScope } from '../../hosts/host-scope.js'

export type HoldRow = Selectable<PatchHoldsTable>

export async function listHolds(db: Kysely<DB>, filter: Partial<PatchTarget>): Promise<HoldRow[]> {
  let q = db
    .selectFrom('patch_holds')
    .selectAll()
    .where(targetInScope('patch_holds.target_type', 'patch_holds.target_id'))
    .orderBy('target_type')
    .orderBy('target_id')
    .orderBy('pattern')
  if (filter.target_type) q = q.where('target_type', '=', filter.target_type)
  if (filter.target_id) q = q.where('target_id', '=', filter.target_id)
  return q.execute()
}

export async function holdsForTargets(db: Kysely<DB>, targets: PatchTarget[]): Promise<HoldRow[]> {
  if (targets.length === 0) return []
  return db
    .selectFrom('patch_holds')
    .selectAll()
    .where((eb) => eb.or(targets.map((t) => eb.and([eb('target_type', '=', t.target_type), eb('target_id', '=', t.target_id)]))))
    .orderBy('pattern')
    .execute()
}

export async function findHold(db: Kysely<DB>, id: string): Promise<HoldRow | undefined> {
  return db
    .selectFrom('patch_holds')
    .selectAll()
    .where('id', '=', id)
    .where(targetInScope('patch_holds.target_type', 'patch_holds.target_id'))
    .executeTakeFirst()
}

export async function findHoldByPattern(db: Kysely<DB>, target: PatchTarget, pattern: string): Promise<HoldRow | undefined> {
  return db
    .selectFrom('patch_holds')
    .selectAll()
    .where('target_type', '=', target.target_type)
    .where('target_id', '=', target.target_id)
    .where('pattern', '=', pattern)
    .executeTakeFirst()
}

export async function insertHold(db: Kysely<DB>, row: HoldRow): Promise<void> {
  await db.insertInto('patch_holds').values(row).execute()
}

export async function deleteHold(db: Kysely<DB>, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('patch_holds')
    .where('id', '=', id)
    .where(targetInScope('patch_holds.target_type', 'patch_holds.target_id'))
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
