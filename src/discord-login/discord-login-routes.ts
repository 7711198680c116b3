// The Discord OAuth2 flow: /login (302 to Discord), /callback (back from Discord), /link and
// /unlink for the profile page. State is random, single use, lives 10 minutes and is bound to
// the HttpOnly `discord_state` cookie; the code exchange proves possession with PKCE S256.
import { randomBytes } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { badRequest, unauthorized } from '../http/errors.js'
import { SECURITY } from '../http/openapi.js'
import { userOf } from '../http/session-auth.js'
import { safeEqual } from '../security/secret-hashing.js'
import { effectiveServerUrl } from '../settings/effective-server-url.js'
import { findUserById } from '../users/user-queries.js'
import { clearDiscordIdentity } from '../users/discord-identity-queries.js'
import { authorizeUrl, DiscordApiError, exchangeCode, fetchProfile, newPkce, type DiscordProfile } from './discord-api.js'
import { LOGIN_ERRORS, linkToUser, resolveLoginUser } from './discord-accounts.js'
import { isFullyConfigured, loadDiscordSettings, openClientSecret, redirectUriFor, type DiscordSettings } from './discord-settings.js'
import { CallbackQuery, LinkReply } from './discord-schemas.js'
import { MessageReply } from '../http/schema-fragments.js'
import { STATE_TTL_MS, type OAuthState } from './oauth-states.js'

export const STATE_COOKIE = 'discord_state'
const COOKIE_PATH = '/api/v1/auth/discord'

export const DISCORD_MESSAGES = {
  notEnabled: 'Discord authentication is not enabled',
  notConfigured: 'Discord is not fully configured. Please set Client ID and Client Secret in Settings > Discord Auth.',
  noneLinked: 'No Discord account linked',
  onlyLoginMethod: 'Cannot unlink Discord. You must have a password or another login method configured first.',
  unlinked: 'Discord account unlinked successfully'
} as const

const loginRedirect = (error: string) => `/login?${new URLSearchParams({ error }).toString()}`
const profileRedirect = (linked: boolean, error?: string) =>
  `/settings/profile?${new URLSearchParams({ discord_linked: String(linked), ...(error ? { error } : {}) }).toString()}`

