// The one row of `oidc_settings` (the only code that names the table).
import type { Kysely, Selectable, Updateable } from 'kysely'
import type { DB } from '../store/database-types.js'
import type { OidcSettingsTable } from '../store/oidc-table-types.js'

const ROW_ID = 'oidc'

export type OidcSettingsRow = Selectable<OidcSettingsTable>
export type OidcSettingsColumns = Omit<Updateable<OidcSettingsTable>, 'id' | 'updated_at'>

export function readOidcSettingsRow(db: Kysely<DB>): Promise<OidcSettingsRow | undefined> {
  return db.selectFrom('oidc_settings').selectAll().where('id', '=', ROW_ID).executeTakeFirst()
}

export async function writeOidcSettingsRow(db: Kysely<DB>, columns: OidcSettingsColumns): Promise<void> {
  const values = { ...columns, updated_at: new Date().toISOString() }
  await db
    .insertInto('oidc_settings')
    .values({ id: ROW_ID, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute()
}

/** Break-glass (`patchmon admin allow-password-login`): OIDC-only mode off; true when it was on. */
export async function turnOffOidcOnlyMode(db: Kysely<DB>): Promise<boolean> {
  const result = await db
    .updateTable('oidc_settings')
    .set({ oidc_only: 0, updated_at: new Date().toISOString() })
    .where('oidc_only', '=', 1)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}
