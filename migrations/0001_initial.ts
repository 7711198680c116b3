// The foundation schema: users and roles, settings, host groups, hosts, the package catalogue,
// host packages, repositories, report history and the credentials table shared by the
// Integration API, gethomepage and auto-enrollment. Later features add tables; they do not
// reshape these. Timestamps are ISO-8601 UTC text; booleans are 0/1 integers; ids are UUIDs.
import type { Kysely } from 'kysely'

// Migrations are frozen once landed, so they take the untyped Kysely on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- schema builders do not need table types
type AnyDb = Kysely<any>

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('roles')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('is_builtin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('permissions', 'text', (c) => c.notNull()) // JSON array of permission names
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text', (c) => c.unique())
    .addColumn('password_hash', 'text') // null = no local password (e.g. created through Discord)
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('role', 'text', (c) => c.notNull().references('roles.name').onUpdate('cascade'))
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('last_login_at', 'text')
    .addColumn('password_changed_at', 'text')
    .addColumn('tfa_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tfa_secret', 'text') // AES-256-GCM sealed
    .addColumn('tfa_backup_codes', 'text') // JSON array of bcrypt hashes
    .addColumn('discord_id', 'text', (c) => c.unique())
    .addColumn('discord_username', 'text')
    .addColumn('discord_avatar', 'text')
    .addColumn('discord_linked_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  // One row per sign-in; a JWT names its session, so logout and password changes can revoke it.
  await db.schema
    .createTable('user_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute()
  await db.schema.createIndex('user_sessions_user').on('user_sessions').column('user_id').execute()

  // Key/value settings edited from the dashboard (update interval, server URL, registration, ...).
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull()) // JSON
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('host_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('color', 'text', (c) => c.notNull().defaultTo('#3B82F6'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('hosts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('friendly_name', 'text', (c) => c.notNull())
    .addColumn('api_id', 'text', (c) => c.notNull().unique())
    .addColumn('api_key_hash', 'text', (c) => c.notNull()) // bcrypt
    // Not unique on purpose: containers cloned from one template share a machine id.
    .addColumn('machine_id', 'text')
    .addColumn('hostname', 'text')
    .addColumn('ip', 'text')
    .addColumn('os_type', 'text')
    .addColumn('os_version', 'text')
    .addColumn('architecture', 'text')
    .addColumn('kernel_version', 'text')
    .addColumn('installed_kernel_version', 'text')
    .addColumn('selinux_status', 'text')
    .addColumn('system_uptime', 'text')
    .addColumn('boot_time', 'text')
    .addColumn('cpu_model', 'text')
    .addColumn('cpu_cores', 'integer')
    .addColumn('ram_installed', 'real') // GiB as the agent reports it
    .addColumn('swap_size', 'real')
    .addColumn('load_average', 'text') // JSON as received (the agent sends [1m, 5m, 15m])
    .addColumn('disk_details', 'text') // JSON as received
    .addColumn('gateway_ip', 'text')
    .addColumn('dns_servers', 'text') // JSON
    .addColumn('network_interfaces', 'text') // JSON
    .addColumn('needs_reboot', 'integer') // null = unknown (agent 1.3 never says)
    .addColumn('reboot_reason', 'text')
    .addColumn('agent_version', 'text')
    .addColumn('package_manager', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending')) // pending until the first report
    .addColumn('last_update', 'text') // last report or ping
    .addColumn('notes', 'text')
    .addColumn('auto_update', 'integer', (c) => c.notNull().defaultTo(1))
    // Counts kept in step with host_packages inside the ingest transaction, so lists and
    // dashboards never aggregate millions of package rows.
    .addColumn('total_packages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('outdated_packages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('security_updates', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total_repos', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('hosts_friendly_name').on('hosts').column('friendly_name').execute()
  await db.schema.createIndex('hosts_status').on('hosts').column('status').execute()

  await db.schema
    .createTable('host_group_memberships')
    .addColumn('host_id', 'text', (c) => c.notNull().references('hosts.id').onDelete('cascade'))
    .addColumn('host_group_id', 'text', (c) => c.notNull().references('host_groups.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('host_group_memberships_pk', ['host_id', 'host_group_id'])
    .execute()
  await db.schema.createIndex('host_group_memberships_group').on('host_group_memberships').column('host_group_id').execute()

  // The fleet-wide catalogue: one row per package name.
  await db.schema
    .createTable('packages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('category', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('host_packages')
    .addColumn('host_id', 'text', (c) => c.notNull().references('hosts.id').onDelete('cascade'))
    .addColumn('package_id', 'text', (c) => c.notNull().references('packages.id').onDelete('cascade'))
    .addColumn('current_version', 'text', (c) => c.notNull())
    .addColumn('available_version', 'text')
    .addColumn('needs_update', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_security_update', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_checked', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('host_packages_pk', ['host_id', 'package_id'])
    .execute()
  await db.schema.createIndex('host_packages_package').on('host_packages').columns(['package_id', 'needs_update']).execute()

  await db.schema
    .createTable('repositories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('distribution', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('components', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('repo_type', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('is_secure', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('repositories_identity', ['url', 'distribution', 'components', 'repo_type'])
    .execute()

  await db.schema
    .createTable('host_repositories')
    .addColumn('host_id', 'text', (c) => c.notNull().references('hosts.id').onDelete('cascade'))
    .addColumn('repository_id', 'text', (c) => c.notNull().references('repositories.id').onDelete('cascade'))
    .addColumn('is_enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('last_checked', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('host_repositories_pk', ['host_id', 'repository_id'])
    .execute()
  await db.schema.createIndex('host_repositories_repository').on('host_repositories').column('repository_id').execute()

  await db.schema
    .createTable('report_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('host_id', 'text', (c) => c.notNull().references('hosts.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull()) // success | error
    .addColumn('total_packages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('outdated_packages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('security_updates', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('payload_kb', 'real', (c) => c.notNull().defaultTo(0))
    .addColumn('execution_time_seconds', 'real')
    .addColumn('error_message', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('report_history_host_time').on('report_history').columns(['host_id', 'created_at']).execute()
  await db.schema.createIndex('report_history_time').on('report_history').column('created_at').execute()

  // Credentials of every integration type (api, gethomepage, proxmox-lxc, direct-host) share one
  // table, as upstream does; `integration_type` mirrors metadata.integration_type for indexing.
  await db.schema
    .createTable('auto_enrollment_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_name', 'text', (c) => c.notNull())
    .addColumn('token_key', 'text', (c) => c.notNull().unique())
    .addColumn('token_secret_hash', 'text', (c) => c.notNull()) // bcrypt cost 10
    .addColumn('integration_type', 'text', (c) => c.notNull())
    .addColumn('created_by_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('allowed_ip_ranges', 'text', (c) => c.notNull().defaultTo('[]')) // JSON array
    .addColumn('max_hosts_per_day', 'integer', (c) => c.notNull().defaultTo(100))
    .addColumn('hosts_created_today', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_reset_date', 'text') // YYYY-MM-DD in the server's time zone
    .addColumn('last_used_at', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('default_host_group_id', 'text', (c) => c.references('host_groups.id').onDelete('set null'))
    .addColumn('metadata', 'text', (c) => c.notNull().defaultTo('{}')) // JSON object
    .addColumn('scopes', 'text') // JSON object, api tokens only
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('auto_enrollment_tokens_type').on('auto_enrollment_tokens').column('integration_type').execute()
}
