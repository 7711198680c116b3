// A machine-readable description of every table's columns, next to the Kysely types it mirrors.
// tsc checks it against database-types.ts (the `satisfies` below: a column missing on either side,
// or a different nullability, does not compile), and test/store/schema-types.test.ts checks it
// against PRAGMA table_info of a freshly migrated database. Together: the types match the schema.
import type { DB } from './database-types.js'
import type { ColumnsOf } from './column-kinds.js'
import { PATCHING_COLUMNS } from './patching-columns.js'
import { FLEET_COUNTER_COLUMNS, PACKAGE_COUNTER_COLUMNS } from './fleet-counters-table-types.js'
import { OIDC_COLUMNS, USERS_OIDC_COLUMNS } from './oidc-columns.js'
import { AUDIT_COLUMNS } from './audit-table-types.js'
import { TREND_COLUMNS } from './trends-table-types.js'
import { HOST_DIGEST_COLUMNS } from './host-digest-table-types.js'
import { DOCKER_COLUMNS } from './docker-table-types.js'
import { VULNERABILITY_COLUMNS } from './vulnerability-table-types.js'

export type { ColumnKind } from './column-kinds.js'

type SchemaDescription = { [N in keyof DB]: ColumnsOf<DB[N]> }

export const DATABASE_COLUMNS = {
  agent_jobs: {
    id: 'required',
    host_id: 'required',
    job_name: 'required',
    status: 'required',
    attempt: 'defaulted',
    created_at: 'required',
    completed_at: 'nullable',
    error_message: 'nullable',
    output: 'nullable'
  },
  auto_enrollment_tokens: {
    id: 'required',
    token_name: 'required',
    token_key: 'required',
    token_secret_hash: 'required',
    token_secret_digest: 'nullable',
    integration_type: 'required',
    created_by_user_id: 'nullable',
    is_active: 'defaulted',
    allowed_ip_ranges: 'defaulted',
    max_hosts_per_day: 'defaulted',
    hosts_created_today: 'defaulted',
    last_reset_date: 'nullable',
    last_used_at: 'nullable',
    expires_at: 'nullable',
    default_host_group_id: 'nullable',
    metadata: 'defaulted',
    scopes: 'nullable',
    created_at: 'required',
    updated_at: 'required'
  },
  discord_login_settings: {
    id: 'required',
    enabled: 'defaulted',
    client_id: 'nullable',
    client_secret: 'nullable',
    redirect_uri: 'nullable',
    button_text: 'nullable',
    updated_at: 'required'
  },
  event_outbox: {
    id: 'required',
    event_name: 'required',
    payload: 'required',
    created_at: 'required'
  },
  host_alert_states: {
    host_id: 'required',
    down_since: 'required',
    notified_at: 'required'
  },
  host_group_memberships: {
    host_id: 'required',
    host_group_id: 'required',
    created_at: 'required'
  },
  host_groups: {
    id: 'required',
    name: 'required',
    description: 'nullable',
    color: 'defaulted',
    created_at: 'required',
    updated_at: 'required'
  },
  host_packages: {
    host_id: 'required',
    package_id: 'required',
    current_version: 'required',
    available_version: 'nullable',
    needs_update: 'defaulted',
    is_security_update: 'defaulted',
    last_checked: 'required',
    source_name: 'nullable'
  },
  host_repositories: {
    host_id: 'required',
    repository_id: 'required',
    is_enabled: 'defaulted',
    last_checked: 'required',
    name: 'defaulted',
    is_secure: 'defaulted'
  },
  hosts: {
    id: 'required',
    friendly_name: 'required',
    api_id: 'required',
    api_key_hash: 'required',
    machine_id: 'nullable',
    hostname: 'nullable',
    ip: 'nullable',
    os_type: 'nullable',
    os_version: 'nullable',
    architecture: 'nullable',
    kernel_version: 'nullable',
    installed_kernel_version: 'nullable',
    selinux_status: 'nullable',
    system_uptime: 'nullable',
    boot_time: 'nullable',
    cpu_model: 'nullable',
    cpu_cores: 'nullable',
    ram_installed: 'nullable',
    swap_size: 'nullable',
    load_average: 'nullable',
    disk_details: 'nullable',
    gateway_ip: 'nullable',
    dns_servers: 'nullable',
    network_interfaces: 'nullable',
    needs_reboot: 'nullable',
    reboot_reason: 'nullable',
    agent_version: 'nullable',
    package_manager: 'nullable',
    status: 'defaulted',
    last_update: 'nullable',
    notes: 'nullable',
    auto_update: 'defaulted',
    total_packages: 'defaulted',
    outdated_packages: 'defaulted',
    security_updates: 'defaulted',
    total_repos: 'defaulted',
    created_at: 'required',
    updated_at: 'required',
    ...HOST_DIGEST_COLUMNS
  },
  notification_deliveries: {
    id: 'required',
    destination_id: 'required',
    destination_name: 'required',
    event_type: 'required',
    severity: 'required',
    title: 'required',
    reference_id: 'nullable',
    payload: 'required',
    status: 'required',
    attempt_count: 'defaulted',
    response_status: 'nullable',
    error_message: 'nullable',
    next_attempt_at: 'nullable',
    created_at: 'required',
    updated_at: 'required',
    sent_at: 'nullable'
  },
  notification_destinations: {
    id: 'required',
    channel_type: 'required',
    display_name: 'required',
    config: 'required',
    enabled: 'defaulted',
    created_at: 'required',
    updated_at: 'required'
  },
  notification_routes: {
    id: 'required',
    destination_id: 'required',
    event_types: 'required',
    min_severity: 'defaulted',
    host_group_ids: 'defaulted',
    enabled: 'defaulted',
    created_at: 'required',
    updated_at: 'required'
  },
  packages: {
    id: 'required',
    name: 'required',
    description: 'nullable',
    category: 'nullable',
    created_at: 'required',
    ...PACKAGE_COUNTER_COLUMNS
  },
  report_history: {
    id: 'required',
    host_id: 'required',
    status: 'required',
    total_packages: 'defaulted',
    outdated_packages: 'defaulted',
    security_updates: 'defaulted',
    payload_kb: 'defaulted',
    execution_time_seconds: 'nullable',
    error_message: 'nullable',
    created_at: 'required'
  },
  repositories: {
    id: 'required',
    name: 'required',
    url: 'required',
    distribution: 'defaulted',
    components: 'defaulted',
    repo_type: 'defaulted',
    is_secure: 'defaulted',
    is_active: 'defaulted',
    created_at: 'required',
    updated_at: 'required'
  },
  roles: {
    name: 'required',
    description: 'defaulted',
    is_builtin: 'defaulted',
    permissions: 'required',
    created_at: 'required',
    updated_at: 'required',
    created_by_user_id: 'nullable',
    host_scoped: 'defaulted'
  },
  scheduled_reports: {
    id: 'required',
    name: 'required',
    frequency: 'required',
    days: 'defaulted',
    day_of_month: 'nullable',
    time: 'required',
    sections: 'required',
    destination_ids: 'required',
    attach_csv: 'defaulted',
    enabled: 'defaulted',
    next_run_at: 'nullable',
    last_run_at: 'nullable',
    created_at: 'required',
    updated_at: 'required'
  },
  settings: {
    key: 'required',
    value: 'required',
    updated_at: 'required'
  },
  user_sessions: {
    id: 'required',
    user_id: 'required',
    created_at: 'required',
    expires_at: 'required',
    revoked_at: 'nullable',
    ip: 'nullable',
    user_agent: 'nullable',
    last_seen_at: 'nullable'
  },
  users: {
    id: 'required',
    username: 'required',
    email: 'nullable',
    password_hash: 'nullable',
    first_name: 'nullable',
    last_name: 'nullable',
    role: 'required',
    is_active: 'defaulted',
    last_login_at: 'nullable',
    password_changed_at: 'nullable',
    tfa_enabled: 'defaulted',
    tfa_secret: 'nullable',
    tfa_backup_codes: 'nullable',
    discord_id: 'nullable',
    discord_username: 'nullable',
    discord_avatar: 'nullable',
    discord_linked_at: 'nullable',
    created_at: 'required',
    updated_at: 'required',
    tfa_last_used_step: 'nullable',
    must_change_password: 'defaulted',
    ...USERS_OIDC_COLUMNS,
    host_scoped: 'defaulted'
  },
  user_host_groups: { user_id: 'required', host_group_id: 'required' },
  role_host_groups: { role_name: 'required', host_group_id: 'required' },
  ...PATCHING_COLUMNS,
  ...FLEET_COUNTER_COLUMNS,
  ...OIDC_COLUMNS,
  ...AUDIT_COLUMNS,
  ...DOCKER_COLUMNS,
  ...TREND_COLUMNS,
  ...VULNERABILITY_COLUMNS
} satisfies SchemaDescription
