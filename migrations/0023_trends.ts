// Trends (issue 20 part 2): daily figures per host and for the whole fleet, the per-host state the
// report hook keeps for "time since last patch", and the security-update exposures behind "mean
// time to patch". Owned by src/trends/.
//  - trend_host_days: one row per host per UTC day (primary key), WITHOUT ROWID so the row lives in
//    the key's b-tree once instead of twice. No index on day alone: retention deletes per host
//    (host_id = ? and day < ?) and scoped sums read their hosts' key ranges, both on the primary
//    key, so the rows are stored once (bench/trend-storage.bench.ts: ~40% fewer bytes).
//  - trend_fleet_days: one row per UTC day, kept even after hosts are deleted (history stays as it was).
//  - Host rows cascade with their host: a deleted host leaves no per-host history behind.
import type { Kysely } from 'kysely'
import { sql } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations do not need table types
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('trend_host_days')
    .addColumn('host_id', 'text', (c) => c.notNull().references('hosts.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull()) // YYYY-MM-DD, UTC
    .addColumn('outdated_packages', 'integer', (c) => c.notNull())
    .addColumn('security_updates', 'integer', (c) => c.notNull())
    .addColumn('needs_reboot', 'integer', (c) => c.notNull())
    .addColumn('cves_open', 'integer') // NULL: no vulnerability source was wired in
    .addColumn('days_since_patch', 'real') // NULL: no patch observed yet
    .addPrimaryKeyConstraint('trend_host_days_pk', ['host_id', 'day'])
    .modifyEnd(sql`without rowid`)
    .execute()

  await db.schema
    .createTable('trend_fleet_days')
    .addColumn('day', 'text', (c) => c.primaryKey().notNull())
    .addColumn('hosts', 'integer', (c) => c.notNull())
    .addColumn('outdated_packages', 'integer', (c) => c.notNull())
    .addColumn('security_updates', 'integer', (c) => c.notNull())
    .addColumn('hosts_needing_reboot', 'integer', (c) => c.notNull())
    .addColumn('cves_open', 'integer')
    .addColumn('days_since_patch', 'real') // mean over hosts with a known last patch
    .addColumn('taken_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('trend_host_states')
    .addColumn('host_id', 'text', (c) => c.primaryKey().notNull().references('hosts.id').onDelete('cascade'))
    .addColumn('outdated_packages', 'integer', (c) => c.notNull())
    .addColumn('last_patched_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('trend_security_exposures')
    .addColumn('host_id', 'text', (c) => c.notNull().references('hosts.id').onDelete('cascade'))
    .addColumn('package_name', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text') // NULL while the update is still outstanding
    .addPrimaryKeyConstraint('trend_security_exposures_pk', ['host_id', 'package_name', 'first_seen_at'])
    .modifyEnd(sql`without rowid`)
    .execute()
  await db.schema.createIndex('trend_security_exposures_resolved').on('trend_security_exposures').column('resolved_at').execute()
}
