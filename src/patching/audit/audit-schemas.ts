// The patching audit trail on the wire: declared once for validation, types, serialisation and OpenAPI.
import { Type } from '@fastify/type-provider-typebox'

export const AuditEntry = Type.Object({
  id: Type.String(),
  action: Type.String({
    description:
      'trigger, approve, stop, delete, retry_validation, policy_create, policy_update, policy_delete, policy_assign, policy_unassign, policy_exclude, policy_unexclude'
  }),
  user_id: Type.Union([Type.String(), Type.Null()]),
  username: Type.Union([Type.String(), Type.Null()]),
  run_id: Type.Union([Type.String(), Type.Null()]),
  host_id: Type.Union([Type.String(), Type.Null()]),
  policy_id: Type.Union([Type.String(), Type.Null()]),
  details: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  created_at: Type.String()
})

export const AuditQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  run_id: Type.Optional(Type.String({ maxLength: 64 })),
  host_id: Type.Optional(Type.String({ maxLength: 64 })),
  action: Type.Optional(Type.String({ maxLength: 32 }))
})

export const AuditPage = Type.Object({
  entries: Type.Array(AuditEntry),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer()
})
