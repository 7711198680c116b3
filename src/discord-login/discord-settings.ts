// The Discord OAuth2 application as configured under Settings → Discord Auth: one row, the
// client secret sealed with the secret box and only ever reported as set / not set.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { effectiveServerUrl } from '../settings/effective-server-url.js'
import type { Kysely } from 'kysely'
import { SecretBoxError, type SecretBox } from '../security/secret-box.js'
import type { DB } from '../store/database-types.js'

export const DEFAULT_BUTTON_TEXT = 'Login with Discord'
export const CALLBACK_PATH = '/api/v1/auth/discord/callback'
const ROW_ID = 'discord'

export interface DiscordSettings {
  enabled: boolean
  clientId: string | null
  /** Sealed form as stored; open it only to talk to Discord. */
  sealedSecret: string | null
  redirectUri: string | null
  buttonText: string
}

export interface DiscordSettingsChange {
  enabled?: boolean
  clientId?: string | null
  /** "" or null clears the secret; undefined keeps it. */
  clientSecret?: string | null
  redirectUri?: string | null
  buttonText?: string | null
}

export async function loadDiscordSettings(app: FastifyInstance): Promise<DiscordSettings> {
  const row = await app.store.db.selectFrom('discord_login_settings').selectAll().where('id', '=', ROW_ID).executeTakeFirst()
  return {
    enabled: row?.enabled === 1,
    clientId: row?.client_id ?? null,
    sealedSecret: row?.client_secret ?? null,
    redirectUri: row?.redirect_uri ?? null,
    buttonText: row?.button_text ?? DEFAULT_BUTTON_TEXT
  }
}

export async function saveDiscordSettings(app: FastifyInstance, change: DiscordSettingsChange): Promise<DiscordSettings> {
  const current = await loadDiscordSettings(app)
  // undefined = keep, "" or null = clear; pasted values lose stray whitespace.
  const clean = (v: string | null | undefined): string | null | undefined => (v === undefined ? undefined : v?.trim() || null)
  const clientId = clean(change.clientId)
  const secret = clean(change.clientSecret)
  const redirectUri = clean(change.redirectUri)
  const buttonText = clean(change.buttonText)
  const row = {
    enabled: (change.enabled ?? current.enabled) ? 1 : 0,
    client_id: clientId === undefined ? current.clientId : clientId,
    client_secret: secret === undefined ? current.sealedSecret : secret && app.secretBox.seal(secret),
    redirect_uri: redirectUri === undefined ? current.redirectUri : redirectUri,
    button_text: buttonText === undefined ? current.buttonText : (buttonText ?? DEFAULT_BUTTON_TEXT),
    updated_at: new Date().toISOString()
  }
  await app.store.db
    .insertInto('discord_login_settings')
    .values({ id: ROW_ID, ...row })
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute()
  return loadDiscordSettings(app)
}

/** The client secret in clear, or undefined when it is unset or cannot be opened with this key. */
export function openClientSecret(app: FastifyInstance, settings: DiscordSettings): string | undefined {
  if (!settings.sealedSecret) return undefined
  try {
    return app.secretBox.open(settings.sealedSecret)
  } catch (err) {
    if (err instanceof SecretBoxError) {
      app.log.warn('Discord client secret cannot be opened with the configured SECRET_ENCRYPTION_KEY; paste it again')
      return undefined
    }
    throw err
  }
}

/** Client ID and secret are both set (and the secret opens): the login button may show. */
export function isFullyConfigured(app: FastifyInstance, settings: DiscordSettings): boolean {
  return Boolean(settings.clientId) && openClientSecret(app, settings) !== undefined
}

/** The callback derived from the server URL, as shown read-only in the settings panel. */
export async function derivedCallbackUrl(app: FastifyInstance, request: FastifyRequest): Promise<string> {
  return `${await effectiveServerUrl(app, request)}${CALLBACK_PATH}`
}

/** The redirect URI sent to Discord: the override when set, else the derived callback. */
export async function redirectUriFor(app: FastifyInstance, request: FastifyRequest, settings: DiscordSettings): Promise<string> {
  return settings.redirectUri ?? (await derivedCallbackUrl(app, request))
}

/** `patchmon import-upstream`: the Discord application as it was upstream (no app is running then). */
export async function importDiscordSettings(
  db: Kysely<DB>,
  box: SecretBox,
  settings: {
    enabled: boolean
    clientId: string | null
    clientSecret: string | null
    redirectUri: string | null
    buttonText: string | null
  }
): Promise<void> {
  const row = {
    enabled: settings.enabled ? 1 : 0,
    client_id: settings.clientId,
    client_secret: settings.clientSecret ? box.seal(settings.clientSecret) : null,
    redirect_uri: settings.redirectUri,
    button_text: settings.buttonText ?? DEFAULT_BUTTON_TEXT,
    updated_at: new Date().toISOString()
  }
  await db
    .insertInto('discord_login_settings')
    .values({ id: ROW_ID, ...row })
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute()
}
