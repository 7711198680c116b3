// What holds, windows and schedules apply to: one host or one host group. A target is checked when it
// is saved (404 naming what is missing) and resolved to hosts when it is used, so a host that joins a
// group later is covered by the group's schedule, windows and holds from then on.
import type { Kysely } from 'kysely'
import { Type, type Static } from '@fastify/type-provider-typebox'
import type { DB } from '../store/database-types.js'
import { COMMON, notFound } from '../http/errors.js'
import { groupsOfHost, hostById, hostIdsInGroup } from '../hosts/host-read-queries.js'
import { hostGroupSummary } from '../hosts/host-queries.js'

export const TargetType = Type.Union([Type.Literal('host'), Type.Literal('host_group')])
export type TargetType = Static<typeof TargetType>

export interface PatchTarget {
  target_type: TargetType
  target_id: string
}

/** The target's display name; 404 when the host or group does not exist. */
export async function checkedTargetName(db: Kysely<DB>, target: PatchTarget): Promise<string> {
  if (target.target_type === 'host') {
    const host = await hostById(db, target.target_id)
    if (!host) throw notFound(COMMON.hostNotFound)
    return host.friendly_name
  }
  const group = await hostGroupSummary(db, target.target_id)
  if (!group) throw notFound(COMMON.hostGroupNotFound)
  return group.name
}

/** The hosts a target covers today (a deleted host or group covers none). */
export async function hostsOfTarget(db: Kysely<DB>, target: PatchTarget): Promise<string[]> {
  if (target.target_type === 'host_group') return hostIdsInGroup(db, target.target_id)
  return (await hostById(db, target.target_id)) ? [target.target_id] : []
}

/** Every target that covers a host: the host itself and each of its groups. */
export async function targetsCoveringHost(db: Kysely<DB>, hostId: string): Promise<PatchTarget[]> {
  const groups = await groupsOfHost(db, hostId)
  return [{ target_type: 'host', target_id: hostId }, ...groups.map((g) => ({ target_type: 'host_group' as const, target_id: g.id }))]
}
