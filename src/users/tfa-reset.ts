// Turning TOTP off for a user: by the user (POST /tfa/disable, with the password) or, when the
// phone and the backup codes are both lost, by an operator (`patchmon admin reset-tfa`).
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'

export async function clearTfa(db: Kysely<DB>, userId: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ tfa_enabled: 0, tfa_secret: null, tfa_backup_codes: null, tfa_last_used_step: null, updated_at: new Date().toISOString() })
    .where('id', '=', userId)
    .execute()
}
