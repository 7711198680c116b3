// The Discord OAuth2 routes: /login (302 to Discord), /callback (back from Discord), /link and
// /unlink for the profile page. The flow itself (state, PKCE, sign-in or link) is discord-flow.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SECURITY } from '../http/openapi.js'
import { userOf } from '../http/session-auth.js'
import { MessageReply } from '../http/schema-fragments.js'
import { beginAuthorization, finishAuthorization, unlinkDiscord } from './discord-flow.js'
import { CallbackQuery, LinkReply } from './discord-schemas.js'

export const discordLoginRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['discord-login']

  app.get(
    '/api/v1/auth/discord/login',
    { schema: { tags, summary: 'Start "Login with Discord": 302 to Discord' }, config: { rateLimit: app.rateLimitBucket('auth') } },
    async (request, reply) => reply.redirect(await beginAuthorization(app, request, reply, 'login'), 302)
  )

  app.post(
    '/api/v1/auth/discord/link',
    {
      schema: { tags, summary: 'Start linking Discord to the signed-in user', security: SECURITY.bearer, response: { 200: LinkReply } },
      preHandler: app.authenticate,
      config: { audit: { action: 'discord.link_start' }, rateLimit: app.rateLimitBucket('general') }
    },
    async (request, reply) => ({ url: await beginAuthorization(app, request, reply, 'link', userOf(request).id) })
  )

  app.post(
    '/api/v1/auth/discord/unlink',
    {
      schema: {
        tags,
        summary: 'Remove the Discord identity from the signed-in user',
        security: SECURITY.bearer,
        response: { 200: MessageReply }
      },
      preHandler: app.authenticate,
      config: { audit: { action: 'discord.unlink' }, rateLimit: app.rateLimitBucket('general') }
    },
    async (request) => {
      await unlinkDiscord(app, userOf(request).id)
      return { message: 'Discord account unlinked successfully' }
    }
  )

  app.get(
    '/api/v1/auth/discord/callback',
    {
      schema: { tags, summary: 'Discord redirects here; signs in or links, then redirects to the dashboard', querystring: CallbackQuery },
      config: { rateLimit: app.rateLimitBucket('auth') }
    },
    async (request, reply) => reply.redirect(await finishAuthorization(app, request, reply, request.query), 302)
  )
}
