// Patching beyond upstream (issue 17 items 4-5): package holds per host or host group, recurring
// patch schedules, maintenance windows, per-host reboot exemptions and bulk batches. Targets are a
// host or a host group (target_id is not a foreign key: either table may hold it); deleting a host
// or group leaves rows that simply match nothing until they are removed.
import type { Kysely } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- frozen migrations do not need table types
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('patch_holds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('target_type', 'text', (c) => c.notNull()) // host | host_group
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('pattern', 'text', (c) => c.notNull()) // a package name or a glob (* and ?)
    .addColumn('reason', 'text')
    .addColumn('created_by_user_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('patch_holds_target_pattern', ['target_type', 'target_id', 'pattern'])
    .execute()

  await db.schema
    .createTable('patch_windows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('cron', 'text', (c) => c.notNull()) // when the window opens, server time zone
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    .addColumn('created_by_user_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('patch_windows_target').on('patch_windows').columns(['target_type', 'target_id']).execute()

  await db.schema
    .createTable('patch_schedules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('cron', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull()) // security | all | packages
    .addColumn('package_names', 'text', (c) => c.notNull().defaultTo('[]')) // JSON array (scope packages)
    .addColumn('reboot', 'text', (c) => c.notNull().defaultTo('never')) // never | after | if_required | window_end
    .addColumn('notice_minutes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('require_pre_patch_hook', 'integer', (c) => c.notNull().defaultTo(0)) // 1 = runs fail without a passing hook
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('next_run_at', 'text') // the next due slot; recomputed from cron on start-up
    .addColumn('notice_sent_for', 'text') // the next_run_at whose notice went out (once per slot)
    .addColumn('last_run_at', 'text')
    .addColumn('last_result', 'text') // one line: launched N, skipped with a reason
    .addColumn('created_by_user_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('patch_reboot_exemptions')
    .addColumn('host_id', 'text', (c) => c.primaryKey().references('hosts.id').onDelete('cascade'))
    .addColumn('reason', 'text')
    .addColumn('created_by_user_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('patch_bulk_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patch_type', 'text', (c) => c.notNull())
    .addColumn('package_names', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('dry_run', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reboot', 'text', (c) => c.notNull().defaultTo('never'))
    .addColumn('concurrency', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // running | finished
    .addColumn('created_by_user_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute()

  await db.schema
    .createTable('patch_bulk_items')
    .addColumn('batch_id', 'text', (c) => c.notNull().references('patch_bulk_batches.id').onDelete('cascade'))
    .addColumn('host_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | dispatched | completed | failed | skipped
    .addColumn('patch_run_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('patch_bulk_items_pk', ['batch_id', 'host_id'])
    .execute()
}
