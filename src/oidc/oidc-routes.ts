// OpenID Connect sign-in routes: /login (302 to the provider), /callback (back from it), /logout
// (the provider's end-session after the dashboard signed out). The flow itself is oidc-flow.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { beginSignIn, endSession, finishSignIn } from './oidc-flow.js'
import { OidcCallbackQuery } from './oidc-schemas.js'

export const oidcRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['oidc']

  app.get(
    '/api/v1/auth/oidc/login',
    { schema: { tags, summary: 'Start OpenID Connect sign-in: 302 to the provider' }, config: { rateLimit: app.rateLimitBucket('auth') } },
    async (request, reply) => reply.redirect(await beginSignIn(app, request, reply), 302)
  )

  app.get(
    '/api/v1/auth/oidc/callback',
    {
      schema: { tags, summary: 'The provider redirects here; signs in, then redirects to the dashboard', querystring: OidcCallbackQuery },
      config: { rateLimit: app.rateLimitBucket('auth') }
    },
    async (request, reply) => reply.redirect(await finishSignIn(app, request, reply, request.query), 302)
  )

  app.get(
    '/api/v1/auth/oidc/logout',
    { schema: { tags, summary: "End the provider's session too (when enabled): 302" }, config: { rateLimit: app.rateLimitBucket('auth') } },
    async (request, reply) => reply.redirect(await endSession(app, request, reply), 302)
  )
}
