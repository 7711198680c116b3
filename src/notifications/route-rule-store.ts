// Routing rules at rest and their rules: event names are stored under the spec's names (upstream
// aliases accepted), the destination and host groups must exist, group ids are kept once each.
import type { Static } from '@fastify/type-provider-typebox'
import type { Kysely } from 'kysely'
import { badRequest, COMMON, notFound } from '../http/errors.js'
import { ERROR_MESSAGES, fillMessage } from '../http/error-messages.js'
import { hostGroupSummary } from '../hosts/host-queries.js'
import { newId } from '../security/random-tokens.js'
import type { DB } from '../store/database-types.js'
import { canonicalEventName } from './event-catalog.js'
import type { CreateRouteInput, RouteView, UpdateRouteBody } from './notification-schemas.js'

const ROUTE_ERRORS = ERROR_MESSAGES.notificationRoutes
const ROUTE_NOT_FOUND = ROUTE_ERRORS.notFound.message

type RuleView = Static<typeof RouteView>

function canonicalEvents(names: string[]): string[] {
  const out = new Set<string>()
  for (const name of names) {
    const canonical = canonicalEventName(name.trim())
    if (!canonical) throw badRequest(fillMessage(ROUTE_ERRORS.unknownEventType, { name: name.slice(0, 64) }))
    out.add(canonical)
  }
  if (out.size === 0) throw badRequest(ROUTE_ERRORS.noEventTypes.message)
  return [...out]
}

async function assertReferences(db: Kysely<DB>, destinationId: string | undefined, groupIds: string[] | undefined): Promise<void> {
  if (destinationId !== undefined) {
    const found = await db.selectFrom('notification_destinations').select('id').where('id', '=', destinationId).executeTakeFirst()
    if (!found) throw badRequest(ERROR_MESSAGES.notificationDestinations.unknown.message)
  }
  if (groupIds && groupIds.length > 0) {
    // At most 100 ids (the schema's limit), checked through the hosts feature that owns the groups.
    for (const id of new Set(groupIds)) if (!(await hostGroupSummary(db, id))) throw badRequest(COMMON.hostGroupNotFound)
  }
}

export async function listRules(db: Kysely<DB>, id?: string): Promise<RuleView[]> {
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

async function ruleView(db: Kysely<DB>, id: string): Promise<RuleView> {
  const [rule] = await listRules(db, id)
  if (!rule) throw notFound(ROUTE_NOT_FOUND)
  return rule
}

export async function createRule(db: Kysely<DB>, body: CreateRouteInput): Promise<RuleView> {
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
  return ruleView(db, id)
}

export async function updateRule(db: Kysely<DB>, id: string, body: Static<typeof UpdateRouteBody>): Promise<RuleView> {
  const existing = await db.selectFrom('notification_routes').select('id').where('id', '=', id).executeTakeFirst()
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
  return ruleView(db, existing.id)
}

export async function deleteRule(db: Kysely<DB>, id: string): Promise<void> {
  const result = await db.deleteFrom('notification_routes').where('id', '=', id).executeTakeFirst()
  if (Number(result.numDeletedRows) === 0) throw notFound(ROUTE_NOT_FOUND)
}
