// Reads and writes of the credentials table (auto_enrollment_tokens). The admin view of a row
// (group and creator added) is assembled in token-service.ts from users/ and hosts/ lookups.
import type { Kysely, Updateable } from 'kysely'
import type { AutoEnrollmentTokensTable, DB, TokenRow } from '../store/database-types.js'
import { findUserById } from '../users/user-queries.js'

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

/** Rows for the admin list (newest first), or the one row with this id. */
export async function listTokenRows(db: Kysely<DB>, id?: string): Promise<TokenRow[]> {
  let query = db.selectFrom('auto_enrollment_tokens').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc')
  if (id !== undefined) query = query.where('id', '=', id)
  return query.execute()
}
