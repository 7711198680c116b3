// Row types of the OpenID Connect sign-in tables (migration 0017), owned by src/oidc/.
import type { Generated } from 'kysely'
import type { Flag } from './flag.js'

export interface OidcSettingsTable {
  id: string
  enabled: Generated<Flag>
  issuer_url: string | null
  client_id: string | null
  /** Sealed with the secret box; never returned by the API. */
  client_secret: string | null
  redirect_uri: string | null
  scopes: string | null
  button_text: string | null
  auto_create: Generated<Flag>
  default_role: string | null
  group_claim: string | null
  /** JSON: [{ "claim": "patchmon-admins", "role": "admin" }, ...], first match wins. */
  role_mapping: Generated<string>
  link_by_email: Generated<Flag>
  oidc_only: Generated<Flag>
  end_session: Generated<Flag>
  updated_at: string
}

/** The columns 0017 adds to `users`: the provider identity a user is linked to. */
export interface UsersOidcColumns {
  oidc_provider: string | null
  oidc_sub: string | null
}

export interface OidcTables {
  oidc_settings: OidcSettingsTable
}
