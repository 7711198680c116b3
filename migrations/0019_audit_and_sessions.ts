// Audit log and session devices (issue 18 parts 4 and 5). audit_log keeps who did what to which
// target, when, from where and with which outcome; the actor and target labels are copied in, so
// an entry still reads after the user or host is gone. user_sessions gains last_seen_at (written
// at most once a minute per session, see src/users/sessions.ts).
import type { Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations do not need table types
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull()) // user | credential | system | anonymous
    .addColumn('actor_id', 'text') // user id or credential key
    .addColumn('actor_label', 'text') // username or credential name, as it was then
    .addColumn('action', 'text', (c) => c.notNull()) // user.update, signin.failure, ...
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('target_label', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull()) // success | failure | denied
    .addColumn('reason', 'text') // a short code (wrong_password, locked, ...) or the HTTP status
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('details', 'text') // JSON of field names and safe values, never secrets
    .execute()
  await db.schema.createIndex('audit_log_created').on('audit_log').columns(['created_at', 'id']).execute()
  await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'created_at']).execute()
  await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_id', 'created_at']).execute()
  await db.schema.createIndex('audit_log_target').on('audit_log').columns(['target_type', 'target_id']).execute()

  await db.schema.alterTable('user_sessions').addColumn('last_seen_at', 'text').execute()
}
