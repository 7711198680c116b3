// Which destinations an event goes to: a rule matches when it and its destination are enabled,
// it names the event (or "*"), the event's severity reaches its minimum, and — when the rule lists
// host groups — the event's host is in one of them. No rule, no delivery.
import type { Kysely } from 'kysely'
import { groupsOfHosts } from '../hosts/host-queries.js'
import type { DB, RouteRow } from '../store/database-types.js'
import { severityRank } from './notice.js'

export interface RoutableEvent {
  eventType: string
  severity: string
  hostId?: string
}

export function ruleMatches(rule: RouteRow, event: RoutableEvent, hostGroupIds: ReadonlySet<string>): boolean {
  if (rule.enabled !== 1) return false
  const types = JSON.parse(rule.event_types) as string[]
  if (!types.includes('*') && !types.includes(event.eventType)) return false
  if (severityRank(event.severity) < severityRank(rule.min_severity)) return false
  const groups = JSON.parse(rule.host_group_ids) as string[]
  if (groups.length > 0 && !groups.some((g) => hostGroupIds.has(g))) return false
  return true
}

/** Ids of the enabled destinations at least one rule sends this event to (each once). */
export async function matchingDestinations(db: Kysely<DB>, event: RoutableEvent): Promise<string[]> {
  const rules = await db
    .selectFrom('notification_routes as r')
    .innerJoin('notification_destinations as d', 'd.id', 'r.destination_id')
    .selectAll('r')
    .where('r.enabled', '=', 1)
    .where('d.enabled', '=', 1)
    .execute()
  if (rules.length === 0) return []
  const groups = event.hostId
    ? new Set(((await groupsOfHosts(db, [event.hostId])).get(event.hostId) ?? []).map((g) => g.id))
    : new Set<string>()
  return [...new Set(rules.filter((rule) => ruleMatches(rule, event, groups)).map((rule) => rule.destination_id))]
}
