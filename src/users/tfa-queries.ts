// The TOTP columns of `users`: the pending secret, switching TFA on and off, and the two spends
// (a TOTP step, a backup code) done as compare-and-set so two requests cannot spend one twice.
import type { Kysely } from 'kysely'
import type { DB, UserRow } from '../store/database-types.js'

/** Spends a TOTP step at most once: only a step later than the last accepted one is taken. */
export async function spendTotpStep(db: Kysely<DB>, userId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ tfa_last_used_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('tfa_last_used_step', 'is', null), eb('tfa_last_used_step', '<', step)]))
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Stores the remaining backup-code hashes only if the list is still the one the caller read. */
export async function replaceBackupHashesIfUnchanged(db: Kysely<DB>, user: UserRow, remaining: string): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ tfa_backup_codes: remaining, updated_at: new Date().toISOString() })
    .where('id', '=', user.id)
    .where('tfa_backup_codes', '=', user.tfa_backup_codes)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Turns TOTP off: by the user (POST /tfa/disable, with the password) or by `patchmon admin reset-tfa`. */
export async function clearTfa(db: Kysely<DB>, userId: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ tfa_enabled: 0, tfa_secret: null, tfa_backup_codes: null, tfa_last_used_step: null, updated_at: new Date().toISOString() })
    .where('id', '=', userId)
    .execute()
}
