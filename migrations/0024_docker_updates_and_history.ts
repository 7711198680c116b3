// The Docker screen (issue 20 part 3) needs three things the 0004 tables do not keep:
// - which image and container has an update: the agent's `updates` list was counted and dropped.
//   It is matched to the images and containers at write time and stored on their rows
//   (update_available, available_tag), so every list filters on a column, not on JSON;
// - the image's repository, tag, id and size as columns (they were only in `details`), so the
//   fleet image view groups and counts in SQL; filled from `details` below for existing rows;
// - a history of containers that stopped. The event outbox is not that history: its rows are
//   deleted once routed to notifications. docker_container_events is written in the same
//   transaction as the inventory replace, and pruned there too (age and a per-host cap).
// docker_integration_hosts lists the hosts whose agent is told to collect Docker data: the 2.x
// agent rewrites its own config to match GET /api/v1/hosts/integrations, so without a way to say
// "yes" here no agent would ever send an inventory.
import { sql, type Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations do not need table types
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('docker_containers')
    .addColumn('image_id', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema
    .alterTable('docker_containers')
    .addColumn('update_available', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('docker_containers').addColumn('available_tag', 'text').execute()
  for (const [name, type] of [
    ['repository', 'text'],
    ['tag', 'text']
  ] as const)
    await db.schema
      .alterTable('docker_images')
      .addColumn(name, type, (c) => c.notNull().defaultTo(''))
      .execute()
  await db.schema.alterTable('docker_images').addColumn('size_bytes', 'integer').execute()
  await db.schema
    .alterTable('docker_images')
    .addColumn('update_available', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('docker_images').addColumn('available_tag', 'text').execute()
  await sql`UPDATE docker_containers SET image_id = coalesce(json_extract(details, '$.image_id'), '') WHERE json_valid(details)`.execute(db)
  await sql`UPDATE docker_images SET
    repository = coalesce(json_extract(details, '$.repository'), ''),
    tag = coalesce(json_extract(details, '$.tag'), ''),
    size_bytes = json_extract(details, '$.size_bytes')
    WHERE json_valid(details)`.execute(db)
  await db.schema.createIndex('docker_containers_state').on('docker_containers').columns(['state', 'name']).execute()
  await db.schema.createIndex('docker_images_repository').on('docker_images').columns(['repository', 'tag']).execute()

  await db.schema
    .createTable('docker_container_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('host_id', 'text', (c) => c.notNull().references('hosts.id').onDelete('cascade'))
    .addColumn('container_id', 'text', (c) => c.notNull())
    .addColumn('container_name', 'text', (c) => c.notNull())
    .addColumn('image', 'text', (c) => c.notNull())
    .addColumn('old_state', 'text', (c) => c.notNull())
    .addColumn('new_state', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('docker_container_events_host').on('docker_container_events').columns(['host_id', 'occurred_at']).execute()
  await db.schema.createIndex('docker_container_events_time').on('docker_container_events').column('occurred_at').execute()

  await db.schema
    .createTable('docker_integration_hosts')
    .addColumn('host_id', 'text', (c) => c.primaryKey().references('hosts.id').onDelete('cascade'))
    .addColumn('enabled_at', 'text', (c) => c.notNull())
    .execute()
}
