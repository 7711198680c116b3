// Row types of every table, as Kysely sees them. Generated<> marks columns with a default.
// Add a column here and in database-columns.ts (tsc compares the two); test/store/schema-types.test.ts
// compares both with the migrated schema, so a migration and these types cannot drift apart.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { Flag } from './flag.js'
import type { PatchingTables } from './patching-table-types.js'
import type { FleetCounterTables, PackageCounterColumns } from './fleet-counters-table-types.js'
import type { OidcTables, UsersOidcColumns } from './oidc-table-types.js'
import type { AuditTables } from './audit-table-types.js'
import type { TrendTables } from './trends-table-types.js'
import type { AccessTables, HostScopedFlag } from './access-table-types.js'
import type { HostDigestColumns } from './host-digest-table-types.js'
import type { DockerTables } from './docker-table-types.js'
import type { VulnerabilityTables } from './vulnerability-table-types.js'

export type { Flag } from './flag.js'
export type * from './patching-table-types.js'
export type * from './audit-table-types.js'
export type * from './trends-table-types.js'
export type * from './vulnerability-table-types.js'

export interface RolesTable {
  name: string
  description: Generated<string>
  is_builtin: Generated<Flag>
  permissions: string
  created_at: string
  updated_at: string
  created_by_user_id: string | null
  host_scoped: HostScopedFlag
}

export interface UsersTable extends UsersOidcColumns {
  id: string
  username: string
  email: string | null
  password_hash: string | null
  first_name: string | null
  last_name: string | null
  role: string
  is_active: Generated<Flag>
  last_login_at: string | null
  password_changed_at: string | null
  tfa_enabled: Generated<Flag>
  tfa_secret: string | null
  tfa_backup_codes: string | null
  discord_id: string | null
  discord_username: string | null
  discord_avatar: string | null
  discord_linked_at: string | null
  /** Last TOTP time step accepted (0007): a code is refused at or below it, so none is replayed. */
  tfa_last_used_step: number | null
  /** 1 while the password is the one the server generated (0012); a password change clears it. */
  must_change_password: Generated<Flag>
  host_scoped: HostScopedFlag
  created_at: string
  updated_at: string
}

export interface UserSessionsTable {
  id: string
  user_id: string
  created_at: string
  expires_at: string
  revoked_at: string | null
  ip: string | null
  user_agent: string | null
  /** Last request seen on this session (0019), written at most once a minute. */
  last_seen_at: string | null
}

export interface SettingsTable {
  key: string
  value: string
  updated_at: string
}

export interface HostGroupsTable {
  id: string
  name: string
  description: string | null
  color: Generated<string>
  created_at: string
  updated_at: string
}

export interface HostsTable extends HostDigestColumns {
  id: string
  friendly_name: string
  api_id: string
  api_key_hash: string
  machine_id: string | null
  hostname: string | null
  ip: string | null
  os_type: string | null
  os_version: string | null
  architecture: string | null
  kernel_version: string | null
  installed_kernel_version: string | null
  selinux_status: string | null
  system_uptime: string | null
  boot_time: string | null
  cpu_model: string | null
  cpu_cores: number | null
  ram_installed: number | null
  swap_size: number | null
  load_average: string | null
  disk_details: string | null
  gateway_ip: string | null
  dns_servers: string | null
  network_interfaces: string | null
  needs_reboot: Flag | null
  reboot_reason: string | null
  agent_version: string | null
  package_manager: string | null
  status: Generated<string>
  last_update: string | null
  notes: string | null
  auto_update: Generated<Flag>
  total_packages: Generated<number>
  outdated_packages: Generated<number>
  security_updates: Generated<number>
  total_repos: Generated<number>
  created_at: string
  updated_at: string
}

export interface HostGroupMembershipsTable {
  host_id: string
  host_group_id: string
  created_at: string
}

export interface PackagesTable extends PackageCounterColumns {
  id: string
  name: string
  description: string | null
  category: string | null
  created_at: string
}

export interface HostPackagesTable {
  host_id: string
  package_id: string
  current_version: string
  available_version: string | null
  needs_update: Generated<Flag>
  is_security_update: Generated<Flag>
  last_checked: string
  /** The source package it was built from, as the agent reported it; NULL = not reported (migration 0029). */
  source_name: string | null
}

export interface RepositoriesTable {
  id: string
  name: string
  url: string
  distribution: Generated<string>
  components: Generated<string>
  repo_type: Generated<string>
  is_secure: Generated<Flag>
  is_active: Generated<Flag>
  created_at: string
  updated_at: string
}

export interface HostRepositoriesTable {
  host_id: string
  repository_id: string
  is_enabled: Generated<Flag>
  /** What this host calls the repository (per host since migration 0009). */
  name: Generated<string>
  is_secure: Generated<Flag>
  last_checked: string
}

