// Reads of the open host-down alerts (host_alert_states) for other features: a scheduled report's
// "Open alerts" section lists them. The host-down monitor writes the table.
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'

export interface OpenAlert {
  host_id: string
  down_since: string
}

/** Hosts currently reported down, the longest-down first. */
export async function listOpenAlerts(db: Kysely<DB>): Promise<OpenAlert[]> {
  return db.selectFrom('host_alert_states').select(['host_id', 'down_since']).orderBy('down_since').execute()
}
