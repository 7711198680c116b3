// The only code that names patch_policies, patch_policy_assignments and patch_policy_exclusions.
import type { Kysely } from 'kysely'
import type { DB, PatchPolicyRow } from '../../store/database-types.js'
import { inHostScope, isHostScoped, targetInScope } from '../../hosts/host-scope.js'

export interface PolicyFields {
  name: string
  description: string | null
  patch_delay_type: string
  delay_minutes: number | null
  fixed_time_utc: string | null
}

export async function policyForTarget(db: Kysely<DB>, targetType: string, targetId: string): Promise<PatchPolicyRow | undefined> {
  return db
    .selectFrom('patch_policy_assignments as a')
    .innerJoin('patch_policies as p', 'p.id', 'a.patch_policy_id')
    .selectAll('p')
    .where('a.target_type', '=', targetType)
    .where('a.target_id', '=', targetId)
    .executeTakeFirst()
}

export async function isHostExcluded(db: Kysely<DB>, policyId: string, hostId: string): Promise<boolean> {
  const row = await db
    .selectFrom('patch_policy_exclusions')
    .select('id')
    .where('patch_policy_id', '=', policyId)
    .where('host_id', '=', hostId)
    .executeTakeFirst()
  return row !== undefined
}

export async function listPolicies(db: Kysely<DB>) {
  return db
    .selectFrom('patch_policies as p')
    .selectAll('p')
    .select((eb) => [
      eb
        .selectFrom('patch_policy_assignments as a')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('a.patch_policy_id', '=', 'p.id')
        .where(targetInScope('a.target_type', 'a.target_id'))
        .as('assignments'),
      eb
        .selectFrom('patch_policy_exclusions as x')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('x.patch_policy_id', '=', 'p.id')
        .where(inHostScope('x.host_id'))
        .as('exclusions')
    ])
    .orderBy('p.name')
    .execute()
}

/** Whether a policy also governs hosts outside the user's scope (so a limited user may not change it). */
export async function policyReachesBeyondScope(db: Kysely<DB>, id: string): Promise<boolean> {
  if (!isHostScoped()) return false
  const row = await db
    .selectFrom('patch_policy_assignments as a')
    .select('a.id')
    .where('a.patch_policy_id', '=', id)
    .where((eb) => eb.not(targetInScope('a.target_type', 'a.target_id')))
    .executeTakeFirst()
  return row !== undefined
}

export async function policyById(db: Kysely<DB>, id: string): Promise<PatchPolicyRow | undefined> {
  return db.selectFrom('patch_policies').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function insertPolicy(db: Kysely<DB>, id: string, fields: PolicyFields, nowIso: string): Promise<void> {
  await db
    .insertInto('patch_policies')
    .values({ id, ...fields, timezone: null, created_at: nowIso, updated_at: nowIso })
    .execute()
}

export async function updatePolicy(db: Kysely<DB>, id: string, fields: PolicyFields, nowIso: string): Promise<boolean> {
  const result = await db
    .updateTable('patch_policies')
    .set({ ...fields, timezone: null, updated_at: nowIso })
    .where('id', '=', id)
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export async function deletePolicy(db: Kysely<DB>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('patch_policies').where('id', '=', id).executeTakeFirst()
  return result.numDeletedRows > 0n
}

export async function assignmentsOf(db: Kysely<DB>, policyId: string) {
  return db
    .selectFrom('patch_policy_assignments')
    .selectAll()
    .where('patch_policy_id', '=', policyId)
    .where(targetInScope('patch_policy_assignments.target_type', 'patch_policy_assignments.target_id'))
    .orderBy('created_at')
    .execute()
}

export async function assignmentOfTarget(db: Kysely<DB>, targetType: string, targetId: string) {
  return db
    .selectFrom('patch_policy_assignments')
    .selectAll()
    .where('target_type', '=', targetType)
    .where('target_id', '=', targetId)
    .executeTakeFirst()
}

export async function insertAssignment(
  db: Kysely<DB>,
  row: { id: string; patch_policy_id: string; target_type: string; target_id: string },
  nowIso: string
) {
  await db
    .insertInto('patch_policy_assignments')
    .values({ ...row, created_at: nowIso, updated_at: nowIso })
    .execute()
}

export async function deleteAssignment(db: Kysely<DB>, policyId: string, assignmentId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('patch_policy_assignments')
    .where('id', '=', assignmentId)
    .where('patch_policy_id', '=', policyId)
    .where(targetInScope('patch_policy_assignments.target_type', 'patch_policy_assignments.target_id'))
    .executeTakeFirst()
  return result.numDeletedRows > 0n
}

export async function exclusionsOf(db: Kysely<DB>, policyId: string) {
  return db
    .selectFrom('patch_policy_exclusions')
    .selectAll()
    .where('patch_policy_id', '=', policyId)
    .where(inHostScope('patch_policy_exclusions.host_id'))
    .orderBy('created_at')
    .execute()
}

export async function exclusionOf(db: Kysely<DB>, policyId: string, hostId: string) {
  return db
    .selectFrom('patch_policy_exclusions')
    .selectAll()
    .where('patch_policy_id', '=', policyId)
    .where('host_id', '=', hostId)
    .executeTakeFirst()
}

export async function insertExclusion(db: Kysely<DB>, row: { id: string; patch_policy_id: string; host_id: string }, nowIso: string) {
  await db
    .insertInto('patch_policy_exclusions')
    .values({ ...row, created_at: nowIso, updated_at: nowIso })
    .execute()
}

export async function deleteExclusion(db: Kysely<DB>, policyId: string, hostId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('patch_policy_exclusions')
    .where('patch_policy_id', '=', policyId)
    .where('host_id', '=', hostId)
    .where(inHostScope('patch_policy_exclusions.host_id'))
    .executeTakeFirst()
  return result.numDeletedRows > 0n
}

/** A deleted host or group keeps no assignment behind (target_id is not a foreign key, as upstream). */
export async function deleteAssignmentsOfTarget(db: Kysely<DB>, targetType: string, targetId: string): Promise<void> {
  await db.deleteFrom('patch_policy_assignments').where('target_type', '=', targetType).where('target_id', '=', targetId).execute()
}
