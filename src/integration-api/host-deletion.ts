// DELETE /api/v1/api/hosts/:id behind the route: the host goes with its host_deleted event in one
// transaction (the event names the host by hostname, as this API does), its credentials are
// forgotten at once, and the event is emitted after commit.
import type { FastifyInstance } from 'fastify'
import { emitCommitted } from '../events/event-outbox.js'
import { deleteHostWithEvent } from '../hosts/host-service.js'
import type { HostRow } from '../store/database-types.js'

/** The Integration API names a host by its hostname, falling back to the friendly name. */
const apiHostName = (host: HostRow): string => host.hostname || host.friendly_name

/** Deletes the host; undefined when there is none. */
export async function deleteHostThroughApi(app: FastifyInstance, hostId: string): Promise<HostRow | undefined> {
  const deleted = await deleteHostWithEvent(app.store.db, hostId, apiHostName)
  if (!deleted) return undefined
  app.credentialCache.forgetOwner(deleted.host.id)
  emitCommitted(app.events, deleted.event)
  return deleted.host
}

/** The `deleted` block of the reply. */
export function deletedHostView(host: HostRow) {
  return { id: host.id, friendly_name: host.friendly_name, hostname: apiHostName(host) }
}
