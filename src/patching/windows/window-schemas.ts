// Maintenance windows on the wire: declared once for validation, types, serialisation and OpenAPI.
import { Type } from '@fastify/type-provider-typebox'
import { TargetType } from '../patch-targets.js'
import { CronOrPicker } from '../patch-cron.js'

const nullableString = Type.Union([Type.String(), Type.Null()])

export const WindowView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  target_type: TargetType,
  target_id: Type.String(),
  cron: Type.String(),
  duration_minutes: Type.Integer(),
  timezone: Type.String(),
  next_opening_at: nullableString,
  created_at: Type.String(),
  updated_at: Type.String()
})

export const WindowListView = Type.Object({ windows: Type.Array(WindowView) })

export const CreateWindowBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  target_type: TargetType,
  target_id: Type.String({ minLength: 1, maxLength: 64 }),
  ...CronOrPicker,
  duration_minutes: Type.Integer({ minimum: 5, maximum: 10_080 })
})

export const HostWindowView = Type.Object({
  host_id: Type.String(),
  has_windows: Type.Boolean(),
  open_now: Type.Boolean(),
  current: Type.Union([
    Type.Object({ window_id: Type.String(), name: Type.String(), opens_at: Type.String(), closes_at: Type.String() }),
    Type.Null()
  ]),
  next: Type.Union([
    Type.Object({ window_id: Type.String(), name: Type.String(), opens_at: Type.String(), closes_at: Type.String() }),
    Type.Null()
  ])
})
