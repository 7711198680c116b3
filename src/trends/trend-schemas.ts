// The trend routes' TypeBox schemas (validation, serialisation, OpenAPI and the dashboard's types).
import { Type, type Static } from '@fastify/type-provider-typebox'

const Count = Type.Integer({ minimum: 0 })
const MaybeCount = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])
const MaybeDays = Type.Union([Type.Number({ minimum: 0 }), Type.Null()])
const Day = Type.String({ description: 'UTC date, YYYY-MM-DD' })

export const TrendWindowQuery = Type.Object({
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, description: 'How many days back (default 90)' }))
})

export const FleetTrendPoint = Type.Object({
  day: Day,
  hosts: Count,
  outdated_packages: Count,
  security_updates: Count,
  hosts_needing_reboot: Count,
  cves_open: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'null: no vulnerability source' }),
  days_since_patch: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], {
    description: 'Mean days since the last patch over hosts where one was seen'
  })
})

export const FleetTrendReply = Type.Object({
  from: Day,
  points: Type.Array(FleetTrendPoint)
})
export type FleetTrendReply = Static<typeof FleetTrendReply>

export const HostTrendPoint = Type.Object({
  day: Day,
  outdated_packages: Count,
  security_updates: Count,
  needs_reboot: Type.Boolean(),
  cves_open: MaybeCount,
  days_since_patch: MaybeDays
})

export const HostTrendReply = Type.Object({
  host_id: Type.String(),
  from: Day,
  last_patched_at: Type.Union([Type.String(), Type.Null()], { description: 'Latest report that showed fewer pending updates' }),
  points: Type.Array(HostTrendPoint)
})
export type HostTrendReply = Static<typeof HostTrendReply>

export const PatchTimeRow = Type.Object({
  group_id: Type.Union([Type.String(), Type.Null()], { description: 'null: all hosts the user may see' }),
  name: Type.String(),
  color: Type.Union([Type.String(), Type.Null()]),
  resolved: Type.Integer({ description: 'Security updates resolved in the window' }),
  open: Type.Integer({ description: 'Security updates still outstanding' }),
  mean_hours: Type.Union([Type.Number(), Type.Null()]),
  median_hours: Type.Union([Type.Number(), Type.Null()])
})

export const PatchTimeReply = Type.Object({
  since: Type.String({ description: 'Start of the window (ISO-8601)' }),
  groups: Type.Array(PatchTimeRow)
})
export type PatchTimeReply = Static<typeof PatchTimeReply>
