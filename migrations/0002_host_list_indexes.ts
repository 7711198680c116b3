// Indexes behind the dashboard's host list (sort by last report, updates, security) and the
// per-host package filters, so a 10k-host fleet pages in milliseconds without scanning.
import type { Kysely } from 'kysely'

// Migrations are frozen once landed, so they take the untyped Kysely on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- schema builders do not need table types
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createIndex('hosts_last_update').on('hosts').column('last_update').execute()
  await db.schema.createIndex('hosts_outdated_packages').on('hosts').column('outdated_packages').execute()
  await db.schema.createIndex('hosts_security_updates').on('hosts').column('security_updates').execute()
  // "Which packages of this host need an update" without reading every row of the host.
  await db.schema.createIndex('host_packages_host_update').on('host_packages').columns(['host_id', 'needs_update']).execute()
}
