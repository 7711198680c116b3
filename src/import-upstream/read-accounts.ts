// Reads upstream's people and machine credentials: users (with their TFA and Discord/OIDC links),
// integration credentials / enrollment tokens (one upstream table), and the settings row.
import type { UpstreamConnection } from './upstream-connection.js'

export interface UpstreamUser {
  id: string
  username: string
  email: string | null
  password_hash: string | null
  first_name: string | null
  last_name: string | null
  role: string
  is_active: boolean | null
  last_login: string | null
  tfa_enabled: boolean | null
  tfa_secret: string | null
  tfa_backup_codes: string | null
  discord_id: string | null
  discord_username: string | null
  discord_avatar: string | null
  discord_linked_at: string | null
  oidc_sub: string | null
  created_at: string | null
}

export interface UpstreamToken {
  id: string
  token_name: string
  token_key: string
  token_secret: string
  created_by_user_id: string | null
  is_active: boolean | null
  allowed_ip_ranges: string[] | null
  max_hosts_per_day: number | null
  default_host_group_id: string | null
  expires_at: string | null
  last_used_at: string | null
  metadata: Record<string, unknown> | null
  scopes: Record<string, unknown> | null
  created_at: string | null
}

/** The settings row: only the columns that exist in this upstream version are there. */
export type UpstreamSettings = Record<string, unknown>

/** `expr` when upstream has the column, else NULL under the same name. */
function optional(conn: UpstreamConnection, table: string, column: string): string {
  return conn.has(table, column) ? column : `NULL AS ${column}`
}

export async function readUsers(conn: UpstreamConnection): Promise<UpstreamUser[]> {
  const optionalColumns = [
    'first_name',
    'last_name',
    'is_active',
    'last_login',
    'discord_id',
    'discord_username',
    'discord_avatar',
    'discord_linked_at',
    'oidc_sub',
    'created_at'
  ].map((c) => optional(conn, 'users', c))
  return conn.query<UpstreamUser & Record<string, unknown>>(
    `SELECT id, username, email, password_hash, role, tfa_enabled, tfa_secret, tfa_backup_codes, ${optionalColumns.join(', ')}
       FROM public.users ORDER BY created_at NULLS FIRST, username`
  )
}

export async function readTokens(conn: UpstreamConnection): Promise<UpstreamToken[]> {
  const optionalColumns = [
    'created_by_user_id',
    'is_active',
    'max_hosts_per_day',
    'default_host_group_id',
    'expires_at',
    'last_used_at',
    'scopes',
    'created_at'
  ].map((c) => optional(conn, 'auto_enrollment_tokens', c))
  return conn.query<UpstreamToken & Record<string, unknown>>(
    `SELECT id, token_name, token_key, token_secret, allowed_ip_ranges, metadata, ${optionalColumns.join(', ')}
       FROM public.auto_enrollment_tokens ORDER BY token_name`
  )
}

export async function readSettings(conn: UpstreamConnection): Promise<UpstreamSettings | undefined> {
  const rows = await conn.query<UpstreamSettings>("SELECT * FROM public.settings ORDER BY (id = 'default') DESC LIMIT 1")
  return rows[0]
}

/** Role names upstream knows that are not built in (custom roles). */
export async function readCustomRoleNames(conn: UpstreamConnection, builtin: readonly string[]): Promise<string[]> {
  if (!conn.has('role_permissions', 'role')) return []
  const rows = await conn.query<{ role: string }>('SELECT role FROM public.role_permissions ORDER BY role')
  return rows.map((r) => r.role).filter((r) => !builtin.includes(r))
}
