// /api/v1/notifications/routes: routing rules (destination + events + minimum severity + optional
// host groups). Upstream's event names are accepted and stored under the spec's names.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import type { Kysely } from 'kysely'
import { badRequest, COMMON, notFound } from '../http/errors.js'
import { SECURITY } from '../http/openapi.js'
import { newId } from '../security/random-tokens.js'
import type { DB } from '../store/database-types.js'
import { canonicalEventName } from './event-catalog.js'
import { DESTINATION_NOT_FOUND } from './destination-routes.js'
import { CreateRouteBody, IdParams, Message, ROUTE_MESSAGES, RouteView, UpdateRouteBody } from './notification-schemas.js'

const ROUTE_NOT_FOUND = 'Routing rule not found'

function canonicalEvents(names: string[]): string[] {
  const out = new Set<string>()
  for (const name of names) {
    const canonical = canonicalEventName(name.trim())
    if (!canonical) throw badRequest(`Unknown event type: ${name.slice(0, 64)}`)
    out.add(canonical)
  }
  if (out.size === 0) throw badRequest('Choose at least one event type')
  return [...out]
}

async function assertReferences(db: Kysely<DB>, destinationId: string | undefined, groupIds: string[] | undefined): Promise<void> {
  if (destinationId !== undefined) {
    const found = await db.selectFrom('notification_destinations').select('id').where('id', '=', destinationId).executeTakeFirst()
    if (!found) throw badRequest(DESTINATION_NOT_FOUND)
  }
  if (groupIds && groupIds.length > 0) {
    const found = await db.selectFrom('host_groups').select('id').where('id', 'in', groupIds).execute()
    if (found.length !== new Set(groupIds).size) throw badRequest(COMMON.hostGroupNotFound)
  }
}

async function listRules(db: Kysely<DB>, id?: string) {
  let query = db
    .selectFrom('notification_routes as r')
    .innerJoin('notification_destinations as d', 'd.id', 'r.destination_id')
    .selectAll('r')
    .select('d.display_name as destination_name')
  if (id) query = query.where('r.id', '=', id)
  const rows = await query.orderBy('r.created_at').execute()
  return rows.map((r) => ({
    ...r,
    event_types: JSON.parse(r.event_types) as string[],
    host_group_ids: JSON.parse(r.host_group_ids) as string[],
    enabled: r.enabled === 1
  }))
}

export const routeRuleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.store.db
  const manage = { preHandler: app.requirePermission('can_manage_notifications') }
  const config = { rateLimit: app.rateLimitBucket('general'), validationShape: 'single' as const, validationMessages: ROUTE_MESSAGES }
  const TAGS = ['notifications']

  app.get(
    '/api/v1/notifications/routes',
    {
      schema: { tags: TAGS, summary: 'List routing rules', security: SECURITY.bearer, response: { 200: Type.Array(RouteView) } },
      ...manage,
      config
    },
    async () => listRules(db)
  )

  app.post(
    '/api/v1/notifications/routes',
    {
      schema: {
        tags: TAGS,
        summary: 'Add a routing rule: no rule, no delivery',
        security: SECURITY.bearer,
        body: CreateRouteBody,
        response: { 201: RouteView }
      },
      ...manage,
      config
    },
    async (request, reply) => {
      const body = request.body
      const events = canonicalEvents(body.event_types ?? ['*'])
      await assertReferences(db, body.destination_id, body.host_group_ids)
      const now = new Date().toISOString()
      const id = newId()
      await db
        .insertInto('notification_routes')
        .values({
          id,
          destination_id: body.destination_id,
          event_types: JSON.stringify(events),
          min_severity: body.min_severity ?? 'informational',
          host_group_ids: JSON.stringify([...new Set(body.host_group_ids ?? [])]),
          enabled: body.enabled === false ? 0 : 1,
          created_at: now,
          updated_at: now
        })
        .execute()
      const [rule] = await listRules(db, id)
      return reply.code(201).send(rule!)
    }
  )

  app.put(
    '/api/v1/notifications/routes/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Update a routing rule',
        security: SECURITY.bearer,
        params: IdParams,
        body: UpdateRouteBody,
        response: { 200: RouteView }
      },
      ...manage,
      config
    },
    async (request) => {
      const body = request.body
      const existing = await db.selectFrom('notification_routes').select('id').where('id', '=', request.params.id).executeTakeFirst()
      if (!existing) throw notFound(ROUTE_NOT_FOUND)
      const events = body.event_types ? canonicalEvents(body.event_types) : undefined
      await assertReferences(db, body.destination_id, body.host_group_ids)
      await db
        .updateTable('notification_routes')
        .set({
          ...(body.destination_id !== undefined ? { destination_id: body.destination_id } : {}),
          ...(events ? { event_types: JSON.stringify(events) } : {}),
          ...(body.min_severity !== undefined ? { min_severity: body.min_severity } : {}),
          ...(body.host_group_ids !== undefined ? { host_group_ids: JSON.stringify([...new Set(body.host_group_ids)]) } : {}),
          ...(body.enabled !== undefined ? { enabled: body.enabled ? 1 : 0 } : {}),
          updated_at: new Date().toISOString()
        })
        .where('id', '=', existing.id)
        .execute()
      const [rule] = await listRules(db, existing.id)
      return rule!
    }
  )

  app.delete(
    '/api/v1/notifications/routes/:id',
    {
      schema: { tags: TAGS, summary: 'Delete a routing rule', security: SECURITY.bearer, params: IdParams, response: { 200: Message } },
      ...manage,
      config
    },
    async (request) => {
      const result = await db.deleteFrom('notification_routes').where('id', '=', request.params.id).executeTakeFirst()
      if (Number(result.numDeletedRows) === 0) throw notFound(ROUTE_NOT_FOUND)
      return { message: 'Routing rule deleted successfully' }
    }
  )
}
