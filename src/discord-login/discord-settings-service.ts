// Changing the Discord OAuth2 settings (PUT /api/v1/auth/discord/settings): the body's two
// spellings (snake_case and the older camelCase) merged into one change, the checks on client id
// and redirect URI, the sign-up grant rule, then save, log and the settings_changed event.
import type { Static } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { parseServerUrl } from '../config.js'
import { errorOf } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { userOf } from '../http/session-auth.js'
import { assertSignupGrantWithinAuthor } from '../settings/grant-limits.js'
import { derivedCallbackUrl, saveDiscordSettings, type DiscordSettings, type DiscordSettingsChange } from './discord-settings.js'
import type { DiscordSettingsBody } from './discord-schemas.js'

const E = ERROR_MESSAGES.discordSettings

/** The settings as the dashboard shows them: the client secret only as set / not set. */
export async function discordSettingsView(app: FastifyInstance, request: FastifyRequest, settings: DiscordSettings) {
  return {
    discord_oauth_enabled: settings.enabled,
    discord_client_id: settings.clientId,
    discord_client_secret_set: settings.sealedSecret !== null,
    discord_redirect_uri: settings.redirectUri,
    discord_button_text: settings.buttonText,
    discord_callback_url: await derivedCallbackUrl(app, request)
  }
}

function changeOf(b: Static<typeof DiscordSettingsBody>): DiscordSettingsChange {
  const change: DiscordSettingsChange = {}
  const enabled = b.discord_oauth_enabled ?? b.discordOAuthEnabled ?? b.discordOauthEnabled
  if (enabled !== undefined) change.enabled = enabled
  const clientId = b.discord_client_id !== undefined ? b.discord_client_id : b.discordClientId
  if (clientId !== undefined) {
    if (clientId !== null && /\s/.test(clientId.trim())) throw errorOf(E.invalidClientId)
    change.clientId = clientId
  }
  const secret = b.discord_client_secret !== undefined ? b.discord_client_secret : b.discordClientSecret
  if (secret !== undefined) change.clientSecret = secret
  const redirectUri = b.discord_redirect_uri !== undefined ? b.discord_redirect_uri : b.discordRedirectUri
  if (redirectUri !== undefined) change.redirectUri = normaliseRedirectUri(redirectUri)
  const buttonText = b.discord_button_text !== undefined ? b.discord_button_text : b.discordButtonText
  if (buttonText !== undefined) change.buttonText = buttonText
  return change
}

/** Applies the body as the signed-in admin of `request`; returns the saved settings' view. */
export async function updateDiscordSettings(app: FastifyInstance, request: FastifyRequest, body: Static<typeof DiscordSettingsBody>) {
  const change = changeOf(body)
  // Turning Discord sign-in on (or pointing it at another app) opens sign-up with the default role.
  if (change.enabled === true || change.clientId !== undefined || change.clientSecret !== undefined) {
    await assertSignupGrantWithinAuthor(app, userOf(request), 'Discord sign-in')
  }
  const saved = await saveDiscordSettings(app, change)
  request.log.info({ fields: Object.keys(change) }, 'Discord settings updated')
  app.events.emit('settings_changed', { keys: Object.keys(change).map((k) => `discord_${k}`) })
  return discordSettingsView(app, request, saved)
}

/** Discord matches redirect URIs exactly: no query string, no trailing slash. */
function normaliseRedirectUri(value: string | null): string | null {
  if (value === null || value.trim() === '') return null
  try {
    return parseServerUrl(value)
  } catch {
    throw errorOf(E.invalidRedirectUri)
  }
}
