// Reboots and reboot exemptions on the wire: declared once for validation, types, serialisation and OpenAPI.
import { Type } from '@fastify/type-provider-typebox'

const nullableString = Type.Union([Type.String(), Type.Null()])

export const ExemptionView = Type.Object({
  host_id: Type.String(),
  reason: nullableString,
  created_by_user_id: nullableString,
  created_at: Type.String()
})
export const ExemptionListView = Type.Object({ exemptions: Type.Array(ExemptionView) })

export const RebootBody = Type.Object({
  host_id: Type.String({ minLength: 1, maxLength: 64 }),
  run_at: Type.Optional(Type.String({ format: 'date-time', description: 'Reboot later (default: now); maintenance windows apply' }))
})
export const RebootReply = Type.Object({ message: Type.String(), patch_run_id: Type.String(), run_at: nullableString })
