// The bulk request body: declared once for validation, types and OpenAPI.
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
