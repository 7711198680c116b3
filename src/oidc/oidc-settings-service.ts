// Changing the OpenID Connect settings (PUT /api/v1/auth/oidc/settings): fields an OIDC_* variable
// sets are refused (409), URLs and scopes checked, every role the settings can hand out (the default
// role, each mapped role) must exist and be within the author's own permissions, and OIDC-only mode
// may only be turned on while OIDC sign-in works. Then save, log and the settings_changed event.
import type { Static } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { parseIssuerUrl, parseServerUrl } from '../config.js'
import { errorOf, ApiError } from '../http/errors.js'
import { ERROR_MESSAGES, fillMessage, type FixedErrorEntry } from '../http/error-messages.js'
import { userOf } from '../http/session-auth.js'
import { assertGrantWithinAuthor } from '../settings/grant-limits.js'
import { roleExists } from '../users/role-queries.js'
import { readOidcSettingsRow, writeOidcSettingsRow, type OidcSettingsColumns } from './oidc-settings-queries.js'
import {
  derivedCallbackUrl,
  fieldsSetByEnvironment,
  isUsable,
  loadOidcSettings,
  OIDC_FIELDS,
  settingsFrom,
  type OidcField,
  type OidcSettings
} from './oidc-settings.js'
import type { OidcSettingsBody } from './oidc-schemas.js'

const E = ERROR_MESSAGES.oidcSettings
type Body = Static<typeof OidcSettingsBody>

export async function oidcSettingsView(app: FastifyInstance, request: FastifyRequest, s: OidcSettings) {
  return {
    oidc_enabled: s.enabled,
    oidc_issuer_url: s.issuerUrl,
    oidc_client_id: s.clientId,
    oidc_client_secret_set: s.secretFromEnvironment || s.sealedSecret !== null,
    oidc_redirect_uri: s.redirectUri,
    oidc_scopes: s.scopes,
    oidc_button_text: s.buttonText,
    oidc_auto_create_users: s.autoCreate,
    oidc_default_role: s.defaultRole,
    oidc_group_claim: s.groupClaim,
    oidc_role_mapping: s.roleMapping,
    oidc_link_by_email: s.linkByEmail,
    oidc_disable_local_auth: s.oidcOnly,
    oidc_end_session: s.endSession,
    oidc_callback_url: await derivedCallbackUrl(app, request),
    oidc_set_by_environment: fieldsSetByEnvironment(app).map((f) => OIDC_FIELDS[f].wire)
  }
}

/** undefined = keep, "" or null = clear; pasted values lose stray whitespace. */
const clean = (v: string | null | undefined): string | null | undefined => (v === undefined ? undefined : v?.trim() || null)
const flag = (v: boolean | undefined) => (v === undefined ? undefined : v ? 1 : 0)

function checkedUrl(value: string | null | undefined, parse: (raw: string) => string, error: FixedErrorEntry) {
  if (value === undefined || value === null) return value
  try {
    return parse(value)
  } catch {
    throw errorOf(error)
  }
}

/** The columns the body changes (undefined = unchanged). */
function columnsOf(app: FastifyInstance, b: Body): OidcSettingsColumns {
  const scopes = clean(b.oidc_scopes)
  if (scopes && !scopes.split(/\s+/).includes('openid')) throw errorOf(E.scopesWithoutOpenid)
  const secret = clean(b.oidc_client_secret)
  return {
    enabled: flag(b.oidc_enabled),
    issuer_url: checkedUrl(clean(b.oidc_issuer_url), parseIssuerUrl, E.invalidIssuer),
    client_id: clean(b.oidc_client_id),
    client_secret: secret === undefined ? undefined : secret && app.secretBox.seal(secret),
    redirect_uri: checkedUrl(clean(b.oidc_redirect_uri), parseServerUrl, E.invalidRedirectUri),
    scopes,
    button_text: clean(b.oidc_button_text),
    auto_create: flag(b.oidc_auto_create_users),
    default_role: clean(b.oidc_default_role),
    group_claim: clean(b.oidc_group_claim),
    role_mapping: b.oidc_role_mapping && JSON.stringify(b.oidc_role_mapping.map((e) => ({ claim: e.claim.trim(), role: e.role.trim() }))),
    link_by_email: flag(b.oidc_link_by_email),
    oidc_only: flag(b.oidc_disable_local_auth),
    end_session: flag(b.oidc_end_session)
  }
}

function refuseEnvironmentFields(app: FastifyInstance, body: Body): void {
  for (const field of fieldsSetByEnvironment(app)) {
    const { wire, env } = OIDC_FIELDS[field as OidcField]
    if ((body as Record<string, unknown>)[wire] !== undefined) {
      throw new ApiError(E.setByEnvironment.status, { error: fillMessage(E.setByEnvironment, { field: wire, env }) })
    }
  }
}

/** Every role these settings can hand out exists and is within the author's permissions. */
async function checkRoles(app: FastifyInstance, request: FastifyRequest, s: OidcSettings): Promise<void> {
  const roles = new Set([...(s.defaultRole ? [s.defaultRole] : []), ...s.roleMapping.map((e) => e.role)])
  for (const role of roles) {
    if (!(await roleExists(app.store.db, role))) throw new ApiError(E.unknownRole.status, { error: fillMessage(E.unknownRole, { role }) })
    await assertGrantWithinAuthor(app, userOf(request), role, 'OpenID Connect sign-in')
  }
}

export async function updateOidcSettings(app: FastifyInstance, request: FastifyRequest, body: Body) {
  refuseEnvironmentFields(app, body)
  const change = Object.fromEntries(Object.entries(columnsOf(app, body)).filter(([, v]) => v !== undefined)) as OidcSettingsColumns
  const prospective = settingsFrom(app, { ...(await readOidcSettingsRow(app.store.db)), ...change })
  await checkRoles(app, request, prospective)
  if (prospective.oidcOnly && !isUsable(app, prospective)) throw errorOf(E.oidcOnlyNeedsSignIn)
  await writeOidcSettingsRow(app.store.db, change)
  const saved = await loadOidcSettings(app)
  const fields = Object.keys(change)
  request.log.info({ fields }, 'OIDC settings updated')
  app.events.emit('settings_changed', { keys: fields.map((k) => `oidc_${k}`) })
  return oidcSettingsView(app, request, saved)
}
