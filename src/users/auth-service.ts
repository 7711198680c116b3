// The rules of signing in with a password (the routes are auth-routes.ts): the lockout counts an
// attempt before its bcrypt compare and per account (name and e-mail share one counter), a lock is
// an `account_locked` event, a disabled account is refused only after a right password, a user with
// TFA gets the second-step challenge instead of a session; and the signed-in user's own password
// change needs the current password (unless the account has none, e.g. a Discord sign-up).
import type { Static } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { errorOf, unauthorized } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { userOf } from '../http/session-auth.js'
import { verifySecret } from '../security/secret-hashing.js'
import type { UserRow } from '../store/database-types.js'
import type { LoginReply, SecondFactorRequiredReply } from './auth-schemas.js'
import { accountSubject, loginLockedError } from './login-lockout.js'
import { rolePermissions } from './role-queries.js'
import { createSession } from './sessions.js'
import { findUserById, findUserForLogin, publicUser, recordLogin } from './user-queries.js'
import { changeOwnPassword } from './user-service.js'
import { recordAudit, userActor } from '../audit/record-audit.js'

const E = ERROR_MESSAGES.auth

/** How a person proved who they are; the audit log keeps it with each sign-in. */
export type SignInMethod = 'password' | 'tfa' | 'discord' | 'oidc'

/**
 * One sign-in outcome in the audit log: signin.success or signin.failure with a reason code
 * (unknown_user, wrong_password, locked, disabled, invalid_code, ...). An unknown name is not
 * kept: people type passwords into the name field.
 */
export async function recordSignIn(
  app: FastifyInstance,
  request: FastifyRequest,
  user: Pick<UserRow, 'id' | 'username'> | undefined,
  method: SignInMethod,
  outcome: 'success' | 'failure',
  reason: string | null,
  sessionId?: string
): Promise<void> {
  await recordAudit(app, request, {
    action: outcome === 'success' ? 'signin.success' : 'signin.failure',
    outcome,
    reason,
    actor: user ? userActor(user) : { type: 'anonymous', id: null, label: null },
    target: sessionId ? { type: 'session', id: sessionId } : null,
    details: { method }
  })
}

/** A session for a user who proved who they are: the JWT in the reply body and in the HttpOnly cookie. */
export async function issueSession(
  app: FastifyInstance,
  lifetimeMs: number,
  setCookie: (token: string, secure: boolean, maxAgeSeconds: number) => void,
  request: FastifyRequest,
  user: UserRow,
  method: SignInMethod
): Promise<{ token: string; expires_at: string }> {
  const session = await createSession(app.store.db, user.id, lifetimeMs, request.ip, request.headers['user-agent'])
  const token = app.jwt.sign({ sub: user.id, sid: session.id, typ: 'access' })
  await recordLogin(app.store.db, user.id, session.created_at)
  await recordSignIn(app, request, user, method, 'success', null, session.id)
  const secure = (app.config.serverUrl ?? '').startsWith('https://') || request.protocol === 'https'
  setCookie(token, secure, Math.floor(lifetimeMs / 1000))
  return { token, expires_at: session.expires_at }
}

/** A signed-in user's password, judged under the same lockout as the login: 429 while locked. */
export async function judgeAccountPassword(
  app: FastifyInstance,
  request: FastifyRequest,
  userId: string,
  password: string,
  hash: string | null
): Promise<boolean> {
  const subject = accountSubject(userId)
  const admission = app.loginLockout.admit(subject, request.ip)
  if (!admission.admitted) throw loginLockedError(admission.retryAfterSeconds)
  const ok = await verifySecret(password, hash)
  if (ok) app.loginLockout.succeed(subject, request.ip)
  else if (admission.lockedUntil) request.log.warn({ userId, ip: request.ip }, 'account locked after failed password checks')
  return ok
}

/** The body of a successful sign-in: a new session and the user with their permissions. */
export async function signedIn(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  user: UserRow,
  method: SignInMethod = 'password'
): Promise<Static<typeof LoginReply>> {
  const session = await app.startSession(request, reply, user, method)
  const permissions = (await rolePermissions(app.store.db, user.role)) ?? []
  return { message: 'Login successful', token: session.token, expires_at: session.expires_at, user: publicUser(user, permissions) }
}

/** POST /auth/login: a session, or the second-factor challenge for a user with TFA on. */
export async function passwordLogin(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  { username, password }: { username: string; password: string }
): Promise<Static<typeof LoginReply> | Static<typeof SecondFactorRequiredReply>> {
  const user = await findUserForLogin(app.store.db, username)
  // Keyed on the account, so its name and its e-mail share one counter; an unknown name
  // gets its own (it can never sign in, but guessing it is still counted).
  const subject = user ? accountSubject(user.id) : `name:${username}`
  const admission = app.loginLockout.admit(subject, request.ip)
  if (!admission.admitted) {
    await recordSignIn(app, request, user, 'password', 'failure', 'locked')
    throw loginLockedError(admission.retryAfterSeconds)
  }
  const ok = await verifySecret(password, user?.password_hash ?? null)
  if (!user || !ok) {
    await recordSignIn(app, request, user, 'password', 'failure', user ? 'wrong_password' : 'unknown_user')
    if (admission.lockedUntil) {
      const name = user?.username ?? username
      request.log.warn({ username: name, ip: request.ip }, 'account locked after failed logins')
      app.events.emit('account_locked', {
        username: name,
        ip: request.ip,
        failures: admission.failures,
        lockedUntil: admission.lockedUntil.toISOString()
      })
    }
    throw errorOf(E.invalidCredentials)
  }
  app.loginLockout.succeed(subject, request.ip)
  if (user.is_active !== 1) {
    await recordSignIn(app, request, user, 'password', 'failure', 'disabled')
    throw errorOf(ERROR_MESSAGES.http.accountDisabled)
  }
  return (await app.secondFactorChallenge(user, request)) ?? signedIn(app, request, reply, user)
}

/** GET /auth/me: the signed-in user as the dashboard shows them. */
export async function currentUserView(app: FastifyInstance, request: FastifyRequest) {
  const current = userOf(request)
  const row = await findUserById(app.store.db, current.id)
  if (!row) throw unauthorized()
  return { user: publicUser(row, [...current.permissions]) }
}

/** POST /auth/change-password: this session stays, the user's others end. */
export async function changePassword(
  app: FastifyInstance,
  request: FastifyRequest,
  body: { current_password: string; new_password: string }
): Promise<void> {
  const current = userOf(request)
  const row = await findUserById(app.store.db, current.id)
  if (!row) throw unauthorized()
  // A user without a password (Discord sign-up) may set one without knowing a current one.
  if (row.password_hash !== null && !(await app.judgePassword(request, row.id, body.current_password, row.password_hash))) {
    throw errorOf(E.currentPasswordWrong)
  }
  await changeOwnPassword(app.store.db, row.id, body.new_password, current.sessionId)
}
