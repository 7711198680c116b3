// The OpenID provider as configured: the dashboard's row (Settings → OpenID Connect) with every
// OIDC_* environment variable that is set laid over it (env > dashboard > default, as upstream
// resolves its settings). The client secret is sealed with the secret box at rest, comes from
// OIDC_CLIENT_SECRET when that is set, and is only ever reported as set / not set.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AppConfig } from '../config.js'
import { SecretBoxError } from '../security/secret-box.js'
import { effectiveServerUrl } from '../settings/effective-server-url.js'
import { readOidcSettingsRow, type OidcSettingsRow } from './oidc-settings-queries.js'
import type { RoleMappingEntry } from './role-mapping.js'

export const DEFAULT_BUTTON_TEXT = 'Sign in with SSO'
export const DEFAULT_SCOPES = 'openid email profile'
export const CALLBACK_PATH = '/api/v1/auth/oidc/callback'

export interface OidcSettings {
  enabled: boolean
  issuerUrl: string | null
  clientId: string | null
  /** Sealed form as stored (null when unset or when the environment supplies the secret). */
  sealedSecret: string | null
  secretFromEnvironment: boolean
  redirectUri: string | null
  scopes: string
  buttonText: string
  autoCreate: boolean
  defaultRole: string | null
  groupClaim: string | null
  roleMapping: RoleMappingEntry[]
  linkByEmail: boolean
  oidcOnly: boolean
  endSession: boolean
}

/** A dashboard field, its name on the wire and the environment variable that overrides it. */
export const OIDC_FIELDS = {
  enabled: { wire: 'oidc_enabled', env: 'OIDC_ENABLED' },
  issuerUrl: { wire: 'oidc_issuer_url', env: 'OIDC_ISSUER_URL' },
  clientId: { wire: 'oidc_client_id', env: 'OIDC_CLIENT_ID' },
  clientSecret: { wire: 'oidc_client_secret', env: 'OIDC_CLIENT_SECRET' },
  redirectUri: { wire: 'oidc_redirect_uri', env: 'OIDC_REDIRECT_URI' },
  scopes: { wire: 'oidc_scopes', env: 'OIDC_SCOPES' },
  buttonText: { wire: 'oidc_button_text', env: 'OIDC_BUTTON_TEXT' },
  autoCreate: { wire: 'oidc_auto_create_users', env: 'OIDC_AUTO_CREATE_USERS' },
  defaultRole: { wire: 'oidc_default_role', env: 'OIDC_DEFAULT_ROLE' },
  groupClaim: { wire: 'oidc_group_claim', env: 'OIDC_GROUP_CLAIM' },
  roleMapping: { wire: 'oidc_role_mapping', env: 'OIDC_ROLE_MAPPING' },
  linkByEmail: { wire: 'oidc_link_by_email', env: 'OIDC_LINK_BY_EMAIL' },
  oidcOnly: { wire: 'oidc_disable_local_auth', env: 'OIDC_DISABLE_LOCAL_AUTH' },
  endSession: { wire: 'oidc_end_session', env: 'OIDC_END_SESSION' }
} as const

export type OidcField = keyof typeof OIDC_FIELDS

/** The environment's values, keyed like OidcSettings (clientSecret in clear). */
function environmentValues(config: AppConfig['oidc']): Partial<Record<OidcField, unknown>> {
  const env: Partial<Record<OidcField, unknown>> = {
    enabled: config.enabled,
    issuerUrl: config.issuerUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: config.redirectUri,
    scopes: config.scopes,
    buttonText: config.buttonText,
    autoCreate: config.autoCreateUsers,
    defaultRole: config.defaultRole,
    groupClaim: config.groupClaim,
    roleMapping: config.roleMapping,
    linkByEmail: config.linkByEmail,
    oidcOnly: config.disableLocalAuth,
    endSession: config.endSession
  }
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined))
}

/** The fields the environment sets: shown read-only in the dashboard. */
export function fieldsSetByEnvironment(app: FastifyInstance): OidcField[] {
  return Object.keys(environmentValues(app.config.oidc)) as OidcField[]
}

