// OpenID Connect sign-in's table column by column (see database-columns.ts for what the kinds mean);
// joined into DATABASE_COLUMNS there, checked against OidcTables by tsc and against the schema by a test.
import type { ColumnsOf } from './column-kinds.js'
import type { OidcTables, UsersOidcColumns } from './oidc-table-types.js'

export const OIDC_COLUMNS = {
  oidc_settings: {
    id: 'required',
    enabled: 'defaulted',
    issuer_url: 'nullable',
    client_id: 'nullable',
    client_secret: 'nullable',
    redirect_uri: 'nullable',
    scopes: 'nullable',
    button_text: 'nullable',
    auto_create: 'defaulted',
    default_role: 'nullable',
    group_claim: 'nullable',
    role_mapping: 'defaulted',
    link_by_email: 'defaulted',
    oidc_only: 'defaulted',
    end_session: 'defaulted',
    updated_at: 'required'
  }
} satisfies { [N in keyof OidcTables]: ColumnsOf<OidcTables[N]> }

/** The columns 0017 adds to `users`. */
export const USERS_OIDC_COLUMNS = { oidc_provider: 'nullable', oidc_sub: 'nullable' } satisfies ColumnsOf<UsersOidcColumns>
