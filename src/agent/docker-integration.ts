// Which hosts' agents are told to collect Docker data. The 2.x agent asks GET
// /api/v1/hosts/integrations at start-up and rewrites its own config.yml to match the answer
// (facts: agent-protocol §2.6), so this list, not the agent's file, decides whether a host sends
// its Docker inventory. Off unless someone turns it on for the host.
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'

export async function dockerIntegrationEnabled(db: Kysely<DB>, hostId: string): Promise<boolean> {
  return (await db.selectFrom('docker_integration_hosts').select('host_id').where('host_id', '=', hostId).executeTakeFirst()) !== undefined
}

export async function setDockerIntegration(db: Kysely<DB>, hostId: string, enabled: boolean, now: Date): Promise<void> {
  if (enabled)
    await db
      .insertInto('docker_integration_hosts')
      .values({ host_id: hostId, enabled_at: now.toISOString() })
      .onConflict((oc) => oc.column('host_id').doNothing())
      .execute()
  else await db.deleteFrom('docker_integration_hosts').where('host_id', '=', hostId).execute()
}