export const discordLoginRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['discord-login']

  async function cookieOptions(request: FastifyRequest) {
    const secure = (await effectiveServerUrl(app, request)).startsWith('https://') || request.protocol === 'https'
    return { httpOnly: true, sameSite: 'lax' as const, secure, path: COOKIE_PATH }
  }

  /** Settings usable for a new authorisation, or the documented 400. */
  async function usableSettings(): Promise<{ settings: DiscordSettings; clientId: string }> {
    const settings = await loadDiscordSettings(app)
    if (!settings.enabled) throw badRequest(DISCORD_MESSAGES.notEnabled)
    if (!settings.clientId || !isFullyConfigured(app, settings)) throw badRequest(DISCORD_MESSAGES.notConfigured)
    return { settings, clientId: settings.clientId }
  }

  /** Stores a fresh state, sets its cookie and returns the Discord authorisation URL. */
  async function beginAuthorization(
    request: FastifyRequest,
    reply: FastifyReply,
    mode: OAuthState['mode'],
    userId?: string
  ): Promise<string> {
    const { settings, clientId } = await usableSettings()
    const state = randomBytes(32).toString('hex')
    const pkce = newPkce()
    const redirectUri = await redirectUriFor(app, request, settings)
    app.discordOAuthStates.put(state, { codeVerifier: pkce.verifier, mode, redirectUri, ...(userId ? { userId } : {}) })
    reply.setCookie(STATE_COOKIE, state, { ...(await cookieOptions(request)), maxAge: STATE_TTL_MS / 1000 })
    return authorizeUrl(app.config.discordApiUrl, { clientId, redirectUri, state, challenge: pkce.challenge })
  }

  app.get(
    '/api/v1/auth/discord/login',
    { schema: { tags, summary: 'Start "Login with Discord": 302 to Discord' }, config: { rateLimit: app.rateLimitBucket('auth') } },
    async (request, reply) => reply.redirect(await beginAuthorization(request, reply, 'login'), 302)
  )

  app.post(
    '/api/v1/auth/discord/link',
    {
      schema: { tags, summary: 'Start linking Discord to the signed-in user', security: SECURITY.bearer, response: { 200: LinkReply } },
      preHandler: app.authenticate,
      config: { rateLimit: app.rateLimitBucket('general') }
    },
    async (request, reply) => ({ url: await beginAuthorization(request, reply, 'link', userOf(request).id) })
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
      config: { rateLimit: app.rateLimitBucket('general') }
    },
    async (request) => {
      const row = await findUserById(app.store.db, userOf(request).id)
      if (!row) throw unauthorized()
      if (row.discord_id === null) throw badRequest(DISCORD_MESSAGES.noneLinked)
      // Discord is the only way in without a password: unlinking would lock the user out.
      if (row.password_hash === null) throw badRequest(DISCORD_MESSAGES.onlyLoginMethod)
      await clearDiscordIdentity(app.store.db, row.id)
      return { message: DISCORD_MESSAGES.unlinked }
    }
  )

  /** Code → token → profile; undefined (logged) when Discord fails or the settings changed meanwhile. */
  async function profileFor(
    request: FastifyRequest,
    code: string,
    pending: OAuthState
  ): Promise<DiscordProfile | 'not_configured' | undefined> {
    const settings = await loadDiscordSettings(app)
    const clientSecret = openClientSecret(app, settings)
    if (!settings.enabled || !settings.clientId || clientSecret === undefined) return 'not_configured'
    try {
      const accessToken = await exchangeCode(app.config.discordApiUrl, {
        clientId: settings.clientId,
        clientSecret,
        code,
        redirectUri: pending.redirectUri,
        verifier: pending.codeVerifier
      })
      return await fetchProfile(app.config.discordApiUrl, accessToken)
    } catch (err) {
      if (!(err instanceof DiscordApiError)) throw err
      request.log.warn({ detail: err.detail }, 'Discord sign-in failed')
      return undefined
    }
  }

  app.get(
    '/api/v1/auth/discord/callback',
    {
      schema: { tags, summary: 'Discord redirects here; signs in or links, then redirects to the dashboard', querystring: CallbackQuery },
      config: { rateLimit: app.rateLimitBucket('auth') }
    },
    async (request, reply) => {
      const { code, state, error } = request.query
      const cookieState = request.cookies[STATE_COOKIE]
      reply.clearCookie(STATE_COOKIE, await cookieOptions(request))
      if (!state || !cookieState || !safeEqual(state, cookieState)) return reply.redirect(loginRedirect(LOGIN_ERRORS.invalidResponse), 302)
      const pending = app.discordOAuthStates.take(state)
      if (!pending) return reply.redirect(loginRedirect(LOGIN_ERRORS.sessionExpired), 302)
      const fail = (loginError: string, linkError: string) =>
        reply.redirect(pending.mode === 'link' ? profileRedirect(false, linkError) : loginRedirect(loginError), 302)
      if (error) return fail(LOGIN_ERRORS.failed, 'authentication_failed')
      if (!code) return fail(LOGIN_ERRORS.invalidResponse, 'invalid_response')

      const profile = await profileFor(request, code, pending)
      if (profile === 'not_configured') return fail(LOGIN_ERRORS.notConfigured, 'not_configured')
      if (!profile) return fail(LOGIN_ERRORS.failed, 'authentication_failed')

      if (pending.mode === 'link') {
        const result = pending.userId ? await linkToUser(app, pending.userId, profile) : 'user_gone'
        if (result === 'linked') request.log.info({ userId: pending.userId }, 'Discord identity linked from the profile')
        return reply.redirect(result === 'linked' ? profileRedirect(true) : profileRedirect(false, result), 302)
      }
      const resolved = await resolveLoginUser(app, profile)
      if ('error' in resolved) {
        request.log.info({ reason: resolved.error }, 'Discord sign-in refused')
        return reply.redirect(loginRedirect(resolved.error), 302)
      }
      await app.startSession(request, reply, resolved.user)
      request.log.info({ userId: resolved.user.id }, 'signed in with Discord')
      return reply.redirect('/?discord=success', 302)
    }
  )
}
