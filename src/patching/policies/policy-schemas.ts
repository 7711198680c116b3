// Patch policies on the wire: declared once for validation, types, serialisation and OpenAPI.
// Request bodies are lenient (unknown values reach the service, which answers upstream's 400s).
import { Type } from '@fastify/type-provider-typebox'

const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()])
const stamps = { created_at: Type.String(), updated_at: Type.String() }

export const Policy = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  patch_delay_type: Type.String(),
  delay_minutes: Nullable(Type.Integer()),
  fixed_time_utc: Nullable(Type.String()),
  timezone: Nullable(Type.String()),
  ...stamps
})
export const Assignment = Type.Object({
  id: Type.String(),
  patch_policy_id: Type.String(),
  target_type: Type.String(),
  target_id: Type.String(),
  ...stamps
})
export const Exclusion = Type.Object({ id: Type.String(), patch_policy_id: Type.String(), host_id: Type.String(), ...stamps })

/** GET /patching/policies: each policy with how many targets and exclusions it has. */
export const PolicyListView = Type.Array(
  Type.Object({ ...Policy.properties, _count: Type.Object({ assignments: Type.Integer(), exclusions: Type.Integer() }) })
)
/** GET /patching/policies/{id}: the policy with its assignments and exclusions. */
export const PolicyDetailView = Type.Object({
  ...Policy.properties,
  assignments: Type.Array(Assignment),
  exclusions: Type.Array(
    Type.Object({
      ...Exclusion.properties,
      hosts: Type.Object({ id: Type.String(), friendly_name: Type.String(), hostname: Nullable(Type.String()) })
    })
  )
})

export const PolicyBody = Type.Object(
  {
    name: Type.Optional(Type.Unknown()),
    description: Type.Optional(Type.Unknown()),
    patch_delay_type: Type.Optional(Type.Unknown()),
    delay_minutes: Type.Optional(Type.Unknown()),
    fixed_time_utc: Type.Optional(Type.Unknown()),
    timezone: Type.Optional(Type.Unknown())
  },
  { additionalProperties: true }
)
