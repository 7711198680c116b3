// Bulk patching on the wire: the request body and the batch view, declared once for validation,
// types, serialisation and OpenAPI.
import { Type } from '@fastify/type-provider-typebox'
import { PACKAGE_NAME } from '../schedules/schedule-schemas.js'

export const BulkBody = Type.Object({
  host_ids: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 1000 })),
  host_group_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  patch_type: Type.Union([Type.Literal('patch_all'), Type.Literal('patch_package')]),
  package_names: Type.Optional(Type.Array(PACKAGE_NAME, { maxItems: 100 })),
  dry_run: Type.Optional(Type.Boolean()),
  reboot: Type.Optional(Type.Union([Type.Literal('never'), Type.Literal('after'), Type.Literal('if_required')])),
  concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, description: 'Hosts patched at once (default 5)' }))
})

const nullableString = Type.Union([Type.String(), Type.Null()])

const Counts = Type.Object({
  total: Type.Integer(),
  pending: Type.Integer(),
  dispatched: Type.Integer(),
  completed: Type.Integer(),
  failed: Type.Integer(),
  skipped: Type.Integer()
})
/** A batch with its progress and per-host outcome. */
export const BatchView = Type.Object({
  id: Type.String(),
  status: Type.String({ description: 'running | finished' }),
  patch_type: Type.String(),
  package_names: Type.Array(Type.String()),
  dry_run: Type.Boolean(),
  reboot: Type.String(),
  concurrency: Type.Integer(),
  created_by_user_id: nullableString,
  created_at: Type.String(),
  finished_at: nullableString,
  summary: Counts,
  items: Type.Array(
    Type.Object({
      host_id: Type.String(),
      host_name: nullableString,
      status: Type.String(),
      patch_run_id: nullableString,
      reason: nullableString,
      updated_at: Type.String()
    })
  )
})
export const BatchListView = Type.Object({ batches: Type.Array(BatchView) })
