// Server-side sessions: every JWT names one, so logout, password resets and disabling a user take
// effect immediately instead of when the token expires.
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { newId } from '../security/random-tokens.js'
import type { SessionUser } from '../http/session-auth.js'
import { rolePermissions } from './role-queries.js'
import { hostScopeOfUser } from './scope-queries.js'

export function durationToMs(duration: string): number {
  const m = /^(\d+)([smhd])$/.exec(duration)
  if (!m) throw new Error(`bad duration ${duration}`)
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd']
  return Number(m[1]) * unit
}

export async function createSession(db: Kysely<DB>, userId: string, lifetimeMs: number, ip: string, userAgent: string | undefined) {
  const now = new Date()
  const session = {
    id: newId(),
    user_id: userId,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + lifetimeMs).toISOString(),
    revoked_at: null,
    ip,
    user_agent: userAgent?.slice(0, 300) ?? null
  }
  await db.insertInto('user_sessions').values(session).execute()
  return session
}

/** last_seen_at is written at most this often per session: a read per request, a write per minute. */
export const LAST_SEEN_EVERY_MS = 60_000

/** The user behind a live session, or undefined when the session is revoked or expired. */
async function activeSessionUser(db: Kysely<DB>, sessionId: string, userId: string) {
  return db
    .selectFrom('user_sessions')
    .innerJoin('users', 'users.id', 'user_sessions.user_id')
    .select(['users.id', 'users.username', 'users.email', 'users.role', 'users.first_name', 'users.last_name', 'users.is_active'])
    .select(['user_sessions.created_at as session_created_at', 'user_sessions.last_seen_at'])
    .where('user_sessions.id', '=', sessionId)
    .where('user_sessions.user_id', '=', userId)
    .where('user_sessions.revoked_at', 'is', null)
    .where('user_sessions.expires_at', '>', new Date().toISOString())
    .executeTakeFirst()
}

export async function revokeSession(db: Kysely<DB>, sessionId: string): Promise<void> {
  await db.updateTable('user_sessions').set({ revoked_at: new Date().toISOString() }).where('id', '=', sessionId).execute()
}

/** Ends every live session of a user (but `exceptSessionId`); returns how many ended. */
export async function revokeUserSessions(db: Kysely<DB>, userId: string, exceptSessionId?: string): Promise<number> {
  let q = db
    .updateTable('user_sessions')
    .set({ revoked_at: new Date().toISOString() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date().toISOString())
  if (exceptSessionId) q = q.where('id', '!=', exceptSessionId)
  const result = await q.executeTakeFirst()
  return Number(result.numUpdatedRows)
}

export async function pruneExpiredSessions(db: Kysely<DB>): Promise<number> {
  const cutoff = new Date(Date.now() - 7 * 86_400_000).toISOString()
  const result = await db.deleteFrom('user_sessions').where('expires_at', '<', cutoff).executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** The session guards' lookup (passed to http/session-auth.ts): the user and its role's permissions. */
export async function findSessionUser(db: Kysely<DB>, sessionId: string, userId: string): Promise<SessionUser | undefined> {
  const found = await activeSessionUser(db, sessionId, userId)
  if (!found) return undefined
  const { session_created_at: createdAt, last_seen_at: lastSeenAt, ...row } = found
  await touchSession(db, sessionId, lastSeenAt ?? createdAt)
  // A disabled user is refused before its role matters, so its permissions are not looked up.
  if (row.is_active !== 1) return { ...row, permissions: undefined, hostScope: null }
  return { ...row, permissions: await rolePermissions(db, row.role), hostScope: await hostScopeOfUser(db, row.id, row.role) }
}

/** Moves last_seen_at to now when it is older than LAST_SEEN_EVERY_MS (the only write on the request path). */
async function touchSession(db: Kysely<DB>, sessionId: string, lastSeen: string, now = new Date()): Promise<void> {
  if (now.getTime() - Date.parse(lastSeen) < LAST_SEEN_EVERY_MS) return
  await db.updateTable('user_sessions').set({ last_seen_at: now.toISOString() }).where('id', '=', sessionId).execute()
}

/** A user's live sessions, most recently used first. */
export async function liveSessionsOf(db: Kysely<DB>, userId: string) {
  return db
    .selectFrom('user_sessions')
    .select(['id', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date().toISOString())
    .orderBy((eb) => eb.fn.coalesce('last_seen_at', 'created_at'), 'desc')
    .orderBy('id')
    .execute()
}

/** Ends one live session of a user; false when it is not theirs, already ended or expired. */
export async function revokeSessionOf(db: Kysely<DB>, userId: string, sessionId: string): Promise<boolean> {
  const result = await db
    .updateTable('user_sessions')
    .set({ revoked_at: new Date().toISOString() })
    .where('id', '=', sessionId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date().toISOString())
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}
