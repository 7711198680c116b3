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

/** The user behind a live session, or undefined when the session is revoked or expired. */
async function activeSessionUser(db: Kysely<DB>, sessionId: string, userId: string) {
  return db
    .selectFrom('user_sessions')
    .innerJoin('users', 'users.id', 'user_sessions.user_id')
    .select(['users.id', 'users.username', 'users.email', 'users.role', 'users.first_name', 'users.last_name', 'users.is_active'])
    .where('user_sessions.id', '=', sessionId)
    .where('user_sessions.user_id', '=', userId)
    .where('user_sessions.revoked_at', 'is', null)
    .where('user_sessions.expires_at', '>', new Date().toISOString())
    .executeTakeFirst()
}

export async function revokeSession(db: Kysely<DB>, sessionId: string): Promise<void> {
  await db.updateTable('user_sessions').set({ revoked_at: new Date().toISOString() }).where('id', '=', sessionId).execute()
}

export async function revokeUserSessions(db: Kysely<DB>, userId: string, exceptSessionId?: string): Promise<void> {
  let q = db
    .updateTable('user_sessions')
    .set({ revoked_at: new Date().toISOString() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
  if (exceptSessionId) q = q.where('id', '!=', exceptSessionId)
  await q.execute()
}

export async function pruneExpiredSessions(db: Kysely<DB>): Promise<number> {
  const cutoff = new Date(Date.now() - 7 * 86_400_000).toISOString()
  const result = await db.deleteFrom('user_sessions').where('expires_at', '<', cutoff).executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** The session guards' lookup (passed to http/session-auth.ts): the user and its role's permissions. */
export async function findSessionUser(db: Kysely<DB>, sessionId: string, userId: string): Promise<SessionUser | undefined> {
  const row = await activeSessionUser(db, sessionId, userId)
  if (!row) return undefined
  // A disabled user is refused before its role matters, so its permissions are not looked up.
  if (row.is_active !== 1) return { ...row, permissions: undefined, hostScope: null }
  return { ...row, permissions: await rolePermissions(db, row.role), hostScope: await hostScopeOfUser(db, row.id, row.role) }
}
