// Upstream PatchMon's tables as facts/upstream-database.md describes them, written by us (not
// upstream's DDL): 2.x (golang-migrate, schema_migrations 47) and the 1.4.x variant (Prisma: no
// notification, report or patching tables, fewer host and settings columns).

const HOSTS_14 = `
CREATE TABLE hosts (
  id TEXT PRIMARY KEY, machine_id TEXT, friendly_name TEXT NOT NULL, ip TEXT, os_type TEXT NOT NULL DEFAULT 'unknown',
  os_version TEXT NOT NULL DEFAULT 'unknown', architecture TEXT, last_update TIMESTAMP(3) NOT NULL DEFAULT now(),
  status TEXT NOT NULL DEFAULT 'active', created_at TIMESTAMP(3) NOT NULL DEFAULT now(), updated_at TIMESTAMP(3) NOT NULL DEFAULT now(),
  api_id TEXT NOT NULL UNIQUE, api_key TEXT NOT NULL UNIQUE, agent_version TEXT, auto_update BOOLEAN NOT NULL DEFAULT true,
  cpu_cores INTEGER, cpu_model TEXT, disk_details JSONB, dns_servers JSONB, gateway_ip TEXT, hostname TEXT,
  kernel_version TEXT, installed_kernel_version TEXT, load_average JSONB, network_interfaces JSONB, ram_installed DOUBLE PRECISION,
  selinux_status TEXT, swap_size DOUBLE PRECISION, system_uptime TEXT, notes TEXT, needs_reboot BOOLEAN DEFAULT false,
  reboot_reason TEXT, docker_enabled BOOLEAN NOT NULL DEFAULT false, host_down_alerts_enabled BOOLEAN, expected_platform TEXT
);`

const HOSTS_2X_EXTRA = `
ALTER TABLE hosts ADD COLUMN boot_time TIMESTAMPTZ, ADD COLUMN package_manager TEXT, ADD COLUMN primary_interface TEXT,
  ADD COLUMN awaiting_post_patch_report_run_id TEXT, ADD COLUMN packages_hash TEXT, ADD COLUMN repos_hash TEXT,
  ADD COLUMN interfaces_hash TEXT, ADD COLUMN hostname_hash TEXT, ADD COLUMN docker_hash TEXT, ADD COLUMN compliance_hash TEXT,
  ADD COLUMN last_full_report_at TIMESTAMP(3), ADD COLUMN compliance_default_profile_id TEXT;`

