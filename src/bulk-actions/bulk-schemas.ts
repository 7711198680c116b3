// Request and reply shapes of bulk host actions (declared once: validation, serialisation, OpenAPI and
// the dashboard's types). A selection is either explicit host ids or the host list's own filters.
import { Type, type Static } from '@fastify/type-provider-typebox'
import { HostListQuery } from '../hosts/host-schemas.js'

/** The most hosts one request may act on: a batch runs inside one request (bcrypt per host for a rotation). */
export const MAX_BULK_HOSTS = 500

const ID = Type.String({ maxLength: 64 })

export const BulkBody = Type.Object(
  {
    action: Type.Union([
      Type.Literal('assign_groups'),
      Type.Literal('remove_groups'),
      Type.Literal('report_now'),
      Type.Literal('update_agent'),
      Type.Literal('rotate_credentials'),
      Type.Literal('delete')
    ]),
    host_ids: Type.Optional(
      Type.Array(ID, {
        minItems: 1,
        maxItems: 10_000,
        description: `explicit hosts (at most ${MAX_BULK_HOSTS} after duplicates are dropped)`
      })
    ),
    filter: Type.Optional(
      Type.Object(
        { search: HostListQuery.properties.search, group: HostListQuery.properties.group, status: HostListQuery.properties.status },
        { additionalProperties: false, description: 'every host the host list shows with these filters' }
      )
    ),
    host_group_ids: Type.Optional(
      Type.Array(ID, { minItems: 1, maxItems: 100, description: 'the groups to add the hosts to or remove them from' })
    )
  },
  { additionalProperties: false }
)
export type BulkBody = Static<typeof BulkBody>
export type BulkAction = BulkBody['action']

const nullableString = Type.Union([Type.String(), Type.Null()])

export const PreviewItem = Type.Object({
  host_id: Type.String(),
  friendly_name: nullableString,
  outcome: Type.Union([Type.Literal('apply'), Type.Literal('skip')]),
  reason: Type.Union([Type.String({ description: 'why the host is skipped' }), Type.Null()]),
  warning: Type.Union([Type.String({ description: 'what applying it costs this host' }), Type.Null()])
})

export const PreviewReply = Type.Object({
  action: Type.String(),
  summary: Type.String({ description: 'one sentence naming what will happen, e.g. "Delete 12 hosts: web-1, web-2, web-3 and 9 more; …"' }),
  warnings: Type.Array(Type.String()),
  host_ids: Type.Array(Type.String(), { description: 'the resolved selection: send it as host_ids to act on exactly these hosts' }),
  total: Type.Integer(),
  will_apply: Type.Integer(),
  will_skip: Type.Integer(),
  hosts: Type.Array(PreviewItem)
})

export const ResultItem = Type.Object({
  host_id: Type.String(),
  friendly_name: nullableString,
  status: Type.Union([Type.Literal('succeeded'), Type.Literal('skipped'), Type.Literal('failed')]),
  reason: nullableString,
  warning: nullableString,
  job_id: Type.Union([Type.String({ description: 'the agent job of a report_now or update_agent request' }), Type.Null()])
})

export const NewCredentials = Type.Object({
  host_id: Type.String(),
  friendly_name: Type.String(),
  api_id: Type.String(),
  api_key: Type.String({ description: 'shown only in this reply; stored as a bcrypt hash' })
})

export const RunReply = Type.Object({
  id: Type.String({ description: 'the batch id, named by its audit entries' }),
  action: Type.String(),
  summary: Type.String(),
  total: Type.Integer(),
  succeeded: Type.Integer(),
  skipped: Type.Integer(),
  failed: Type.Integer(),
  results: Type.Array(ResultItem),
  credentials: Type.Array(NewCredentials, { description: 'rotate_credentials only: each new pair, shown once' })
})

export type PreviewItem = Static<typeof PreviewItem>
export type ResultItem = Static<typeof ResultItem>
export type NewCredentials = Static<typeof NewCredentials>
