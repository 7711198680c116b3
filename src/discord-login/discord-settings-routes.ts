// Settings → Discord Auth (GET|PUT /api/v1/auth/discord/settings, can_manage_settings) and the
// public GET /api/v1/auth/discord/config the login page reads to show its button.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SECURITY } from '../http/openapi.js'
import { isFullyConfigured, loadDiscordSettings } from './discord-settings.js'
import { discordSettingsView, updateDiscordSettings } from './discord-settings-service.js'
import { DiscordPublicConfig, DiscordSettingsBody, DiscordSettingsSaved, DiscordSettingsView } from './discord-schemas.js'

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
    async (request) => discordSettingsView(app, request, await loadDiscordSettings(app))
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
      config: {
        audit: { action: 'discord_settings.update', target: 'discord_settings' },
        rateLimit: app.rateLimitBucket('general'),
        validationShape: 'single'
      }
    },
    async (request) => ({ message: 'Discord settings updated successfully', ...(await updateDiscordSettings(app, request, request.body)) })
  )
}