export interface ReportHistoryTable {
  id: string
  host_id: string
  status: string
  total_packages: Generated<number>
  outdated_packages: Generated<number>
  security_updates: Generated<number>
  payload_kb: Generated<number>
  execution_time_seconds: number | null
  error_message: string | null
  created_at: string
}

export interface AutoEnrollmentTokensTable {
  id: string
  token_name: string
  token_key: string
  token_secret_hash: string
  /** Keyed digest of the secret after its first bcrypt check (migration 0028); NULL until then. */
  token_secret_digest: string | null
  integration_type: string
  created_by_user_id: string | null
  is_active: Generated<Flag>
  allowed_ip_ranges: Generated<string>
  max_hosts_per_day: Generated<number>
  hosts_created_today: Generated<number>
  last_reset_date: string | null
  last_used_at: string | null
  expires_at: string | null
  default_host_group_id: string | null
  metadata: Generated<string>
  scopes: string | null
  created_at: string
  updated_at: string
}

export interface AgentJobsTable {
  id: string
  host_id: string
  job_name: string
  status: string
  attempt: Generated<number>
  created_at: string
  completed_at: string | null
  error_message: string | null
  output: string | null
}

export interface NotificationDestinationsTable {
  id: string
  channel_type: string
  display_name: string
  /** Sealed JSON. */
  config: string
  enabled: Generated<Flag>
  created_at: string
  updated_at: string
}

export interface NotificationRoutesTable {
  id: string
  destination_id: string
  event_types: string
  min_severity: Generated<string>
  host_group_ids: Generated<string>
  enabled: Generated<Flag>
  created_at: string
  updated_at: string
}

export interface NotificationDeliveriesTable {
  id: string
  destination_id: string
  destination_name: string
  event_type: string
  severity: string
  title: string
  reference_id: string | null
  payload: string
  status: string
  attempt_count: Generated<number>
  response_status: number | null
  error_message: string | null
  next_attempt_at: string | null
  created_at: string
  updated_at: string
  sent_at: string | null
}

export interface EventOutboxTable {
  id: string
  event_name: string
  payload: string
  created_at: string
}

export interface HostAlertStatesTable {
  host_id: string
  down_since: string
  notified_at: string
}

export interface ScheduledReportsTable {
  id: string
  name: string
  frequency: string
  days: Generated<string>
  day_of_month: string | null
  time: string
  sections: string
  destination_ids: string
  attach_csv: Generated<Flag>
  enabled: Generated<Flag>
  next_run_at: string | null
  last_run_at: string | null
  created_at: string
  updated_at: string
}

export interface DiscordLoginSettingsTable {
  id: string
  enabled: Generated<Flag>
  client_id: string | null
  /** Sealed with the secret box; never returned by the API. */
  client_secret: string | null
  redirect_uri: string | null
  button_text: string | null
  updated_at: string
}

/** Every table; most features declare theirs in <feature>-table-types.ts. */
export interface DB
  extends PatchingTables, FleetCounterTables, OidcTables, AuditTables, AccessTables, DockerTables, TrendTables, VulnerabilityTables {
  roles: RolesTable
  users: UsersTable
  user_sessions: UserSessionsTable
  settings: SettingsTable
  host_groups: HostGroupsTable
  hosts: HostsTable
  host_group_memberships: HostGroupMembershipsTable
  packages: PackagesTable
  host_packages: HostPackagesTable
  repositories: RepositoriesTable
  host_repositories: HostRepositoriesTable
  report_history: ReportHistoryTable
  auto_enrollment_tokens: AutoEnrollmentTokensTable
  agent_jobs: AgentJobsTable
  notification_destinations: NotificationDestinationsTable
  notification_routes: NotificationRoutesTable
  notification_deliveries: NotificationDeliveriesTable
  host_alert_states: HostAlertStatesTable
  event_outbox: EventOutboxTable
  scheduled_reports: ScheduledReportsTable
  discord_login_settings: DiscordLoginSettingsTable
}

export type UserRow = Selectable<UsersTable>
export type NewUser = Insertable<UsersTable>
export type UserUpdate = Updateable<UsersTable>
export type HostRow = Selectable<HostsTable>
export type HostGroupRow = Selectable<HostGroupsTable>
export type TokenRow = Selectable<AutoEnrollmentTokensTable>
export type DestinationRow = Selectable<NotificationDestinationsTable>
export type RouteRow = Selectable<NotificationRoutesTable>
export type DeliveryRow = Selectable<NotificationDeliveriesTable>
export type EventOutboxRow = Selectable<EventOutboxTable>
export type ScheduledReportRow = Selectable<ScheduledReportsTable>
