// "Mean time to patch a security update" per host group: over the security exposures resolved in
// the window (report-hook.ts: first seen -> first report without it), the mean and the median of
// their durations, in hours, for every group the user may see, plus one row for all their hosts.
// A host in several groups counts in each. Exposures still open are counted beside, never averaged
// (their end is unknown). Groups are the hosts' current groups.
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { groupsOfHosts } from '../hosts/host-queries.js'
import { listGroupViews } from '../hosts/host-group-queries.js'
import { exposuresForWindow } from './trend-read-queries.js'

export interface PatchTimeRow {
  group_id: string | null
  name: string
  color: string | null
  resolved: number
  open: number
  mean_hours: number | null
  median_hours: number | null
}

const HOUR_MS = 3_600_000
const IDS_PER_QUERY = 5_000

function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

const round2 = (n: number) => Math.round(n * 100) / 100

function summarise(durations: number[], open: number) {
  const sorted = [...durations].sort((a, b) => a - b)
  const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : null
  const mid = median(sorted)
  return {
    resolved: sorted.length,
    open,
    mean_hours: mean === null ? null : round2(mean),
    median_hours: mid === null ? null : round2(mid)
  }
}

export async function meanTimeToPatch(db: Kysely<DB>, since: Date): Promise<PatchTimeRow[]> {
  const exposures = await exposuresForWindow(db, since.toISOString())
  const hostIds = [...new Set(exposures.map((e) => e.host_id))]
  const groupsByHost = new Map<string, { id: string }[]>()
  for (let i = 0; i < hostIds.length; i += IDS_PER_QUERY) {
    for (const [hostId, groups] of await groupsOfHosts(db, hostIds.slice(i, i + IDS_PER_QUERY))) groupsByHost.set(hostId, groups)
  }
  // Only groups the user may see: a host of theirs may also belong to a group outside their scope.
  const groups = await listGroupViews(db)
  const perGroup = new Map(groups.map((g) => [g.id, { durations: [] as number[], open: 0 }]))
  const all = { durations: [] as number[], open: 0 }
  for (const e of exposures) {
    const buckets = [all, ...(groupsByHost.get(e.host_id) ?? []).flatMap((g) => perGroup.get(g.id) ?? [])]
    for (const bucket of buckets) {
      if (e.resolved_at === null) bucket.open++
      else bucket.durations.push((Date.parse(e.resolved_at) - Date.parse(e.first_seen_at)) / HOUR_MS)
    }
  }
  return [
    { group_id: null, name: 'All hosts', color: null, ...summarise(all.durations, all.open) },
    ...groups.map((g) => {
      const bucket = perGroup.get(g.id) ?? { durations: [], open: 0 }
      return { group_id: g.id, name: g.name, color: g.color, ...summarise(bucket.durations, bucket.open) }
    })
  ]
}
