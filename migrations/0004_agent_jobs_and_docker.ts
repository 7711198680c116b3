// Agent job history (pushes over the live channel such as report_now, for the Integration API's
// agent_queue) and the Docker inventory the 2.x agent posts per host.
import type { Kysely } from 'kysely'

// Migrations are frozen once landed, so they take the untyped Kysely on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- schema builders do not need table types
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('agent_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('host_id', 'text', (c) => c.notNull().references('hosts.id').onDelete('cascade'))
    .addColumn('job_name', 'text', (c) => c.notNull()) // report_now, update_agent, settings_update ...
    .addColumn('status', 'text', (c) => c.notNull()) // completed | failed
    .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .addColumn('error_message', 'text')
    .addColumn('output', 'text') // JSON
    .execute()
  await db.schema.createIndex('agent_jobs_host_time').on('agent_jobs').columns(['host_id', 'created_at']).execute()

  // One row per Docker object and host; `details` keeps the agent's object as received.
  await db.schema
    .createTable('docker_containers')
    .addColumn('host_id', 'text', (c) => c.notNull().references('hosts.id').onDelete('cascade'))
    .addColumn('container_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('image', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull()) // running, exited, paused, ...
    .addColumn('status', 'text', (c) => c.notNull()) // Docker's text, e.g. "Up 2 hours"
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('docker_containers_pk', ['host_id', 'container_id'])
    .execute()
  for (const table of ['docker_images', 'docker_volumes', 'docker_networks']) {
    await db.schema
      .createTable(table)
      .addColumn('host_id', 'text', (c) => c.notNull().references('hosts.id').onDelete('cascade'))
      .addColumn('object_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['host_id', 'object_id'])
      .execute()
  }
}
