// Sign-in: the Discord OAuth2 application settings (one row, client secret sealed with the
// secret box) and the last TOTP time step each user has spent, so a code cannot be replayed
// inside its validity window. Kept out of the key/value settings table on purpose: that table
// is served by the general settings API, and the sealed secret must never travel with it.
import type { Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- schema builders do not need table types
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('discord_login_settings')
    .addColumn('id', 'text', (c) => c.primaryKey()) // always 'discord'
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('client_id', 'text')
    .addColumn('client_secret', 'text') // AES-256-GCM sealed
    .addColumn('redirect_uri', 'text') // null = derived from the server URL
    .addColumn('button_text', 'text') // null = "Login with Discord"
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema.alterTable('users').addColumn('tfa_last_used_step', 'integer').execute()
}