const SHARED = `
CREATE TABLE host_groups (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, description TEXT, color TEXT DEFAULT '#3B82F6',
  created_at TIMESTAMP(3) NOT NULL DEFAULT now(), updated_at TIMESTAMP(3) NOT NULL DEFAULT now());
CREATE TABLE host_group_memberships (id TEXT PRIMARY KEY, host_id TEXT NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
  host_group_id TEXT NOT NULL REFERENCES host_groups(id) ON DELETE CASCADE, created_at TIMESTAMP(3) NOT NULL DEFAULT now(),
  UNIQUE (host_id, host_group_id));
CREATE TABLE packages (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, description TEXT, category TEXT, latest_version TEXT,
  created_at TIMESTAMP(3) NOT NULL DEFAULT now(), updated_at TIMESTAMP(3) NOT NULL DEFAULT now());
CREATE TABLE repositories (id TEXT PRIMARY KEY, name TEXT NOT NULL, url TEXT NOT NULL, distribution TEXT NOT NULL, components TEXT NOT NULL,
  repo_type TEXT NOT NULL, is_active BOOLEAN NOT NULL DEFAULT true, is_secure BOOLEAN NOT NULL DEFAULT true, priority INTEGER,
  description TEXT, created_at TIMESTAMP(3) NOT NULL DEFAULT now(), updated_at TIMESTAMP(3) NOT NULL DEFAULT now(),
  UNIQUE (url, distribution, components));
CREATE TABLE host_packages (id TEXT PRIMARY KEY, host_id TEXT NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
  package_id TEXT NOT NULL REFERENCES packages(id) ON DELETE CASCADE, current_version TEXT NOT NULL, available_version TEXT,
  needs_update BOOLEAN NOT NULL DEFAULT false, is_security_update BOOLEAN NOT NULL DEFAULT false,
  last_checked TIMESTAMP(3) NOT NULL DEFAULT now(), UNIQUE (host_id, package_id));
CREATE TABLE host_repositories (id TEXT PRIMARY KEY, host_id TEXT NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
  repository_id TEXT NOT NULL REFERENCES repositories(id) ON DELETE CASCADE, is_enabled BOOLEAN NOT NULL DEFAULT true,
  last_checked TIMESTAMP(3) NOT NULL DEFAULT now(), UNIQUE (host_id, repository_id));
CREATE TABLE users (id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, email TEXT NOT NULL UNIQUE, password_hash TEXT,
  role TEXT NOT NULL DEFAULT 'admin', is_active BOOLEAN NOT NULL DEFAULT true, last_login TIMESTAMP(3),
  created_at TIMESTAMP(3) NOT NULL DEFAULT now(), updated_at TIMESTAMP(3) NOT NULL DEFAULT now(),
  tfa_backup_codes TEXT, tfa_enabled BOOLEAN NOT NULL DEFAULT false, tfa_secret TEXT, first_name TEXT, last_name TEXT,
  theme_preference TEXT, color_theme TEXT, ui_preferences JSONB, oidc_sub TEXT UNIQUE, oidc_provider TEXT, avatar_url TEXT,
  discord_id TEXT UNIQUE, discord_username TEXT, discord_avatar TEXT, discord_linked_at TIMESTAMP(3));
CREATE TABLE role_permissions (id TEXT PRIMARY KEY, role TEXT NOT NULL UNIQUE, can_view_dashboard BOOLEAN NOT NULL DEFAULT true,
  can_view_hosts BOOLEAN NOT NULL DEFAULT true, can_manage_hosts BOOLEAN NOT NULL DEFAULT false);
CREATE TABLE auto_enrollment_tokens (id TEXT PRIMARY KEY, token_name TEXT NOT NULL, token_key TEXT NOT NULL UNIQUE,
  token_secret TEXT NOT NULL, created_by_user_id TEXT REFERENCES users(id) ON DELETE SET NULL, is_active BOOLEAN NOT NULL DEFAULT true,
  allowed_ip_ranges TEXT[] NOT NULL DEFAULT '{}', max_hosts_per_day INTEGER NOT NULL DEFAULT 100, hosts_created_today INTEGER NOT NULL DEFAULT 0,
  last_reset_date DATE NOT NULL DEFAULT CURRENT_DATE, default_host_group_id TEXT REFERENCES host_groups(id) ON DELETE SET NULL,
  created_at TIMESTAMP(3) NOT NULL DEFAULT now(), updated_at TIMESTAMP(3) NOT NULL DEFAULT now(), last_used_at TIMESTAMP(3),
  expires_at TIMESTAMP(3), metadata JSONB, scopes JSONB);
CREATE TABLE user_sessions (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, refresh_token TEXT NOT NULL, access_token_hash TEXT);`

const SETTINGS_14 = `
CREATE TABLE settings (id TEXT PRIMARY KEY, server_url TEXT NOT NULL DEFAULT 'http://localhost:3000', server_protocol TEXT DEFAULT 'http',
  server_host TEXT DEFAULT 'localhost', server_port INTEGER DEFAULT 3000, update_interval INTEGER NOT NULL DEFAULT 60,
  auto_update BOOLEAN NOT NULL DEFAULT false, signup_enabled BOOLEAN DEFAULT false, default_user_role TEXT DEFAULT 'user',
  discord_oauth_enabled BOOLEAN DEFAULT false, discord_client_id TEXT, discord_client_secret TEXT, discord_redirect_uri TEXT,
  discord_button_text TEXT, ai_enabled BOOLEAN DEFAULT false, ai_provider TEXT, ai_model TEXT, ai_api_key TEXT,
  created_at TIMESTAMP(3) NOT NULL DEFAULT now(), updated_at TIMESTAMP(3) NOT NULL DEFAULT now());`

