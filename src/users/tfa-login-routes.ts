// POST /api/v1/auth/verify-tfa, the second login step, and the login's second-factor hook that
// hands out its ticket. The rules are in tfa-login.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { validationMessagesOf } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { OpenErrorReply as ErrorReply } from '../http/schema-fragments.js'
import { LoginReply } from './auth-schemas.js'
import { tfaChallenge, verifyTfaLogin } from './tfa-login.js'
import { VerifyTfaBody } from './tfa-schemas.js'

const E = ERROR_MESSAGES.tfaLogin

export const tfaLoginRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.setSecondFactorChallenge(async (user) => tfaChallenge(app, user))

  app.post(
    '/api/v1/auth/verify-tfa',
    {
      schema: {
        tags: ['auth'],
        summary: 'Second login step: a TOTP or backup code plus the ticket from /auth/login',
        body: VerifyTfaBody,
        response: { 200: LoginReply, 401: ErrorReply, 429: ErrorReply }
      },
      config: {
        audit: { notAudited: 'the TFA sign-in step records its outcome (signin.success, signin.failure)' },
        rateLimit: app.rateLimitBucket('auth'),
        validationShape: 'single',
        validationMessages: validationMessagesOf({ username: E.usernameRequired, token: E.tokenRequired, tfa_ticket: E.ticketRequired })
      }
    },
    async (request, reply) => verifyTfaLogin(app, request, reply, request.body)
  )
}
