// The two host changes that also reach outside the database: deleting a host and rotating its agent
// key both forget the verified-key cache and tell the agent channel (events close its links). One
// function each, so the single-host routes and bulk host actions (src/bulk-actions) do exactly the same.
import type { FastifyInstance } from 'fastify'
import type { HostRow } from '../store/database-types.js'
import { emitCommitted } from '../events/event-outbox.js'
import { deleteHostWithEvent, regenerateHostCredentials } from './host-service.js'

/** Deletes the host (its history cascades) and emits host_deleted after commit; undefined when there is no such host. */
export async function removeHost(app: FastifyInstance, hostId: string): Promise<HostRow | undefined> {
  const deleted = await deleteHostWithEvent(app.store.db, hostId)
  if (!deleted) return undefined
  app.credentialCache.forgetOwner(deleted.host.id)
  emitCommitted(app.events, deleted.event)
  return deleted.host
}

/**
 * A new API id and key (the key in plaintext: show it once, never log or store it); the old key
 * stops working at once and links opened with it are closed. Undefined when there is no such host.
 */
export async function rotateHostCredentials(app: FastifyInstance, hostId: string): Promise<{ apiId: string; apiKey: string } | undefined> {
  const creds = await regenerateHostCredentials(app.store.db, hostId)
  if (!creds) return undefined
  app.credentialCache.forgetOwner(hostId)
  app.events.emit('host_credentials_regenerated', { hostId })
  return creds
}
