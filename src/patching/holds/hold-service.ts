// Package holds: names or globs (`linux-image-*`) that runs on a host never install, set on the host
// or on one of its groups. Every run passes through holdsPreparer before it is stored, so the agent
// only ever receives names that are not held: patch_all becomes patch_package with the host's
// outdated packages minus the held ones, and a package list loses its held names.
import type { Kysely } from 'kysely'
import type { DB } from '../../store/database-types.js'
import { ApiError, conflict, notFound } from '../../http/errors.js'
import { ERROR_MESSAGES } from '../../http/error-messages.js'
import { hostPackageRows } from '../../hosts/host-read-queries.js'
import { newId } from '../../security/random-tokens.js'
import { hostsOfTarget, targetsCoveringHost, type PatchTarget, type TargetType } from '../patch-targets.js'
import { deleteHold, findHold, findHoldByPattern, holdsForTargets, insertHold, type HoldRow } from './hold-queries.js'

const M = ERROR_MESSAGES.patchHolds

/** A package name (the agent's own rule) with `*` and `?` allowed anywhere. */
export const HOLD_PATTERN = '^[a-zA-Z0-9*?][a-zA-Z0-9._+*?-]{0,255}$'

export function globMatcher(pattern: string): (name: string) => boolean {
  const source = pattern
    .replace(/[.+\\^$()[\]{}|-]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  const re = new RegExp(`^${source}$`)
  return (name) => re.test(name)
}

export interface HostHolds {
  holds: HoldRow[]
  isHeld(name: string): boolean
}

export async function holdsOfHost(db: Kysely<DB>, hostId: string): Promise<HostHolds> {
  const holds = await holdsForTargets(db, await targetsCoveringHost(db, hostId))
  const matchers = holds.map((h) => globMatcher(h.pattern))
  return { holds, isHeld: (name) => matchers.some((m) => m(name)) }
}

/** A host's outdated packages split into installable and held (the "N held" of the host and fleet surfaces). */
export async function outdatedSplit(db: Kysely<DB>, hostId: string) {
  const { holds, isHeld } = await holdsOfHost(db, hostId)
  const outdated = await hostPackageRows(db, hostId, true)
  const held = outdated.filter((p) => isHeld(p.name))
  const free = outdated.filter((p) => !isHeld(p.name))
  return { holds, held, free }
}

/**
 * The fleet's "N held": for each hold, the outdated packages it keeps back on the hosts it covers, and
 * the total of distinct (host, package) pairs kept back by any hold.
 */
export async function heldCounts(db: Kysely<DB>, holds: HoldRow[]): Promise<{ perHold: Map<string, number>; total: number }> {
  const outdatedByHost = new Map<string, string[]>()
  const outdatedOf = async (hostId: string) => {
    let names = outdatedByHost.get(hostId)
    if (!names) {
      names = (await hostPackageRows(db, hostId, true)).map((p) => p.name)
      outdatedByHost.set(hostId, names)
    }
    return names
  }
  const perHold = new Map<string, number>()
  const pairs = new Set<string>()
  for (const hold of holds) {
    const matches = globMatcher(hold.pattern)
    let count = 0
    for (const hostId of await hostsOfTarget(db, { target_type: hold.target_type as TargetType, target_id: hold.target_id })) {
      for (const name of (await outdatedOf(hostId)).filter(matches)) {
        count++
        pairs.add(`${hostId}\u0000${name}`)
      }
    }
    perHold.set(hold.id, count)
  }
  return { perHold, total: pairs.size }
}

export async function addHold(
  db: Kysely<DB>,
  target: PatchTarget,
  pattern: string,
  reason: string | null,
  userId: string | null
): Promise<HoldRow> {
  if (await findHoldByPattern(db, target, pattern)) throw conflict(M.duplicate.message)
  const row: HoldRow = { id: newId(), ...target, pattern, reason, created_by_user_id: userId, created_at: new Date().toISOString() }
  await insertHold(db, row)
  return row
}

export async function removeHold(db: Kysely<DB>, id: string): Promise<HoldRow> {
  const row = await findHold(db, id)
  if (!row || !(await deleteHold(db, id))) throw notFound(M.notFound.message)
  return row
}

/** What a run asks for, as far as holds are concerned. */
export interface HoldableRun {
  hostId: string
  patchType: string
  packageNames?: string[]
}

/**
 * The run with held names taken out. patch_all on a host with holds becomes patch_package with the
 * outdated packages that are not held; a list loses its held names. Nothing left → 409 naming them.
 */
export async function withoutHeldPackages<T extends HoldableRun>(db: Kysely<DB>, run: T): Promise<T> {
  if (run.patchType !== 'patch_all' && run.patchType !== 'patch_package') return run
  const { holds, isHeld } = await holdsOfHost(db, run.hostId)
  if (holds.length === 0) return run
  if (run.patchType === 'patch_all') {
    const outdated = await hostPackageRows(db, run.hostId, true)
    const free = outdated.filter((p) => !isHeld(p.name)).map((p) => p.name)
    const held = outdated.filter((p) => isHeld(p.name)).map((p) => p.name)
    // Always a list once holds exist: a full upgrade would also install a held package that became
    // outdated after the host's last report.
    if (free.length === 0) throw everythingHeld(held)
    return { ...run, patchType: 'patch_package', packageNames: free }
  }
  const names = run.packageNames ?? []
  const held = names.filter(isHeld)
  if (held.length === 0) return run
  const free = names.filter((n) => !isHeld(n))
  if (free.length === 0) throw everythingHeld(held)
  return { ...run, packageNames: free }
}

function everythingHeld(held: string[]): ApiError {
  if (held.length === 0) return new ApiError(M.nothingToPatch.status, { error: M.nothingToPatch.message })
  const shown = held.slice(0, 10).join(', ') + (held.length > 10 ? ` and ${held.length - 10} more` : '')
  return new ApiError(M.everythingHeld.status, { error: M.everythingHeld.message, message: `Held on this host: ${shown}` })
}
