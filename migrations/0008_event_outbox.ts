// Transactional outbox for notifiable events: the change that causes an event writes the event
// here in the same transaction, so a crash right after the commit cannot lose the alert. The
// notifications listener turns a row into delivery rows and deletes it in one transaction; rows
// still here at start (the process died in between) are routed then.
import type { Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- schema builders do not need table types
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('event_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_name', 'text', (c) => c.notNull()) // an AppEventMap key
    .addColumn('payload', 'text', (c) => c.notNull()) // JSON of the event's bus payload
    .addColumn('created_at', 'text', (c) => c.notNull()) // when the causing change committed
    .execute()
  await db.schema.createIndex('event_outbox_time').on('event_outbox').column('created_at').execute()
}
