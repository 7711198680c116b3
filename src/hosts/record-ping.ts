// A ping is a heartbeat: last_update = now, pending -> active, plus whatever metrics a 2.x
// check-in carried ("only overwrite what was sent").
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import type { HostFactColumns } from './host-facts.js'

export interface PingedHost {
  friendly_name: string
  hostname: string | null
  api_id: string
}

export async function recordPing(db: Kysely<DB>, hostId: string, columns: HostFactColumns, now: Date): Promise<PingedHost | undefined> {
  const at = now.toISOString()
  return db
    .updateTable('hosts')
    .set({ ...columns, status: 'active', last_update: at, updated_at: at })
    .where('id', '=', hostId)
    .returning(['friendly_name', 'hostname', 'api_id'])
    .executeTakeFirst()
}