function parseMapping(json: string): RoleMappingEntry[] {
  try {
    const value: unknown = JSON.parse(json)
    if (!Array.isArray(value)) return []
    return value.filter(
      (e): e is RoleMappingEntry => typeof e === 'object' && e !== null && typeof e.claim === 'string' && typeof e.role === 'string'
    )
  } catch {
    return []
  }
}

function fromRow(row: Partial<OidcSettingsRow> | undefined): OidcSettings {
  return {
    enabled: row?.enabled === 1,
    issuerUrl: row?.issuer_url ?? null,
    clientId: row?.client_id ?? null,
    sealedSecret: row?.client_secret ?? null,
    secretFromEnvironment: false,
    redirectUri: row?.redirect_uri ?? null,
    scopes: row?.scopes ?? DEFAULT_SCOPES,
    buttonText: row?.button_text ?? DEFAULT_BUTTON_TEXT,
    autoCreate: row?.auto_create === 1,
    defaultRole: row?.default_role ?? null,
    groupClaim: row?.group_claim ?? null,
    roleMapping: parseMapping(row?.role_mapping ?? '[]'),
    linkByEmail: row?.link_by_email === 1,
    oidcOnly: row?.oidc_only === 1,
    endSession: row?.end_session === 1
  }
}

/** The effective settings of a row (stored, or about to be): the environment laid over it. */
export function settingsFrom(app: FastifyInstance, row: Partial<OidcSettingsRow> | undefined): OidcSettings {
  const { clientSecret, ...env } = environmentValues(app.config.oidc)
  return {
    ...fromRow(row),
    ...(env as Partial<OidcSettings>),
    ...(clientSecret !== undefined ? { sealedSecret: null, secretFromEnvironment: true } : {})
  }
}

export async function loadOidcSettings(app: FastifyInstance): Promise<OidcSettings> {
  return settingsFrom(app, await readOidcSettingsRow(app.store.db))
}

/** The client secret in clear, or undefined when it is unset or cannot be opened with this key. */
export function clientSecretOf(app: FastifyInstance, settings: OidcSettings): string | undefined {
  if (settings.secretFromEnvironment) return app.config.oidc.clientSecret
  if (!settings.sealedSecret) return undefined
  try {
    return app.secretBox.open(settings.sealedSecret)
  } catch (err) {
    if (err instanceof SecretBoxError) {
      app.log.warn('OIDC client secret cannot be opened with the configured SECRET_ENCRYPTION_KEY; paste it again')
      return undefined
    }
    throw err
  }
}

/** Issuer, client id and an openable secret: the sign-in button may show. */
export function isFullyConfigured(app: FastifyInstance, settings: OidcSettings): boolean {
  return Boolean(settings.issuerUrl && settings.clientId) && clientSecretOf(app, settings) !== undefined
}

/** Sign-in is on and usable: the button shows, OIDC-only mode may apply. */
export function isUsable(app: FastifyInstance, settings: OidcSettings): boolean {
  return settings.enabled && isFullyConfigured(app, settings)
}

/** The callback derived from the server URL, as shown read-only in the settings panel. */
export async function derivedCallbackUrl(app: FastifyInstance, request: FastifyRequest): Promise<string> {
  return normalisedUrl(`${await effectiveServerUrl(app, request)}${CALLBACK_PATH}`)
}

/**
 * The URL as the WHATWG parser writes it (a default port such as :80 dropped): openid-client sends the
 * parsed form with the code exchange, and the provider compares it with the authorisation's byte for byte.
 */
function normalisedUrl(url: string): string {
  return new URL(url).href
}

/** The redirect URI sent to the provider: the override when set, else the derived callback. */
export async function redirectUriFor(app: FastifyInstance, request: FastifyRequest, settings: OidcSettings): Promise<string> {
  return settings.redirectUri ? normalisedUrl(settings.redirectUri) : await derivedCallbackUrl(app, request)
}
