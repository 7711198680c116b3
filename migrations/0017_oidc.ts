// OpenID Connect sign-in: the provider settings (one row, client secret sealed with the secret box,
// the group → role mapping as JSON) and the identity a user is linked to. A user is linked to one
// subject of one issuer; the pair is unique, so two accounts never share a provider identity.
import type { Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- schema builders do not need table types
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('oidc_settings')
    .addColumn('id', 'text', (c) => c.primaryKey()) // always 'oidc'
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('issuer_url', 'text')
    .addColumn('client_id', 'text')
    .addColumn('client_secret', 'text') // AES-256-GCM sealed
    .addColumn('redirect_uri', 'text') // null = derived from the server URL
    .addColumn('scopes', 'text') // null = "openid email profile"
    .addColumn('button_text', 'text') // null = "Sign in with SSO"
    .addColumn('auto_create', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('default_role', 'text') // null = the default user role of Settings
    .addColumn('group_claim', 'text') // null = no mapping
    .addColumn('role_mapping', 'text', (c) => c.notNull().defaultTo('[]')) // [{ claim, role }]
    .addColumn('link_by_email', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('oidc_only', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('end_session', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema.alterTable('users').addColumn('oidc_provider', 'text').execute()
  await db.schema.alterTable('users').addColumn('oidc_sub', 'text').execute()
  await db.schema.createIndex('users_oidc_identity').unique().on('users').columns(['oidc_provider', 'oidc_sub']).execute()
}
