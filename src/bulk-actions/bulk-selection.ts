// Which hosts a bulk request names: explicit host_ids or the host list's filters, bounded by
// MAX_BULK_HOSTS. Only hosts in the caller's scope are found (hosts/host-scope.ts): a foreign id is
// reported back exactly like an id that does not exist ("Host not found"), and a filter never
// resolves to a foreign host.
import type { FastifyInstance } from 'fastify'
import { ApiError, badRequest, COMMON, errorOf } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { hostGroupSummary, hostsForActions, matchingHostIds } from '../hosts/host-queries.js'
import { MAX_BULK_HOSTS, type BulkBody } from './bulk-schemas.js'

const E = ERROR_MESSAGES.hostBulk

export type SelectedHost = Awaited<ReturnType<typeof hostsForActions>>[number]

export interface Selection {
  /** The ids in the order the caller gave them (a filter: name order), without duplicates. */
  order: string[]
  /** The hosts among them that exist and that the caller may see. */
  hosts: Map<string, SelectedHost>
}

function tooMany(count: number): ApiError {
  const detail = E.tooManyHosts.detail
  return errorOf(E.tooManyHosts, { message: detail(MAX_BULK_HOSTS, count), max: MAX_BULK_HOSTS, selected: count })
}

export async function resolveSelection(app: FastifyInstance, body: BulkBody): Promise<Selection> {
  if ((body.host_ids === undefined) === (body.filter === undefined)) throw errorOf(E.selectionRequired)
  let order: string[]
  if (body.filter !== undefined) {
    const clock = { updateIntervalMinutes: await app.settings.get('update_interval'), nowMs: Date.now() }
    const matched = await matchingHostIds(app.store.db, body.filter, clock, MAX_BULK_HOSTS)
    if (matched.total > MAX_BULK_HOSTS) throw tooMany(matched.total)
    order = matched.ids
  } else {
    order = [...new Set(body.host_ids)]
    if (order.length > MAX_BULK_HOSTS) throw tooMany(order.length)
  }
  if (order.length === 0) throw errorOf(E.noHosts)
  const rows = await hostsForActions(app.store.db, order)
  return { order, hosts: new Map(rows.map((r) => [r.id, r])) }
}

/** The chosen groups of assign_groups / remove_groups, checked like the single-host route checks them (400 "Host group not found"). */
export async function chosenGroups(app: FastifyInstance, body: BulkBody): Promise<Array<{ id: string; name: string }>> {
  const grouped = body.action === 'assign_groups' || body.action === 'remove_groups'
  if (!grouped) {
    if (body.host_group_ids !== undefined) throw errorOf(E.groupsNotAllowed)
    return []
  }
  if (body.host_group_ids === undefined) throw errorOf(E.groupsRequired)
  const groups: Array<{ id: string; name: string }> = []
  for (const id of new Set(body.host_group_ids)) {
    const group = await hostGroupSummary(app.store.db, id)
    if (!group) throw badRequest(COMMON.hostGroupNotFound)
    groups.push({ id: group.id, name: group.name })
  }
  return groups
}
