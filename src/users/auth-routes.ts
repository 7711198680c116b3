// Sign-in for people: POST /api/v1/auth/login, logout, me, change-password.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { errorOf, unauthorized, validationMessagesOf } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { SECURITY } from '../http/openapi.js'
import { SESSION_COOKIE, userOf } from '../http/session-auth.js'
import { verifySecret } from '../security/secret-hashing.js'
import type { UserRow } from '../store/database-types.js'
import { accountSubject, LoginLockout, loginLockedError } from './login-lockout.js'
import { rolePermissions } from './role-queries.js'
import { createSession, durationToMs, revokeSession } from './sessions.js'
import { findUserById, findUserForLogin, publicUser, recordLogin } from './user-queries.js'
import { changeOwnPassword } from './user-service.js'
import { ChangePasswordBody, LoginBody, LoginReply, UserView } from './auth-schemas.js'
import { MessageReply, OpenErrorReply as ErrorReply } from '../http/schema-fragments.js'

declare module 'fastify' {
  interface FastifyInstance {
    loginLockout: LoginLockout
    /**
     * Checks a signed-in user's password (tfa/disable, change-password, ...) under the same
     * lockout budget as the login: 429 while locked, false when wrong.
     */
    judgePassword: (request: FastifyRequest, userId: string, password: string, hash: string | null) => Promise<boolean>
    /** Issues a session + JWT for a user who has proven who they are (password, TFA, Discord). */
    startSession: (request: FastifyRequest, reply: FastifyReply, user: UserRow) => Promise<{ token: string; expires_at: string }>
    /**
     * Called after a correct password, before a session is issued. The TFA feature installs its
     * own with setSecondFactorChallenge to answer "TFA required" instead; returning undefined
     * means "no second step".
     */
    secondFactorChallenge: SecondFactorChallenge
    /** Replaces the second-factor hook (a setter, so an encapsulated plugin can install it). */
    setSecondFactorChallenge: (challenge: SecondFactorChallenge) => void
  }
}

const E = ERROR_MESSAGES.auth

export type SecondFactorChallenge = (user: UserRow, request: FastifyRequest) => Promise<Record<string, unknown> | undefined>

// Wrapped with fastify-plugin so startSession and the second-factor hook are visible to the
// features that sign people in (TFA, Discord), not only inside this plugin.
const authRoutesPlugin: FastifyPluginAsyncTypebox = async (app) => {
  const lifetimeMs = durationToMs(app.config.jwtExpiresIn)
  app.decorate('loginLockout', new LoginLockout(app.config.maxLoginAttempts, app.config.lockoutMinutes * 60_000))
  app.decorate('judgePassword', async (request: FastifyRequest, userId: string, password: string, hash: string | null) => {
    const subject = accountSubject(userId)
    const admission = app.loginLockout.admit(subject, request.ip)
    if (!admission.admitted) throw loginLockedError(admission.retryAfterSeconds)
    const ok = await verifySecret(password, hash)
    if (ok) app.loginLockout.succeed(subject, request.ip)
    else if (admission.lockedUntil) request.log.warn({ userId, ip: request.ip }, 'account locked after failed password checks')
    return ok
  })
  let secondFactor: SecondFactorChallenge = async () => undefined
  app.decorate('secondFactorChallenge', (user: UserRow, request: FastifyRequest) => secondFactor(user, request))
  app.decorate('setSecondFactorChallenge', (challenge: SecondFactorChallenge) => {
    secondFactor = challenge
  })

  app.decorate('startSession', async (request: FastifyRequest, reply: FastifyReply, user: UserRow) => {
    const session = await createSession(app.store.db, user.id, lifetimeMs, request.ip, request.headers['user-agent'])
    const token = app.jwt.sign({ sub: user.id, sid: session.id, typ: 'access' })
    await recordLogin(app.store.db, user.id, session.created_at)
    const secure = (app.config.serverUrl ?? '').startsWith('https://') || request.protocol === 'https'
    reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: Math.floor(lifetimeMs / 1000) })
    return { token, expires_at: session.expires_at }
  })

  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with username (or e-mail) and password',
        body: LoginBody,
        response: {
          200: Type.Union([
            LoginReply,
            Type.Object({
              message: Type.String(),
              requiresTfa: Type.Boolean(),
              username: Type.String(),
              tfaTicket: Type.Optional(Type.String())
            })
          ]),
          401: ErrorReply,
          429: ErrorReply
        }
      },
      config: {
        rateLimit: app.rateLimitBucket('auth'),
        validationShape: 'single',
        validationMessages: validationMessagesOf({ username: E.credentialsRequired, password: E.credentialsRequired })
      }
    },
    async (request, reply) => {
      const { username, password } = request.body
      const user = await findUserForLogin(app.store.db, username)
      // Keyed on the account, so its name and its e-mail share one counter; an unknown name
      // gets its own (it can never sign in, but guessing it is still counted).
      const subject = user ? accountSubject(user.id) : `name:${username}`
      const admission = app.loginLockout.admit(subject, request.ip)
      if (!admission.admitted) throw loginLockedError(admission.retryAfterSeconds)
      const ok = await verifySecret(password, user?.password_hash ?? null)
      if (!user || !ok) {
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
      if (user.is_active !== 1) throw errorOf(ERROR_MESSAGES.http.accountDisabled)
      const challenge = await app.secondFactorChallenge(user, request)
      if (challenge) return reply.send(challenge as never)
      const session = await app.startSession(request, reply, user)
      const permissions = (await rolePermissions(app.store.db, user.role)) ?? []
      return { message: 'Login successful', token: session.token, expires_at: session.expires_at, user: publicUser(user, permissions) }
    }
  )

  app.post(
    '/api/v1/auth/logout',
    {
      schema: { tags: ['auth'], security: SECURITY.bearer, response: { 200: MessageReply } },
      preHandler: app.authenticate
    },
    async (request, reply) => {
      await revokeSession(app.store.db, userOf(request).sessionId)
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return { message: 'Logged out' }
    }
  )

  app.get(
    '/api/v1/auth/me',
    {
      schema: { tags: ['auth'], security: SECURITY.bearer, response: { 200: Type.Object({ user: UserView }) } },
      preHandler: app.authenticate,
      config: { rateLimit: app.rateLimitBucket('general') }
    },
    async (request) => {
      const current = userOf(request)
      const row = await findUserById(app.store.db, current.id)
      if (!row) throw unauthorized()
      return { user: publicUser(row, [...current.permissions]) }
    }
  )

  app.post(
    '/api/v1/auth/change-password',
    {
      schema: {
        tags: ['auth'],
        security: SECURITY.bearer,
        body: ChangePasswordBody,
        response: { 200: MessageReply }
      },
      preHandler: app.authenticate,
      config: { rateLimit: app.rateLimitBucket('auth'), validationMessages: validationMessagesOf({ new_password: E.newPasswordTooShort }) }
    },
    async (request) => {
      const current = userOf(request)
      const row = await findUserById(app.store.db, current.id)
      if (!row) throw unauthorized()
      // A user without a password (Discord sign-up) may set one without knowing a current one.
      if (row.password_hash !== null && !(await app.judgePassword(request, row.id, request.body.current_password, row.password_hash))) {
        throw errorOf(E.currentPasswordWrong)
      }
      await changeOwnPassword(app.store.db, row.id, request.body.new_password, current.sessionId)
      return { message: 'Password changed successfully' }
    }
  )
}

export const authRoutes = fp(authRoutesPlugin, { name: 'auth-routes', dependencies: ['session-auth', 'rate-limits'] })
