// Sessions and devices (issue 18 part 5): every signed-in user lists and ends their own sessions;
// can_manage_users lists and ends another user's. Rules are in session-service.ts.
//   GET    /api/v1/auth/sessions                   mine ("current" marks this one)
//   DELETE /api/v1/auth/sessions/:id               end one of mine (the current one = sign out)
//   POST   /api/v1/auth/sessions/end-others        end all of mine but this one
//   GET    /api/v1/users/:id/sessions              a user's
//   DELETE /api/v1/users/:id/sessions/:sessionId   end one of a user's
//   DELETE /api/v1/users/:id/sessions              end all of a user's
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SECURITY } from '../http/openapi.js'
import { ErrorMessageReply, IdParams, MessageReply } from '../http/schema-fragments.js'
import { SESSION_COOKIE } from '../http/session-auth.js'
import { SessionListReply, SessionParams, SessionsEndedReply, UserSessionParams } from './session-schemas.js'
import { endAllUserSessions, endOtherOwnSessions, endOwnSession, endUserSession, ownSessions, userSessions } from './session-service.js'

const errors = { 401: ErrorMessageReply, 403: ErrorMessageReply, 404: ErrorMessageReply }

export const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const common = { tags: ['auth'], security: SECURITY.bearer }
  const rateLimit = app.rateLimitBucket('general')
  const manage = app.requirePermission('can_manage_users')

  app.get(
    '/api/v1/auth/sessions',
    {
      schema: { ...common, summary: 'My active sessions', response: { 200: SessionListReply, ...errors } },
      preHandler: app.authenticate,
      config: { rateLimit }
    },
    async (request) => ownSessions(app, request)
  )

  app.delete(
    '/api/v1/auth/sessions/:id',
    {
      schema: { ...common, summary: 'End one of my sessions', params: SessionParams, response: { 200: MessageReply, ...errors } },
      preHandler: app.authenticate,
      config: { rateLimit, audit: { action: 'session.end', target: 'session' } }
    },
    async (request, reply) => {
      if (await endOwnSession(app, request, request.params.id)) reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return { message: 'Session ended' }
    }
  )

  app.post(
    '/api/v1/auth/sessions/end-others',
    {
      schema: { ...common, summary: 'End all my sessions but this one', response: { 200: SessionsEndedReply, ...errors } },
      preHandler: app.authenticate,
      config: { rateLimit, audit: { action: 'session.end_others' } }
    },
    async (request) => endOtherOwnSessions(app, request)
  )

  app.get(
    '/api/v1/users/:id/sessions',
    {
      schema: {
        ...common,
        tags: ['users'],
        summary: "A user's active sessions",
        params: IdParams,
        response: { 200: SessionListReply, ...errors }
      },
      preHandler: manage,
      config: { rateLimit }
    },
    async (request) => userSessions(app, request, request.params.id)
  )

  app.delete(
    '/api/v1/users/:id/sessions/:sessionId',
    {
      schema: {
        ...common,
        tags: ['users'],
        summary: "End one of a user's sessions",
        params: UserSessionParams,
        response: { 200: MessageReply, ...errors }
      },
      preHandler: manage,
      config: { rateLimit, audit: { action: 'user.session_end', target: 'user' } }
    },
    async (request) => {
      await endUserSession(app, request, request.params.id, request.params.sessionId)
      return { message: 'Session ended' }
    }
  )

  app.delete(
    '/api/v1/users/:id/sessions',
    {
      schema: {
        ...common,
        tags: ['users'],
        summary: "End all of a user's sessions",
        params: IdParams,
        response: { 200: SessionsEndedReply, ...errors }
      },
      preHandler: manage,
      config: { rateLimit, audit: { action: 'user.sessions_end', target: 'user' } }
    },
    async (request) => endAllUserSessions(app, request, request.params.id)
  )
}
