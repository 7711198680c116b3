// The rules of sessions and devices: everyone sees and ends their own sessions; ending the current
// one is a sign-out. Users with can_manage_users see and end another user's, except a superadmin's
// without can_manage_superusers (the same rule as editing that account).
import type { Static } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { notFound } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { userOf } from '../http/session-auth.js'
import { auditDetail, auditTarget } from '../audit/audit-hooks.js'
import { liveSessionsOf, revokeSessionOf, revokeUserSessions } from './sessions.js'
import { existingUser, requireSuperuserRights } from './user-service.js'
import type { SessionListReply, SessionsEndedReply } from './session-schemas.js'

const E = ERROR_MESSAGES.sessions

async function sessionList(app: FastifyInstance, userId: string, currentSessionId: string): Promise<Static<typeof SessionListReply>> {
  const rows = await liveSessionsOf(app.store.db, userId)
  return {
    sessions: rows.map((r) => ({ ...r, last_seen_at: r.last_seen_at ?? r.created_at, current: r.id === currentSessionId }))
  }
}

/** The user an admin acts on, after the superadmin rule; the entry names them. */
async function managedUser(app: FastifyInstance, request: FastifyRequest, userId: string) {
  const actor = userOf(request)
  const target = await existingUser(app.store.db, userId)
  requireSuperuserRights(actor, target.role)
  auditTarget(request, { type: 'user', id: target.id, label: target.username })
  return target
}

export async function ownSessions(app: FastifyInstance, request: FastifyRequest) {
  const me = userOf(request)
  return sessionList(app, me.id, me.sessionId)
}

/** Ends one of the caller's sessions; true when it was the current one (the caller is now signed out). */
export async function endOwnSession(app: FastifyInstance, request: FastifyRequest, sessionId: string): Promise<boolean> {
  const me = userOf(request)
  if (!(await revokeSessionOf(app.store.db, me.id, sessionId))) throw notFound(E.notFound.message)
  return sessionId === me.sessionId
}

export async function endOtherOwnSessions(app: FastifyInstance, request: FastifyRequest): Promise<Static<typeof SessionsEndedReply>> {
  const me = userOf(request)
  const ended = await revokeUserSessions(app.store.db, me.id, me.sessionId)
  auditDetail(request, { ended })
  return { message: 'Other sessions ended', ended }
}

export async function userSessions(app: FastifyInstance, request: FastifyRequest, userId: string) {
  const target = await managedUser(app, request, userId)
  return sessionList(app, target.id, userOf(request).sessionId)
}

export async function endUserSession(app: FastifyInstance, request: FastifyRequest, userId: string, sessionId: string): Promise<void> {
  const target = await managedUser(app, request, userId)
  if (!(await revokeSessionOf(app.store.db, target.id, sessionId))) throw notFound(E.notFound.message)
  auditDetail(request, { session_id: sessionId })
}

/** Ends every session of a user (the admin's own current one too, when they pick themself). */
export async function endAllUserSessions(
  app: FastifyInstance,
  request: FastifyRequest,
  userId: string
): Promise<Static<typeof SessionsEndedReply>> {
  const target = await managedUser(app, request, userId)
  const ended = await revokeUserSessions(app.store.db, target.id)
  auditDetail(request, { ended })
  return { message: 'Sessions ended', ended }
}
