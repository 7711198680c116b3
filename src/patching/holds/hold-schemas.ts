// Holds on the wire: declared once for validation, types, serialisation and OpenAPI.
import { Type, type Static } from '@fastify/type-provider-typebox'
import { TargetType } from '../patch-targets.js'
import { HOLD_PATTERN } from './hold-service.js'

export const HoldView = Type.Object({
  id: Type.String(),
  target_type: TargetType,
  target_id: Type.String(),
  pattern: Type.String({ description: 'A package name or a glob: * any characters, ? one character' }),
  reason: Type.Union([Type.String(), Type.Null()]),
  created_by_user_id: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String()
})

export const HoldListView = Type.Object({
  holds: Type.Array(
    Type.Object({ ...HoldView.properties, held_count: Type.Integer({ description: 'Outdated packages this hold keeps back' }) })
  ),
  held_count: Type.Integer({ description: 'Outdated (host, package) pairs any listed hold keeps back' })
})

export const CreateHoldBody = Type.Object({
  target_type: TargetType,
  target_id: Type.String({ minLength: 1, maxLength: 64 }),
  pattern: Type.String({ pattern: HOLD_PATTERN }),
  reason: Type.Optional(Type.String({ maxLength: 500 }))
})
export type CreateHoldBody = Static<typeof CreateHoldBody>

export const HoldListQuery = Type.Object({
  target_type: Type.Optional(TargetType),
  target_id: Type.Optional(Type.String({ maxLength: 64 }))
})

export const HostHoldsView = Type.Object({
  host_id: Type.String(),
  holds: Type.Array(HoldView),
  held_count: Type.Integer({ description: 'Outdated packages on this host that holds keep back' }),
  held_packages: Type.Array(Type.String()),
  installable_count: Type.Integer({ description: 'Outdated packages a run would install' })
})

export const HostIdParams = Type.Object({ hostId: Type.String({ maxLength: 64 }) })
