// What a bulk action will do to each selected host, decided by one function that both the preview
// and the action call: the preview shows the plan, the action recomputes it at the moment it runs and
// applies the hosts marked "apply". So the preview is what then happens, unless the fleet changed
// in between (an agent reconnected, a host was deleted), and then the action follows the fleet.
import type { FastifyInstance } from 'fastify'
import { COMMON } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { visibleGroupIdsOfHosts } from '../hosts/host-queries.js'
import { isNewerVersion } from '../agent/version-compare.js'
import { chosenGroups, resolveSelection, type SelectedHost } from './bulk-selection.js'
import type { BulkAction, BulkBody, PreviewItem } from './bulk-schemas.js'

const E = ERROR_MESSAGES.hostBulk
/** Agents before 1.3.0 were scripts run by cron: they report, but hold no channel to receive requests. */
const FIRST_LIVE_AGENT = '1.3.0'

export interface Plan {
  action: BulkAction
  groups: Array<{ id: string; name: string }>
  /** Each selected id in order with its decision. */
  items: PreviewItem[]
  hosts: Map<string, SelectedHost>
  /** Each host's groups as the caller sees them (group actions only). */
  currentGroups: Map<string, string[]>
}

const apply = (host: SelectedHost, warning: string | null = null): PreviewItem => ({
  host_id: host.id,
  friendly_name: host.friendly_name,
  outcome: 'apply',
  reason: null,
  warning
})
const skip = (hostId: string, name: string | null, reason: string): PreviewItem => ({
  host_id: hostId,
  friendly_name: name,
  outcome: 'skip',
  reason,
  warning: null
})

/** Why a request cannot reach this host's agent now, or null when a live link is open. */
function unreachableReason(app: FastifyInstance, host: SelectedHost): string | null {
  if (app.agentConnections.isConnected(host.id)) return null
  if (host.agent_version === null && host.last_update === null) return E.agentNeverReported.message
  if (host.agent_version !== null && isNewerVersion(FIRST_LIVE_AGENT, host.agent_version)) return E.legacyAgent.message(host.agent_version)
  return E.agentNotConnected.message
}

function decide(app: FastifyInstance, plan: Omit<Plan, 'items'>, host: SelectedHost): PreviewItem {
  const chosen = plan.groups.map((g) => g.id)
  switch (plan.action) {
    case 'assign_groups': {
      const current = new Set(plan.currentGroups.get(host.id) ?? [])
      return chosen.every((g) => current.has(g)) ? skip(host.id, host.friendly_name, E.alreadyInGroups.message) : apply(host)
    }
    case 'remove_groups': {
      const current = new Set(plan.currentGroups.get(host.id) ?? [])
      return chosen.some((g) => current.has(g)) ? apply(host) : skip(host.id, host.friendly_name, E.inNoneOfGroups.message)
    }
    case 'report_now':
    case 'update_agent': {
      // Whether an update is needed is the agent's call (it compares versions itself), as for one host.
      const unreachable = unreachableReason(app, host)
      return unreachable ? skip(host.id, host.friendly_name, unreachable) : apply(host)
    }
    case 'rotate_credentials': {
      // No agent (1.3.x, 2.x or ours) can be sent a new key: one that is running stops reporting.
      const running = host.last_update !== null || app.agentConnections.isConnected(host.id)
      return apply(host, running ? E.keyNotDelivered.message : null)
    }
    case 'delete':
      return apply(host)
  }
}

export async function planBatch(app: FastifyInstance, body: BulkBody): Promise<Plan> {
  const groups = await chosenGroups(app, body)
  const { order, hosts } = await resolveSelection(app, body)
  const grouped = body.action === 'assign_groups' || body.action === 'remove_groups'
  const currentGroups = grouped ? await visibleGroupIdsOfHosts(app.store.db, [...hosts.keys()]) : new Map<string, string[]>()
  const partial = { action: body.action, groups, hosts, currentGroups }
  const items = order.map((id) => {
    const host = hosts.get(id)
    return host ? decide(app, partial, host) : skip(id, null, COMMON.hostNotFound)
  })
  return { ...partial, items }
}
