// The only code that names patch_reboot_exemptions.
import type { Kysely, Selectable } from 'kysely'
import type { DB, PatchRebootExemptionsTable } from '../../store/database-types.js'
import { inHostScope } from '../../hosts/host-scope.js'

export type ExemptionRow = Selectable<PatchRebootExemptionsTable>

export async function listExemptions(db: Kysely<DB>): Promise<ExemptionRow[]> {
  return db
    .selectFrom('patch_reboot_exemptions')
    .selectAll()
    .where(inHostScope('patch_reboot_exemptions.host_id'))
    .orderBy('created_at')
    .execute()
}

export async function findExemption(db: Kysely<DB>, hostId: string): Promise<ExemptionRow | undefined> {
  return db.selectFrom('patch_reboot_exemptions').selectAll().where('host_id', '=', hostId).executeTakeFirst()
}

/** Adds or replaces the host's exemption (its reason may change). */
export async function upsertExemption(db: Kysely<DB>, row: ExemptionRow): Promise<void> {
  await db
    .insertInto('patch_reboot_exemptions')
    .values(row)
    .onConflict((oc) =>
      oc.column('host_id').doUpdateSet({ reason: row.reason, created_by_user_id: row.created_by_user_id, created_at: row.created_at })
    )
    .execute()
}

export async function deleteExemption(db: Kysely<DB>, hostId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('patch_reboot_exemptions')
    .where('host_id', '=', hostId)
    .where(inHostScope('patch_reboot_exemptions.host_id'))
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
