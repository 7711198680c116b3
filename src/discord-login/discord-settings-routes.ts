// Settings → Discord Auth (GET|PUT /api/v1/auth/discord/settings, can_manage_settings) and the
// public GET /api/v1/auth/discord/config the login page reads to show its button.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { parseServerUrl } from '../config.js'
import { badRequest } from '../http/errors.js'
import { SECURITY } from '../http/openapi.js'
import { userOf } from '../http/session-auth.js'
import { assertSignupGrantWithinAuthor } from '../settings/grant-limits.js'
import {
  derivedCallbackUrl,
  isFullyConfigured,
  loadDiscordSettings,
  saveDiscordSettings,
  type DiscordSettings,
  type DiscordSettingsChange
} from './discord-settings.js'
import { DiscordPublicConfig, DiscordSettingsBody, DiscordSettingsSaved, DiscordSettingsView } from './discord-schemas.js'

export const INVALID_REDIRECT_URI = 'Redirect URI must be an absolute http:// or https:// URL without a query string'
export const INVALID_CLIENT_ID = 'Client ID must not contain spaces'

async function view(app: FastifyInstance, request: FastifyRequest, settings: DiscordSettings) {
  return {
    discord_oauth_enabled: settings.enabled,
    discord_client_id: settings.clientId,
    discord_client_secret_set: settings.sealedSecret !== null,
    discord_redirect_uri: settings.redirectUri,
    discord_button_text: settings.buttonText,
    discord_callback_url: await derivedCallbackUrl(app, request)
  }
}

export const discordSettingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['discord-login']

  app.get(
    '/api/v1/auth/discord/config',
    {
      schema: { tags, summary: 'Whether the login page shows the Discord button, and its label', response: { 200: DiscordPublicConfig } },
      config: { rateLimit: app.rateLimitBucket('auth') }
    },
    async () => {
      const settings = await loadDiscordSettings(app)
      return { enabled: settings.enabled && isFullyConfigured(app, settings), buttonText: settings.buttonText }
    }
  )

  app.get(
    '/api/v1/auth/discord/settings',
    {
      schema: {
        tags,
        summary: 'Discord OAuth2 settings (the client secret only as set / not set)',
        security: SECURITY.bearer,
        response: { 200: DiscordSettingsView }
      },
      preHandler: app.requirePermission('can_manage_settings'),
      config: { rateLimit: app.rateLimitBucket('general') }
    },
    async (request) => view(app, request, await loadDiscordSettings(app))
  )

  app.put(
    '/api/v1/auth/discord/settings',
    {
      schema: {
        tags,
        summary: 'Change Discord OAuth2 settings; an empty client secret clears it, an absent one keeps it',
        security: SECURITY.bearer,
        body: DiscordSettingsBody,
        response: { 200: DiscordSettingsSaved }
      },
      preHandler: app.requirePermission('can_manage_settings'),
      config: { rateLimit: app.rateLimitBucket('general'), validationShape: 'single' }
    },
    async (request) => {
      const b = request.body
      const change: DiscordSettingsChange = {}
      const enabled = b.discord_oauth_enabled ?? b.discordOAuthEnabled ?? b.discordOauthEnabled
      if (enabled !== undefined) change.enabled = enabled
      const clientId = b.discord_client_id !== undefined ? b.discord_client_id : b.discordClientId
      if (clientId !== undefined) {
        if (clientId !== null && /\s/.test(clientId.trim())) throw badRequest(INVALID_CLIENT_ID)
        change.clientId = clientId
      }
      const secret = b.discord_client_secret !== undefined ? b.discord_client_secret : b.discordClientSecret
      if (secret !== undefined) change.clientSecret = secret
      const redirectUri = b.discord_redirect_uri !== undefined ? b.discord_redirect_uri : b.discordRedirectUri
      if (redirectUri !== undefined) change.redirectUri = normaliseRedirectUri(redirectUri)
      const buttonText = b.discord_button_text !== undefined ? b.discord_button_text : b.discordButtonText
      if (buttonText !== undefined) change.buttonText = buttonText

      // Turning Discord sign-in on (or pointing it at another app) opens sign-up with the default role.
      if (change.enabled === true || change.clientId !== undefined || change.clientSecret !== undefined) {
        await assertSignupGrantWithinAuthor(app, userOf(request), 'Discord sign-in')
      }
      const saved = await saveDiscordSettings(app, change)
      request.log.info({ fields: Object.keys(change) }, 'Discord settings updated')
      app.events.emit('settings_changed', { keys: Object.keys(change).map((k) => `discord_${k}`) })
      return { message: 'Discord settings updated successfully', ...(await view(app, request, saved)) }
    }
  )
}

/** Discord matches redirect URIs exactly: no query string, no trailing slash. */
function normaliseRedirectUri(value: string | null): string | null {
  if (value === null || value.trim() === '') return null
  try {
    return parseServerUrl(value)
  } catch {
    throw badRequest(INVALID_REDIRECT_URI)
  }
}
