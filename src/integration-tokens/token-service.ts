// The rules of credential administration, apart from HTTP: which input is valid (all issues at
// once, in the documented shape), the secret generated once and stored only as a bcrypt hash
// (plus its keyed digest once verified, token-verification.ts), and the gethomepage widget snippet.
import type { Static } from '@fastify/type-provider-typebox'
import type { Kysely } from 'kysely'
import { ApiError, badRequest, errorOf, validationFailed, COMMON, type ValidationIssue } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { hostGroupNamesByIds, hostGroupSummary } from '../hosts/host-queries.js'
import { newId, newTokenKey, newTokenSecret } from '../security/random-tokens.js'
import { hashSecret } from '../security/secret-hashing.js'
import type { KeyDigester } from '../security/key-digest.js'
import type { DB, TokenRow } from '../store/database-types.js'
import { HOMEPAGE_FIELD_LABELS, basicCredentials, homepageWidgetYaml } from './homepage-widget.js'
import { userNamesByIds } from '../users/user-queries.js'
import {
  deleteTokenRow,
  enrollmentDay,
  findUserRef,
  insertTokenRow,
  listTokenRows,
  parseJsonObject,
  parseStringArray,
  updateTokenRow,
  type TokenChanges
} from './token-queries.js'
import { integrationTypeOf, ipRangeIssues, normaliseScopes, parseExpiry, type Scopes } from './token-rules.js'
import type { CreateTokenBody, CreateTokenResponse, TokenView, UpdateTokenBody } from './token-schemas.js'
import { credentialSecretMatches } from './token-verification.js'
import { isHostScoped } from '../hosts/host-scope.js'

const E = ERROR_MESSAGES.integrationTokens

type CreateResponse = Static<typeof CreateTokenResponse>
/** The server URL the widget points at; asked only when a snippet is rendered. */
type ServerUrl = () => Promise<string>

const CREATED_WARNING = 'Save the token_secret now - it cannot be retrieved later!'

/**
 * The admin view of credential rows: JSON columns parsed, the day counter shown as 0 once its day
 * has passed, the default host group and the creator under the documented (plural) keys
 * `host_groups` and `users` (null when unset or gone). One lookup per table for the whole list.
 */
async function tokenViews(db: Kysely<DB>, rows: TokenRow[]): Promise<TokenView[]> {
  const groupIds = rows.flatMap((r) => (r.default_host_group_id ? [r.default_host_group_id] : []))
  const userIds = rows.flatMap((r) => (r.created_by_user_id ? [r.created_by_user_id] : []))
  const [groups, users] = await Promise.all([hostGroupNamesByIds(db, groupIds), userNamesByIds(db, userIds)])
  const today = enrollmentDay()
  return rows.map((r) => {
    const group = r.default_host_group_id ? groups.get(r.default_host_group_id) : undefined
    const user = r.created_by_user_id ? users.get(r.created_by_user_id) : undefined
    return {
      id: r.id,
      token_name: r.token_name,
      token_key: r.token_key,
      is_active: r.is_active === 1,
      allowed_ip_ranges: parseStringArray(r.allowed_ip_ranges),
      max_hosts_per_day: r.max_hosts_per_day,
      hosts_created_today: r.last_reset_date === today ? r.hosts_created_today : 0,
      last_used_at: r.last_used_at,
      expires_at: r.expires_at,
      created_at: r.created_at,
      updated_at: r.updated_at,
      default_host_group_id: r.default_host_group_id,
      metadata: parseJsonObject(r.metadata) ?? {},
      scopes: parseJsonObject(r.scopes) as Scopes | null,
      host_groups: group ? { id: group.id, name: group.name, color: group.color ?? '#3B82F6' } : null,
      users: user ? { id: user.id, username: user.username, first_name: user.first_name, last_name: user.last_name } : null
    }
  })
}

/** Every credential for the admin list, newest first. */
export async function listTokenViews(db: Kysely<DB>): Promise<TokenView[]> {
  return tokenViews(db, await listTokenRows(db))
}

/** One credential as the admin API shows it, or undefined. */
export async function tokenView(db: Kysely<DB>, id: string): Promise<TokenView | undefined> {
  return (await tokenViews(db, await listTokenRows(db, id)))[0]
}

async function resolveGroup(db: Kysely<DB>, raw: string | null | undefined) {
  if (raw === undefined || raw === null || raw.trim() === '') return null
  const group = await hostGroupSummary(db, raw.trim())
  if (!group) throw badRequest(COMMON.hostGroupNotFound)
  return group
}

