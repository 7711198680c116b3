// Patch execution (issue 17): runs, the upstream "policies" (timing templates), their assignments
// and exclusions, and the patching audit trail. Runs live here, not only in the in-memory queue:
// a delayed or queued run is re-armed from this table after a restart (run_at, dispatched_at).
import type { Kysely } from 'kysely'
import { sql } from 'kysely'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- schema builders do not need table types
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('patch_policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('patch_delay_type', 'text', (c) => c.notNull()) // immediate | delayed | fixed_time
    .addColumn('delay_minutes', 'integer')
    .addColumn('fixed_time_utc', 'text') // HH:MM[:SS], read in the server's time zone (as upstream)
    .addColumn('timezone', 'text') // accepted on input, always stored NULL (upstream: deprecated)
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('patch_policy_assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patch_policy_id', 'text', (c) => c.notNull().references('patch_policies.id').onDelete('cascade'))
    .addColumn('target_type', 'text', (c) => c.notNull()) // host | host_group
    .addColumn('target_id', 'text', (c) => c.notNull()) // a host or host-group id (no foreign key, as upstream)
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('patch_policy_assignments_target', ['target_type', 'target_id'])
    .execute()

  await db.schema
    .createTable('patch_policy_exclusions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patch_policy_id', 'text', (c) => c.notNull().references('patch_policies.id').onDelete('cascade'))
    .addColumn('host_id', 'text', (c) => c.notNull().references('hosts.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('patch_policy_exclusions_pair', ['patch_policy_id', 'host_id'])
    .execute()

  await db.schema
    .createTable('patch_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('host_id', 'text', (c) => c.notNull().references('hosts.id').onDelete('cascade'))
    .addColumn('job_id', 'text', (c) => c.notNull()) // "patch-run-<id>", as upstream
    .addColumn('patch_type', 'text', (c) => c.notNull()) // patch_all | patch_package | reboot
    .addColumn('package_name', 'text')
    .addColumn('package_names', 'text') // JSON array
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('shell_output', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('output_truncated', 'integer', (c) => c.notNull().defaultTo(sql`0`)) // 1 = only the tail is kept
    .addColumn('error_message', 'text')
    .addColumn('started_at', 'text')
    .addColumn('completed_at', 'text')
    .addColumn('scheduled_at', 'text') // set when a policy or a schedule delayed the run
    .addColumn('run_at', 'text', (c) => c.notNull()) // when the run becomes due (re-armed after a restart)
    .addColumn('dispatched_at', 'text') // frame sent, agent has not said `started` yet
    .addColumn('triggered_by_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('approved_by_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('trigger_source', 'text', (c) => c.notNull().defaultTo('user')) // user | approval | schedule | bulk | api
    .addColumn('dry_run', 'integer', (c) => c.notNull().defaultTo(sql`0`))
    .addColumn('packages_affected', 'text') // JSON array
    .addColumn('policy_id', 'text', (c) => c.references('patch_policies.id').onDelete('set null'))
    .addColumn('policy_name', 'text')
    .addColumn('policy_snapshot', 'text') // JSON
    .addColumn('validation_run_id', 'text', (c) => c.references('patch_runs.id').onDelete('set null'))
    .addColumn('options', 'text') // JSON PatchRunOptions
    .addColumn('schedule_id', 'text')
    .addColumn('bulk_id', 'text')
    .addColumn('pre_patch_hook', 'text') // JSON {exit_code, output} reported by the shell agent
    .addColumn('reboot_required', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('patch_runs_host_time').on('patch_runs').columns(['host_id', 'created_at']).execute()
  await db.schema.createIndex('patch_runs_status_due').on('patch_runs').columns(['status', 'run_at']).execute()
  await db.schema.createIndex('patch_runs_created').on('patch_runs').column('created_at').execute()

  await db.schema
    .createTable('patch_audit')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('action', 'text', (c) => c.notNull()) // trigger | approve | stop | delete | retry_validation | policy_* ...
    .addColumn('user_id', 'text') // no foreign key: the record outlives the account
    .addColumn('username', 'text')
    .addColumn('run_id', 'text')
    .addColumn('host_id', 'text')
    .addColumn('policy_id', 'text')
    .addColumn('details', 'text') // JSON
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('patch_audit_time').on('patch_audit').column('created_at').execute()
}
