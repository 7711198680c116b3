// The audit log's wire shapes, declared once: validation, types, serialisation, OpenAPI and the
// dashboard's types (src/dashboard/ui/audit-types.ts re-exports the Static types).
import { Type, type Static } from '@fastify/type-provider-typebox'

const DateTime = Type.String({ maxLength: 40, description: 'ISO-8601 date or date-time (UTC)' })

export const AuditFilterQuery = Type.Object(
  {
    actor: Type.Optional(Type.String({ maxLength: 200, description: 'A user id or name, or a credential key or name' })),
    action: Type.Optional(Type.String({ maxLength: 100, description: 'An action (user.update) or a family ending in "." (user.)' })),
    target_type: Type.Optional(Type.String({ maxLength: 40 })),
    target_id: Type.Optional(Type.String({ maxLength: 200 })),
    outcome: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Literal('denied')])),
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime)
  },
  { additionalProperties: false }
)

export const AuditListQuery = Type.Intersect([
  AuditFilterQuery,
  Type.Object({
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 }))
  })
])

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()])

export const AuditEntry = Type.Object({
  id: Type.String(),
  created_at: Type.String(),
  actor_type: Type.String({ description: 'user, credential, system or anonymous' }),
  actor_id: Nullable(Type.String()),
  actor_label: Nullable(Type.String()),
  action: Type.String(),
  target_type: Nullable(Type.String()),
  target_id: Nullable(Type.String()),
  target_label: Nullable(Type.String()),
  outcome: Type.String({ description: 'success, failure or denied' }),
  reason: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  user_agent: Nullable(Type.String()),
  details: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])
})

export const AuditListReply = Type.Object({
  entries: Type.Array(AuditEntry),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer()
})

export const AuditActionsReply = Type.Object({ actions: Type.Array(Type.String()) })

export type AuditEntryView = Static<typeof AuditEntry>
export type AuditListView = Static<typeof AuditListReply>
export type AuditFilterInput = Static<typeof AuditFilterQuery>
