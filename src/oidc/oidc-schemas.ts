import { Type } from '@fastify/type-provider-typebox'

const NullableString = (maxLength: number) => Type.Union([Type.String({ maxLength }), Type.Null()])
const NullableText = Type.Union([Type.String(), Type.Null()])

export const RoleMappingEntry = Type.Object(
  { claim: Type.String({ minLength: 1, maxLength: 200 }), role: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false }
)

/** Snake case, upstream's oidc_* setting names; absent fields are kept, an empty secret clears it. */
export const OidcSettingsBody = Type.Object(
  {
    oidc_enabled: Type.Optional(Type.Boolean()),
    oidc_issuer_url: Type.Optional(NullableString(2000)),
    oidc_client_id: Type.Optional(NullableString(300)),
    oidc_client_secret: Type.Optional(NullableString(1000)),
    oidc_redirect_uri: Type.Optional(NullableString(2000)),
    oidc_scopes: Type.Optional(NullableString(500)),
    oidc_button_text: Type.Optional(NullableString(100)),
    oidc_auto_create_users: Type.Optional(Type.Boolean()),
    oidc_default_role: Type.Optional(NullableString(100)),
    oidc_group_claim: Type.Optional(NullableString(200)),
    oidc_role_mapping: Type.Optional(Type.Array(RoleMappingEntry, { maxItems: 100 })),
    oidc_link_by_email: Type.Optional(Type.Boolean()),
    oidc_disable_local_auth: Type.Optional(Type.Boolean({ description: 'OIDC only: the password form is hidden and refused' })),
    oidc_end_session: Type.Optional(Type.Boolean({ description: "Signing out also ends the provider's session" }))
  },
  { additionalProperties: false }
)

export const OidcSettingsView = Type.Object({
  oidc_enabled: Type.Boolean(),
  oidc_issuer_url: NullableText,
  oidc_client_id: NullableText,
  oidc_client_secret_set: Type.Boolean({ description: 'The secret itself is write-only' }),
  oidc_redirect_uri: NullableText,
  oidc_scopes: Type.String(),
  oidc_button_text: Type.String(),
  oidc_auto_create_users: Type.Boolean(),
  oidc_default_role: NullableText,
  oidc_group_claim: NullableText,
  oidc_role_mapping: Type.Array(RoleMappingEntry),
  oidc_link_by_email: Type.Boolean(),
  oidc_disable_local_auth: Type.Boolean(),
  oidc_end_session: Type.Boolean(),
  oidc_callback_url: Type.String({ description: 'Derived from the server URL; register it at the provider' }),
  oidc_set_by_environment: Type.Array(Type.String(), { description: 'Fields an OIDC_* variable sets: read-only here' })
})

export const OidcSettingsSaved = Type.Object({ message: Type.String(), ...OidcSettingsView.properties })

export const OidcPublicConfig = Type.Object({
  enabled: Type.Boolean(),
  buttonText: Type.String(),
  /** OIDC-only mode: the login page shows no password form. */
  oidcOnly: Type.Boolean(),
  /** After signing out, the dashboard visits /api/v1/auth/oidc/logout to end the provider's session. */
  endSession: Type.Boolean()
})

export const OidcCallbackQuery = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 4000 })),
  state: Type.Optional(Type.String({ maxLength: 200 })),
  iss: Type.Optional(Type.String({ maxLength: 2000 })),
  session_state: Type.Optional(Type.String({ maxLength: 500 })),
  error: Type.Optional(Type.String({ maxLength: 200 })),
  error_description: Type.Optional(Type.String({ maxLength: 2000 }))
})
