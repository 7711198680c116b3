// Reads and writes of the credentials table (auto_enrollment_tokens) and the admin view of a row:
// JSON columns parsed, the day counter shown as 0 once its day has passed, the host group and the
// creator joined under the documented (plural) keys `host_groups` and `users`.
import type { Kysely, Updateable } from 'kysely'
import type { AutoEnrollmentTokensTable, DB, TokenRow } from '../store/database-types.js'
import { findUserById } from '../users/user-queries.js'
import type { TokenView } from './token-schemas.js'
import type { Scopes } from './token-rules.js'

/** Day key of the enrollment cap: the server's local date (TZ), the zone reports use too. */
export function enrollmentDay(now = new Date()): string {
  const y = now.getFullYear()
  const m = String(now.getMonth() + 1).padStart(2, '0')
  const d = String(now.getDate()).padStart(2, '0')
  return `${y}-${m}-${d}`
}

export function parseJsonObject(text: string | null): Record<string, unknown> | null {
  if (text === null) return null
  try {
    const value: unknown = JSON.parse(text)
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}

export function parseStringArray(text: string | null): string[] {
  if (text === null) return []
  try {
    const value: unknown = JSON.parse(text)
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
  } catch {
    return []
  }
}

/** The credential with this public key (the enroll and Basic-auth checks look it up by key). */
export async function findTokenRowByKey(db: Kysely<DB>, key: string): Promise<TokenRow | undefined> {
  return db.selectFrom('auto_enrollment_tokens').selectAll().where('token_key', '=', key).executeTakeFirst()
}

export async function findTokenRow(db: Kysely<DB>, id: string): Promise<TokenRow | undefined> {
  return db.selectFrom('auto_enrollment_tokens').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The creator as the API shows it: id and names, nothing else of the account. */
export async function findUserRef(db: Kysely<DB>, id: string | null) {
  const user = id ? await findUserById(db, id) : undefined
  return user ? { id: user.id, username: user.username, first_name: user.first_name, last_name: user.last_name } : null
}

export type TokenChanges = Omit<Updateable<AutoEnrollmentTokensTable>, 'id' | 'created_at' | 'updated_at'>

export async function insertTokenRow(db: Kysely<DB>, row: TokenRow): Promise<void> {
  await db.insertInto('auto_enrollment_tokens').values(row).execute()
}

export async function updateTokenRow(db: Kysely<DB>, id: string, changes: TokenChanges): Promise<void> {
  await db
    .updateTable('auto_enrollment_tokens')
    .set({ ...changes, updated_at: new Date().toISOString() })
    .where('id', '=', id)
    .execute()
}

export async function deleteTokenRow(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('auto_enrollment_tokens').where('id', '=', id).execute()
}

/** Rows for the admin list (newest first) or one row, with group and creator joined. */
async function selectViews(db: Kysely<DB>, id?: string): Promise<TokenView[]> {
  let query = db
    .selectFrom('auto_enrollment_tokens as t')
    .leftJoin('host_groups as g', 'g.id', 't.default_host_group_id')
    .leftJoin('users as u', 'u.id', 't.created_by_user_id')
    .selectAll('t')
    .select([
      'g.name as group_name',
      'g.color as group_color',
      'u.username as user_username',
      'u.first_name as user_first_name',
      'u.last_name as user_last_name'
    ])
    .orderBy('t.created_at', 'desc')
    .orderBy('t.id', 'desc')
  if (id !== undefined) query = query.where('t.id', '=', id)
  const rows = await query.execute()
  const today = enrollmentDay()
  return rows.map((r) => ({
    id: r.id,
    token_name: r.token_name,
    token_key: r.token_key,
    is_active: r.is_active === 1,
    allowed_ip_ranges: parseStringArray(r.allowed_ip_ranges),
    max_hosts_per_day: r.max_hosts_per_day,
    hosts_created_today: r.last_reset_date === today ? r.hosts_created_today : 0,
    last_used_at: r.last_used_at,
    expires_at: r.expires_at,
    created_at: r.created_at,
    updated_at: r.updated_at,
    default_host_group_id: r.default_host_group_id,
    metadata: parseJsonObject(r.metadata) ?? {},
    scopes: parseJsonObject(r.scopes) as Scopes | null,
    host_groups:
      r.default_host_group_id && r.group_name !== null
        ? { id: r.default_host_group_id, name: r.group_name, color: r.group_color ?? '#3B82F6' }
        : null,
    users:
      r.created_by_user_id && r.user_username !== null
        ? { id: r.created_by_user_id, username: r.user_username, first_name: r.user_first_name, last_name: r.user_last_name }
        : null
  }))
}

export const listTokenViews = (db: Kysely<DB>): Promise<TokenView[]> => selectViews(db)

export async function tokenView(db: Kysely<DB>, id: string): Promise<TokenView | undefined> {
  return (await selectViews(db, id))[0]
}