const ONLY_2X = `
ALTER TABLE users ADD COLUMN newsletter_subscribed BOOLEAN DEFAULT false, ADD COLUMN newsletter_subscribed_at TIMESTAMP(3);
ALTER TABLE host_packages ADD COLUMN source_repository_id TEXT REFERENCES repositories(id) ON DELETE SET NULL;
ALTER TABLE settings ADD COLUMN oidc_enabled BOOLEAN DEFAULT false, ADD COLUMN oidc_client_secret TEXT, ADD COLUMN timezone TEXT,
  ADD COLUMN compliance_scan_interval INTEGER, ADD COLUMN oidc_issuer_url TEXT, ADD COLUMN oidc_client_id TEXT,
  ADD COLUMN oidc_redirect_uri TEXT, ADD COLUMN oidc_scopes TEXT, ADD COLUMN oidc_auto_create_users BOOLEAN DEFAULT false,
  ADD COLUMN oidc_default_role TEXT, ADD COLUMN oidc_disable_local_auth BOOLEAN DEFAULT false, ADD COLUMN oidc_button_text TEXT,
  ADD COLUMN oidc_sync_roles BOOLEAN DEFAULT true, ADD COLUMN oidc_superadmin_group TEXT, ADD COLUMN oidc_admin_group TEXT,
  ADD COLUMN oidc_host_manager_group TEXT, ADD COLUMN oidc_user_group TEXT, ADD COLUMN oidc_readonly_group TEXT,
  ADD COLUMN oidc_enforce_https BOOLEAN DEFAULT true, ADD COLUMN oidc_trust_unverified_email BOOLEAN DEFAULT false;
CREATE TABLE notification_destinations (id TEXT PRIMARY KEY, channel_type TEXT NOT NULL, display_name TEXT NOT NULL,
  config_encrypted TEXT NOT NULL DEFAULT '', enabled BOOLEAN NOT NULL DEFAULT true,
  created_at TIMESTAMP(3) NOT NULL DEFAULT now(), updated_at TIMESTAMP(3) NOT NULL DEFAULT now());
CREATE TABLE notification_routes (id TEXT PRIMARY KEY, destination_id TEXT NOT NULL REFERENCES notification_destinations(id) ON DELETE CASCADE,
  event_types JSONB NOT NULL DEFAULT '["*"]', min_severity TEXT NOT NULL DEFAULT 'informational', host_group_ids JSONB, host_ids JSONB,
  match_rules JSONB, enabled BOOLEAN NOT NULL DEFAULT true, created_at TIMESTAMP(3) NOT NULL DEFAULT now(), updated_at TIMESTAMP(3) NOT NULL DEFAULT now());
CREATE TABLE notification_delivery_log (id TEXT PRIMARY KEY, destination_id TEXT);
CREATE TABLE scheduled_reports (id TEXT PRIMARY KEY, name TEXT NOT NULL, cron_expr TEXT NOT NULL DEFAULT '0 8 * * *',
  enabled BOOLEAN NOT NULL DEFAULT true, definition JSONB, destination_ids JSONB, timezone TEXT DEFAULT 'UTC',
  next_run_at TIMESTAMP(3), last_run_at TIMESTAMP(3));
CREATE TABLE patch_policies (id TEXT PRIMARY KEY, name TEXT NOT NULL, description TEXT, patch_delay_type TEXT NOT NULL DEFAULT 'immediate',
  delay_minutes INTEGER, fixed_time_utc TEXT, timezone TEXT);
CREATE TABLE patch_policy_assignments (id TEXT PRIMARY KEY, patch_policy_id TEXT NOT NULL REFERENCES patch_policies(id) ON DELETE CASCADE,
  target_type TEXT NOT NULL, target_id TEXT NOT NULL, UNIQUE (target_type, target_id));
CREATE TABLE patch_policy_exclusions (id TEXT PRIMARY KEY, patch_policy_id TEXT NOT NULL REFERENCES patch_policies(id) ON DELETE CASCADE,
  host_id TEXT NOT NULL);
CREATE TABLE patch_runs (id TEXT PRIMARY KEY, host_id TEXT, patch_type TEXT, status TEXT);
CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, dirty BOOLEAN NOT NULL);
INSERT INTO schema_migrations VALUES (47, false);
INSERT INTO notification_destinations (id, channel_type, display_name, config_encrypted) VALUES ('internal-alerts', 'internal', 'In-app alerts', '{}');`

const ONLY_14 = `
CREATE TABLE _prisma_migrations (id VARCHAR(36) PRIMARY KEY, checksum VARCHAR(64) NOT NULL, finished_at TIMESTAMPTZ,
  migration_name VARCHAR(255) NOT NULL, started_at TIMESTAMPTZ NOT NULL DEFAULT now(), applied_steps_count INTEGER NOT NULL DEFAULT 0);
INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at) VALUES ('1', 'x', '20251001000000_v1_4_2', now());`

export type UpstreamGeneration = '2.x' | '1.4.x'

export function upstreamDdl(generation: UpstreamGeneration): string {
  return generation === '2.x'
    ? [HOSTS_14, HOSTS_2X_EXTRA, SHARED, SETTINGS_14, ONLY_2X].join('\n')
    : [HOSTS_14, SHARED, SETTINGS_14, ONLY_14].join('\n')
}