export async function createToken(
  db: Kysely<DB>,
  actorId: string,
  body: Static<typeof CreateTokenBody>,
  serverUrl: ServerUrl
): Promise<CreateResponse> {
  // A token's bearer is not limited to host groups, so a limited user cannot mint one (no grant
  // beyond its author's own reach).
  if (isHostScoped()) throw errorOf(ERROR_MESSAGES.access.scopedCannotCreateTokens)
  const issues: ValidationIssue[] = []
  const tokenName = body.token_name.trim()
  if (tokenName === '') issues.push({ msg: E.tokenNameRequired.message, param: 'token_name', location: 'body' })
  const metadata = body.metadata ?? {}
  const integrationType = integrationTypeOf(metadata)
  if (!integrationType) issues.push({ msg: E.integrationType.message, param: 'metadata', location: 'body' })
  const ranges = (body.allowed_ip_ranges ?? []).map((r) => r.trim())
  issues.push(...ipRangeIssues(ranges))
  const expiresAt = body.expires_at === undefined ? null : parseExpiry(body.expires_at)
  if (expiresAt === undefined) issues.push({ msg: E.invalidDate.message, param: 'expires_at', location: 'body' })
  let scopes: Scopes | null = null
  if (integrationType === 'api') {
    const checked = normaliseScopes(body.scopes)
    if ('issue' in checked) issues.push(checked.issue)
    else scopes = checked.scopes
  }
  if (issues.length > 0 || !integrationType || expiresAt === undefined) throw validationFailed(issues)
  const group = await resolveGroup(db, body.default_host_group_id)

  const secret = newTokenSecret()
  const now = new Date().toISOString()
  const row: TokenRow = {
    id: newId(),
    token_name: tokenName,
    token_key: newTokenKey(),
    token_secret_hash: await hashSecret(secret),
    token_secret_digest: null,
    integration_type: integrationType,
    created_by_user_id: actorId,
    is_active: 1,
    allowed_ip_ranges: JSON.stringify(ranges),
    max_hosts_per_day: body.max_hosts_per_day ?? 100,
    hosts_created_today: 0,
    last_reset_date: null,
    last_used_at: null,
    expires_at: expiresAt,
    default_host_group_id: group?.id ?? null,
    metadata: JSON.stringify({ ...metadata, integration_type: integrationType }),
    scopes: scopes ? JSON.stringify(scopes) : null,
    created_at: now,
    updated_at: now
  }
  await insertTokenRow(db, row)
  const response: CreateResponse = {
    message: 'Auto-enrollment token created successfully',
    token: {
      id: row.id,
      token_name: row.token_name,
      token_key: row.token_key,
      token_secret: secret,
      max_hosts_per_day: row.max_hosts_per_day,
      default_host_group: group ? { id: group.id, name: group.name, color: group.color } : null,
      created_by: await findUserRef(db, actorId),
      expires_at: expiresAt,
      scopes,
      allowed_ip_ranges: ranges,
      metadata: { ...metadata, integration_type: integrationType }
    },
    warning: CREATED_WARNING
  }
  if (integrationType === 'gethomepage') {
    response.gethomepage_config = await homepageWidgetYaml({
      serverUrl: await serverUrl(),
      basicCredentials: basicCredentials(row.token_key, secret)
    })
  }
  return response
}

export async function updateToken(db: Kysely<DB>, current: TokenRow, body: Static<typeof UpdateTokenBody>) {
  const issues: ValidationIssue[] = []
  const changes: TokenChanges = {}
  if (body.token_name !== undefined) {
    const name = body.token_name.trim()
    if (name === '') issues.push({ msg: E.tokenNameLength.message, param: 'token_name', location: 'body' })
    changes.token_name = name
  }
  if (body.is_active !== undefined) changes.is_active = body.is_active ? 1 : 0
  if (body.max_hosts_per_day !== undefined) changes.max_hosts_per_day = body.max_hosts_per_day
  if (body.allowed_ip_ranges !== undefined) {
    const ranges = body.allowed_ip_ranges.map((r) => r.trim())
    issues.push(...ipRangeIssues(ranges))
    changes.allowed_ip_ranges = JSON.stringify(ranges)
  }
  if (body.expires_at !== undefined) {
    const expiresAt = parseExpiry(body.expires_at)
    if (expiresAt === undefined) issues.push({ msg: E.invalidDate.message, param: 'expires_at', location: 'body' })
    else changes.expires_at = expiresAt
  }
  if (body.scopes !== undefined) {
    if (current.integration_type !== 'api') throw errorOf(E.scopesOnlyForApi)
    const checked = normaliseScopes(body.scopes)
    if ('issue' in checked) issues.push(checked.issue)
    else changes.scopes = JSON.stringify(checked.scopes)
  }
  if (issues.length > 0) throw validationFailed(issues)
  if (body.default_host_group_id !== undefined)
    changes.default_host_group_id = (await resolveGroup(db, body.default_host_group_id))?.id ?? null

  // Nothing but the secret's verdict is remembered between requests, so any change (disable, new
  // IP list, new scopes, ...) is seen by the very next request.
  await updateTokenRow(db, current.id, changes)
  const view = await tokenView(db, current.id)
  if (!view) throw errorOf(E.tokenNotFound)
  return view
}

export async function deleteToken(db: Kysely<DB>, row: TokenRow): Promise<void> {
  await deleteTokenRow(db, row.id)
}

/** The services.yml entry; the secret, when given, must match the stored hash to be filled in. */
export async function homepageConfig(
  db: Kysely<DB>,
  digester: KeyDigester,
  row: TokenRow,
  input: { token_secret?: string | undefined; fields?: string[] | undefined } | undefined,
  serverUrl: ServerUrl
) {
  if (row.integration_type !== 'gethomepage') throw errorOf(E.widgetOnlyGethomepage)
  const secret = input?.token_secret
  const fields = input?.fields
  if (fields) {
    const unknown = fields.filter((f) => !(f in HOMEPAGE_FIELD_LABELS))
    if (unknown.length > 0)
      throw new ApiError(400, {
        errors: unknown.map((f) => ({ msg: E.unknownWidgetField.message(f), param: 'fields', location: 'body' as const }))
      })
  }
  let credentials: string | undefined
  if (secret !== undefined && secret !== '') {
    const matches = await credentialSecretMatches(
      db,
      digester,
      { id: row.id, tokenKey: row.token_key, secretHash: row.token_secret_hash, secretDigest: row.token_secret_digest },
      secret
    )
    if (!matches) throw errorOf(E.secretMismatch)
    credentials = basicCredentials(row.token_key, secret)
  }
  const config = await homepageWidgetYaml({
    serverUrl: await serverUrl(),
    ...(credentials ? { basicCredentials: credentials } : {}),
    ...(fields ? { fields } : {})
  })
  return { config, credentials_included: credentials !== undefined }
}
