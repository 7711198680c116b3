// Request and response schemas of the credential administration API (declared once: validation,
// serialisation — the secret hash has no field here, so it can never be sent — and OpenAPI).
import { Type, type Static } from '@fastify/type-provider-typebox'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { validationMessagesOf } from '../http/errors.js'

const Timestamp = Type.Union([Type.String({ format: 'date-time' }), Type.Null()])

export const HostGroupRef = Type.Union([Type.Object({ id: Type.String(), name: Type.String(), color: Type.String() }), Type.Null()])
export const UserRef = Type.Union([
  Type.Object({
    id: Type.String(),
    username: Type.String(),
    first_name: Type.Union([Type.String(), Type.Null()]),
    last_name: Type.Union([Type.String(), Type.Null()])
  }),
  Type.Null()
])
const ScopesView = Type.Union([Type.Record(Type.String(), Type.Array(Type.String())), Type.Null()])

export const TokenView = Type.Object({
  id: Type.String(),
  token_name: Type.String(),
  token_key: Type.String(),
  is_active: Type.Boolean(),
  allowed_ip_ranges: Type.Array(Type.String()),
  max_hosts_per_day: Type.Integer(),
  hosts_created_today: Type.Integer(),
  last_used_at: Timestamp,
  expires_at: Timestamp,
  created_at: Type.String(),
  updated_at: Type.String(),
  default_host_group_id: Type.Union([Type.String(), Type.Null()]),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  scopes: ScopesView,
  host_groups: HostGroupRef,
  users: UserRef
})
export type TokenView = Static<typeof TokenView>

export const CreatedToken = Type.Object({
  id: Type.String(),
  token_name: Type.String(),
  token_key: Type.String(),
  token_secret: Type.String({ description: 'Shown only in this response; stored as a bcrypt hash.' }),
  max_hosts_per_day: Type.Integer(),
  default_host_group: HostGroupRef,
  created_by: UserRef,
  expires_at: Timestamp,
  scopes: ScopesView,
  allowed_ip_ranges: Type.Array(Type.String()),
  metadata: Type.Record(Type.String(), Type.Unknown())
})

export const CreateTokenResponse = Type.Object({
  message: Type.String(),
  token: CreatedToken,
  warning: Type.String(),
  gethomepage_config: Type.Optional(
    Type.String({ description: 'gethomepage tokens only: the services.yml entry with the credentials filled in.' })
  )
})

const IpRanges = Type.Array(Type.String({ maxLength: 100 }), { maxItems: 256 })

export const CreateTokenBody = Type.Object({
  token_name: Type.String({ minLength: 1, maxLength: 255 }),
  max_hosts_per_day: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  default_host_group_id: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  allowed_ip_ranges: Type.Optional(IpRanges),
  expires_at: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  // Checked by normaliseScopes so the documented scope messages are used.
  scopes: Type.Optional(Type.Unknown())
})
export type CreateTokenBody = Static<typeof CreateTokenBody>

export const UpdateTokenBody = Type.Object({
  token_name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  is_active: Type.Optional(Type.Boolean()),
  max_hosts_per_day: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  allowed_ip_ranges: Type.Optional(IpRanges),
  default_host_group_id: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  expires_at: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  scopes: Type.Optional(Type.Unknown())
})
export type UpdateTokenBody = Static<typeof UpdateTokenBody>

const E = ERROR_MESSAGES.integrationTokens

export const CREATE_FIELD_MESSAGES = validationMessagesOf({
  token_name: E.tokenNameRequired,
  max_hosts_per_day: E.maxHostsPerDay,
  allowed_ip_ranges: E.allowedIpRanges,
  expires_at: E.invalidDate,
  default_host_group_id: E.defaultHostGroup,
  metadata: E.metadata
})

export const UPDATE_FIELD_MESSAGES = {
  ...CREATE_FIELD_MESSAGES,
  ...validationMessagesOf({ token_name: E.tokenNameLength, is_active: E.isActive })
}

export const TokenParams = Type.Object({ tokenId: Type.String({ maxLength: 64 }) })

export const HomepageConfigBody = Type.Object({
  token_secret: Type.Optional(
    Type.String({
      maxLength: 256,
      description: 'When given (and correct) the snippet carries the real credentials; otherwise a placeholder.'
    })
  )
})
export const HomepageConfigResponse = Type.Object({
  config: Type.String({ description: 'services.yml entry for gethomepage' }),
  credentials_included: Type.Boolean()
})
