// Sign-in for people: POST /api/v1/auth/login, logout, me, change-password.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { validationMessagesOf } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { SECURITY } from '../http/openapi.js'
import { SESSION_COOKIE, userOf } from '../http/session-auth.js'
import type { UserRow } from '../store/database-types.js'
import { LoginLockout } from './login-lockout.js'
import { durationToMs, revokeSession } from './sessions.js'
import { changePassword, currentUserView, issueSession, judgeAccountPassword, passwordLogin, type SignInMethod } from './auth-service.js'
import { ChangePasswordBody, LoginBody, LoginReply, SecondFactorRequiredReply, UserView } from './auth-schemas.js'
import { MessageReply, OpenErrorReply as ErrorReply } from '../http/schema-fragments.js'

declare module 'fastify' {
  interface FastifyInstance {
    loginLockout: LoginLockout
    /**
     * Checks a signed-in user's password (tfa/disable, change-password, ...) under the same
     * lockout budget as the login: 429 while locked, false when wrong.
     */
    judgePassword: (request: FastifyRequest, userId: string, password: string, hash: string | null) => Promise<boolean>
    /**
     * Issues a session + JWT for a user who has proven who they are (password, TFA, Discord, OIDC);
     * the audit log records the sign-in with its method.
     */
    startSession: (
      request: FastifyRequest,
      reply: FastifyReply,
      user: UserRow,
      method: SignInMethod
    ) => Promise<{ token: string; expires_at: string }>
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

export type SecondFactorChallenge = (
  user: UserRow,
  request: FastifyRequest
) => Promise<Static<typeof SecondFactorRequiredReply> | undefined>

// Wrapped with fastify-plugin so startSession and the second-factor hook are visible to the
// features that sign people in (TFA, Discord), not only inside this plugin.
const authRoutesPlugin: FastifyPluginAsyncTypebox = async (app) => {
  const lifetimeMs = durationToMs(app.config.jwtExpiresIn)
  app.decorate('loginLockout', new LoginLockout(app.config.maxLoginAttempts, app.config.lockoutMinutes * 60_000))
  app.decorate('judgePassword', (request: FastifyRequest, userId: string, password: string, hash: string | null) =>
    judgeAccountPassword(app, request, userId, password, hash)
  )
  let secondFactor: SecondFactorChallenge = async () => undefined
  app.decorate('secondFactorChallenge', (user: UserRow, request: FastifyRequest) => secondFactor(user, request))
  app.decorate('setSecondFactorChallenge', (challenge: SecondFactorChallenge) => {
    secondFactor = challenge
  })

  app.decorate('startSession', (request: FastifyRequest, reply: FastifyReply, user: UserRow, method: SignInMethod) =>
    issueSession(
      app,
      lifetimeMs,
      (token, secure, maxAge) => reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge }),
      request,
      user,
      method
    )
  )

  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with username (or e-mail) and password',
        body: LoginBody,
        response: {
          200: Type.Union([LoginReply, SecondFactorRequiredReply]),
          401: ErrorReply,
          429: ErrorReply
        }
      },
      config: {
        audit: { notAudited: 'the sign-in service records each outcome (signin.success, signin.failure)' },
        rateLimit: app.rateLimitBucket('auth'),
        validationShape: 'single',
        validationMessages: validationMessagesOf({ username: E.credentialsRequired, password: E.credentialsRequired })
      }
    },
    async (request, reply) => passwordLogin(app, request, reply, request.body)
  )

  app.post(
    '/api/v1/auth/logout',
    {
      schema: { tags: ['auth'], security: SECURITY.bearer, response: { 200: MessageReply } },
      preHandler: app.authenticate,
      config: { audit: { action: 'auth.logout' } }
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
    async (request) => currentUserView(app, request)
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
      config: {
        audit: { action: 'auth.password_change' },
        rateLimit: app.rateLimitBucket('auth'),
        validationMessages: validationMessagesOf({ new_password: E.newPasswordTooShort })
      }
    },
    async (request) => {
      await changePassword(app, request, request.body)
      return { message: 'Password changed successfully' }
    }
  )
}

export const authRoutes = fp(authRoutesPlugin, { name: 'auth-routes', dependencies: ['session-auth', 'rate-limits'] })
