// The history of containers that stopped (docker_container_events): written by the inventory
// replace in its own transaction (docker-inventory.ts), read by the Docker screen and the host's
// Docker tab. Retention is enforced in the same write, so no timer is needed: rows older than
// CONTAINER_EVENTS_RETENTION_DAYS go fleet-wide (an indexed range delete that finds nothing on
// most writes), and a host keeps at most CONTAINER_EVENTS_KEPT_PER_HOST rows (a container in a
// crash loop stops on every inventory and would otherwise grow the table without bound).
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { newId } from '../security/random-tokens.js'
import { inHostScope } from '../hosts/host-scope.js'
import { containsText } from '../hosts/text-search.js'

export const CONTAINER_EVENTS_RETENTION_DAYS = 90
export const CONTAINER_EVENTS_KEPT_PER_HOST = 500

export interface ContainerStop {
  containerId: string
  container: string
  image: string
  oldStatus: string
  newStatus: string
}

/** Inside the inventory's transaction: `trx` must be the transaction. */
export async function recordContainerStops(trx: Kysely<DB>, hostId: string, stops: ContainerStop[], now: Date): Promise<void> {
  const at = now.toISOString()
  for (const stop of stops)
    await trx
      .insertInto('docker_container_events')
      .values({
        id: newId(),
        host_id: hostId,
        container_id: stop.containerId,
        container_name: stop.container,
        image: stop.image,
        old_state: stop.oldStatus,
        new_state: stop.newStatus,
        occurred_at: at
      })
      .execute()
  const cutoff = new Date(now.getTime() - CONTAINER_EVENTS_RETENTION_DAYS * 86_400_000).toISOString()
  await trx.deleteFrom('docker_container_events').where('occurred_at', '<', cutoff).execute()
  if (stops.length === 0) return
  // The newest N rows of this host stay; everything past them goes.
  const keep = trx
    .selectFrom('docker_container_events')
    .select('id')
    .where('host_id', '=', hostId)
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(CONTAINER_EVENTS_KEPT_PER_HOST)
  await trx.deleteFrom('docker_container_events').where('host_id', '=', hostId).where('id', 'not in', keep).execute()
}

export interface ContainerEventFilter {
  hostId?: string | undefined
  search?: string | undefined
  limit: number
  offset: number
}

/** Stopped containers, newest first, within the user's host scope; with the filtered total. */
export async function containerEventsPage(db: Kysely<DB>, filter: ContainerEventFilter) {
  const base = () => {
    let q = db.selectFrom('docker_container_events as e').where(inHostScope('e.host_id'))
    if (filter.hostId) q = q.where('e.host_id', '=', filter.hostId)
    const search = filter.search?.trim()
    if (search) q = q.where((eb) => eb.or([containsText(eb.ref('e.container_name'), search), containsText(eb.ref('e.image'), search)]))
    return q
  }
  const rows = await base()
    .select(['e.id', 'e.host_id', 'e.container_id', 'e.container_name', 'e.image', 'e.old_state', 'e.new_state', 'e.occurred_at'])
    .orderBy('e.occurred_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute()
  const count = await base()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return { rows, total: Number(count.n) }
}
