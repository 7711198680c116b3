// The trend reads' rules: the window in days back from the trends clock, 404 for a host the user
// may not see (or that does not exist), booleans and nulls as the API shows them.
import type { FastifyInstance } from 'fastify'
import { COMMON, notFound } from '../http/errors.js'
import { hostColumns } from '../hosts/host-queries.js'
import { dayBefore } from './trend-day.js'
import { fleetDays, hostDays, hostLastPatched } from './trend-read-queries.js'
import { meanTimeToPatch } from './mean-time-to-patch.js'
import type { FleetTrendReply, HostTrendReply, PatchTimeReply } from './trend-schemas.js'

/** The first day shown for a window of `days` days ending today. */
const windowStart = (app: FastifyInstance, days: number) => dayBefore(app.trends.now(), days - 1)

export async function fleetTrend(app: FastifyInstance, days: number): Promise<FleetTrendReply> {
  const from = windowStart(app, days)
  return { from, points: await fleetDays(app.store.db, from) }
}

export async function hostTrend(app: FastifyInstance, hostId: string, days: number): Promise<HostTrendReply> {
  if (!(await hostColumns(app.store.db, hostId, ['id']))) throw notFound(COMMON.hostNotFound)
  const from = windowStart(app, days)
  const rows = await hostDays(app.store.db, hostId, from)
  return {
    host_id: hostId,
    from,
    last_patched_at: await hostLastPatched(app.store.db, hostId),
    points: rows.map((r) => ({ ...r, needs_reboot: r.needs_reboot === 1 }))
  }
}

export async function patchTimes(app: FastifyInstance, days: number): Promise<PatchTimeReply> {
  const since = new Date(app.trends.now().getTime() - days * 86_400_000)
  return { since: since.toISOString(), groups: await meanTimeToPatch(app.store.db, since) }
}
