// Alert channels: destinations (config sealed with the secret box), routing rules, the delivery log
// (written before each attempt so a restart can re-queue what was pending), per-host alert state
// (so "host came up" follows only a "host went down" that was sent, across restarts) and scheduled
// reports.
import type { Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations do not need table types
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('notification_destinations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel_type', 'text', (c) => c.notNull()) // webhook | ntfy | gotify | email
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull()) // JSON, sealed by the secret box (holds URLs, tokens, passwords)
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('notification_routes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('destination_id', 'text', (c) => c.notNull().references('notification_destinations.id').onDelete('cascade'))
    .addColumn('event_types', 'text', (c) => c.notNull()) // JSON array of canonical event names or "*"
    .addColumn('min_severity', 'text', (c) => c.notNull().defaultTo('informational'))
    .addColumn('host_group_ids', 'text', (c) => c.notNull().defaultTo('[]')) // JSON array; empty = every host
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('notification_routes_destination').on('notification_routes').column('destination_id').execute()

  // No foreign key to destinations: the log keeps explaining past deliveries after a destination is deleted.
  await db.schema
    .createTable('notification_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('destination_id', 'text', (c) => c.notNull())
    .addColumn('destination_name', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('reference_id', 'text') // host, user or scheduled report the delivery is about
    .addColumn('payload', 'text', (c) => c.notNull()) // JSON notice, so a restart can send it again
    .addColumn('status', 'text', (c) => c.notNull()) // pending | sending | sent | failed
    .addColumn('attempt_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('response_status', 'integer')
    .addColumn('error_message', 'text')
    .addColumn('next_attempt_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute()
  await db.schema.createIndex('notification_deliveries_time').on('notification_deliveries').column('created_at').execute()
  await db.schema.createIndex('notification_deliveries_status').on('notification_deliveries').column('status').execute()
  await db.schema
    .createIndex('notification_deliveries_destination')
    .on('notification_deliveries')
    .columns(['destination_id', 'created_at'])
    .execute()

  await db.schema
    .createTable('host_alert_states')
    .addColumn('host_id', 'text', (c) => c.primaryKey().references('hosts.id').onDelete('cascade'))
    .addColumn('down_since', 'text', (c) => c.notNull()) // the host's last_update when it was declared down
    .addColumn('notified_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('scheduled_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull()) // daily | weekdays | weekly | monthly
    .addColumn('days', 'text', (c) => c.notNull().defaultTo('[]')) // JSON array of 0-6 (Sunday = 0), weekly only
    .addColumn('day_of_month', 'text') // "1".."31" or "last", monthly only
    .addColumn('time', 'text', (c) => c.notNull()) // HH:MM in the server's time zone
    .addColumn('sections', 'text', (c) => c.notNull()) // JSON array of section keys
    .addColumn('destination_ids', 'text', (c) => c.notNull()) // JSON array
    .addColumn('attach_csv', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('next_run_at', 'text') // UTC instant; null when disabled
    .addColumn('last_run_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
}
