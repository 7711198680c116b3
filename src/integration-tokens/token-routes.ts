// Credential administration: /api/v1/auto-enrollment/tokens (JWT + can_manage_settings) for all
// four integration types. The secret is generated here, returned once in the 201 and stored as
// a bcrypt hash; every change drops the credential's cached verifications.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ApiError, badRequest, notFound, validationFailed, COMMON, type ValidationIssue } from '../http/errors.js'
import { SECURITY } from '../http/openapi.js'
import { userOf } from '../http/session-auth.js'
import { effectiveServerUrl } from '../settings/effective-server-url.js'
import { newId, newTokenKey, newTokenSecret } from '../security/random-tokens.js'
import { hashSecret } from '../security/secret-hashing.js'
import type { AutoEnrollmentTokensTable, TokenRow } from '../store/database-types.js'
import type { Updateable } from 'kysely'
import {
  CREATE_MESSAGES,
  CreateTokenBody,
  CreateTokenResponse,
  HomepageConfigBody,
  HomepageConfigResponse,
  TokenParams,
  TokenView,
  UPDATE_MESSAGES,
  UpdateTokenBody
} from './token-schemas.js'
import { findHostGroup, findTokenRow, findUserRef, listTokenViews, tokenView } from './token-queries.js'
import { MESSAGES, integrationTypeOf, ipRangeIssues, normaliseScopes, parseExpiry, type Scopes } from './token-rules.js'
import { HOMEPAGE_FIELD_LABELS, basicCredentials, homepageWidgetYaml } from './homepage-widget.js'
import { credentialSecretMatches } from './token-verification.js'

type TokenUpdate = Updateable<AutoEnrollmentTokensTable>

const TAGS = ['auto-enrollment tokens']
const CREATED_WARNING = 'Save the token_secret now - it cannot be retrieved later!'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the token-exists guard of the per-token routes. */
    tokenRow?: TokenRow
  }
}

function tokenRowOf(request: FastifyRequest): TokenRow {
  if (!request.tokenRow) throw notFound(MESSAGES.tokenNotFound)
  return request.tokenRow
}

export const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.store.db
  const guard = app.requirePermission('can_manage_settings')
  const general = { rateLimit: app.rateLimitBucket('general') }

  /** 404 comes before body validation (upstream order), so it runs as preValidation. */
  async function tokenExists(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const { tokenId } = request.params as { tokenId: string }
    const row = await findTokenRow(db, tokenId)
    if (!row) throw notFound(MESSAGES.tokenNotFound)
    request.tokenRow = row
  }

  async function resolveGroup(raw: string | null | undefined) {
    if (raw === undefined || raw === null || raw.trim() === '') return null
    const group = await findHostGroup(db, raw.trim())
    if (!group) throw badRequest(COMMON.hostGroupNotFound)
    return group
  }

  app.post(
    '/api/v1/auto-enrollment/tokens',
    {
      schema: {
        tags: TAGS,
        summary: 'Create a credential (any integration type); the secret is returned only here',
        security: SECURITY.bearer,
        body: CreateTokenBody,
        response: { 201: CreateTokenResponse }
      },
      preHandler: guard,
      config: { ...general, validationMessages: CREATE_MESSAGES }
    },
    async (request, reply) => {
      const actor = userOf(request)
      const body = request.body
      const issues: ValidationIssue[] = []
      const tokenName = body.token_name.trim()
      if (tokenName === '') issues.push({ msg: MESSAGES.tokenNameRequired, param: 'token_name', location: 'body' })
      const metadata = body.metadata ?? {}
      const integrationType = integrationTypeOf(metadata)
      if (!integrationType) issues.push({ msg: MESSAGES.integrationType, param: 'metadata', location: 'body' })
      const ranges = (body.allowed_ip_ranges ?? []).map((r) => r.trim())
      issues.push(...ipRangeIssues(ranges))
      const expiresAt = body.expires_at === undefined ? null : parseExpiry(body.expires_at)
      if (expiresAt === undefined) issues.push({ msg: MESSAGES.invalidDate, param: 'expires_at', location: 'body' })
      let scopes: Scopes | null = null
      if (integrationType === 'api') {
        const checked = normaliseScopes(body.scopes)
        if ('issue' in checked) issues.push(checked.issue)
        else scopes = checked.scopes
      }
      if (issues.length > 0 || !integrationType || expiresAt === undefined) throw validationFailed(issues)
      const group = await resolveGroup(body.default_host_group_id)

      const secret = newTokenSecret()
      const now = new Date().toISOString()
      const row = {
        id: newId(),
        token_name: tokenName,
        token_key: newTokenKey(),
        token_secret_hash: await hashSecret(secret),
        integration_type: integrationType,
        created_by_user_id: actor.id,
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
      await db.insertInto('auto_enrollment_tokens').values(row).execute()
      request.log.info({ tokenId: row.id, integrationType }, 'integration credential created')
      const creator = await findUserRef(db, actor.id)
      const response: Static<typeof CreateTokenResponse> = {
        message: 'Auto-enrollment token created successfully',
        token: {
          id: row.id,
          token_name: row.token_name,
          token_key: row.token_key,
          token_secret: secret,
          max_hosts_per_day: row.max_hosts_per_day,
          default_host_group: group ? { id: group.id, name: group.name, color: group.color } : null,
          created_by: creator,
          expires_at: expiresAt,
          scopes,
          allowed_ip_ranges: ranges,
          metadata: { ...metadata, integration_type: integrationType }
        },
        warning: CREATED_WARNING
      }
      if (integrationType === 'gethomepage') {
        response.gethomepage_config = await homepageWidgetYaml({
          serverUrl: await effectiveServerUrl(app, request),
          basicCredentials: basicCredentials(row.token_key, secret)
        })
      }
      return reply.code(201).send(response)
    }
  )

  app.get(
    '/api/v1/auto-enrollment/tokens',
    {
      schema: {
        tags: TAGS,
        summary: 'List credentials, newest first (never the secret)',
        security: SECURITY.bearer,
        response: { 200: Type.Array(TokenView) }
      },
      preHandler: guard,
      config: general
    },
    async () => listTokenViews(db)
  )

  app.get(
    '/api/v1/auto-enrollment/tokens/:tokenId',
    {
      schema: { tags: TAGS, summary: 'One credential', security: SECURITY.bearer, params: TokenParams, response: { 200: TokenView } },
      preHandler: guard,
      config: general
    },
    async (request) => {
      const view = await tokenView(db, request.params.tokenId)
      if (!view) throw notFound(MESSAGES.tokenNotFound)
      return view
    }
  )

  app.patch(
    '/api/v1/auto-enrollment/tokens/:tokenId',
    {
      schema: {
        tags: TAGS,
        summary: 'Update a credential (integration type and metadata cannot change)',
        security: SECURITY.bearer,
        params: TokenParams,
        body: UpdateTokenBody,
        response: { 200: Type.Object({ message: Type.String(), token: TokenView }) }
      },
      onRequest: guard,
      preValidation: tokenExists,
      config: { ...general, validationMessages: UPDATE_MESSAGES }
    },
    async (request) => {
      const current = tokenRowOf(request)
      const body = request.body
      const issues: ValidationIssue[] = []
      const changes: TokenUpdate = {}
      if (body.token_name !== undefined) {
        const name = body.token_name.trim()
        if (name === '') issues.push({ msg: MESSAGES.tokenNameLength, param: 'token_name', location: 'body' })
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
        if (expiresAt === undefined) issues.push({ msg: MESSAGES.invalidDate, param: 'expires_at', location: 'body' })
        else changes.expires_at = expiresAt
      }
      if (body.scopes !== undefined) {
        if (current.integration_type !== 'api') throw badRequest(MESSAGES.scopesOnlyForApi)
        const checked = normaliseScopes(body.scopes)
        if ('issue' in checked) issues.push(checked.issue)
        else changes.scopes = JSON.stringify(checked.scopes)
      }
      if (issues.length > 0) throw validationFailed(issues)
      if (body.default_host_group_id !== undefined)
        changes.default_host_group_id = (await resolveGroup(body.default_host_group_id))?.id ?? null

      changes.updated_at = new Date().toISOString()
      await db.updateTable('auto_enrollment_tokens').set(changes).where('id', '=', current.id).execute()
      // Any change (disable, new IP list, new scopes, ...) must be seen by the very next request.
      app.credentialCache.forgetOwner(current.id)
      request.log.info({ tokenId: current.id, fields: Object.keys(body) }, 'integration credential updated')
      const view = await tokenView(db, current.id)
      if (!view) throw notFound(MESSAGES.tokenNotFound)
      return { message: 'Token updated successfully', token: view }
    }
  )

  app.delete(
    '/api/v1/auto-enrollment/tokens/:tokenId',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete a credential (hosts it enrolled stay)',
        security: SECURITY.bearer,
        params: TokenParams,
        response: {
          200: Type.Object({ message: Type.String(), deleted_token: Type.Object({ id: Type.String(), token_name: Type.String() }) })
        }
      },
      preHandler: guard,
      config: general
    },
    async (request) => {
      const row = await findTokenRow(db, request.params.tokenId)
      if (!row) throw notFound(MESSAGES.tokenNotFound)
      await db.deleteFrom('auto_enrollment_tokens').where('id', '=', row.id).execute()
      app.credentialCache.forgetOwner(row.id)
      request.log.info({ tokenId: row.id }, 'integration credential deleted')
      return { message: 'Auto-enrollment token deleted successfully', deleted_token: { id: row.id, token_name: row.token_name } }
    }
  )

  app.post(
    '/api/v1/auto-enrollment/tokens/:tokenId/gethomepage-config',
    {
      schema: {
        tags: TAGS,
        summary: 'The gethomepage services.yml entry for a gethomepage credential',
        description:
          'The secret is stored only as a hash, so the snippet carries a placeholder unless the caller supplies the secret (checked against the hash). The create response already includes the filled-in snippet.',
        security: SECURITY.bearer,
        params: TokenParams,
        body: Type.Optional(
          Type.Object({
            ...HomepageConfigBody.properties,
            fields: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20 }))
          })
        ),
        response: { 200: HomepageConfigResponse }
      },
      onRequest: guard,
      preValidation: tokenExists,
      config: general
    },
    async (request) => {
      const row = tokenRowOf(request)
      if (row.integration_type !== 'gethomepage')
        throw badRequest('Widget configuration is only available for gethomepage integration tokens')
      const secret = request.body?.token_secret
      const fields = request.body?.fields
      if (fields) {
        const unknown = fields.filter((f) => !(f in HOMEPAGE_FIELD_LABELS))
        if (unknown.length > 0)
          throw new ApiError(400, {
            errors: unknown.map((f) => ({ msg: `Unknown gethomepage field: ${f}`, param: 'fields', location: 'body' as const }))
          })
      }
      let credentials: string | undefined
      if (secret !== undefined && secret !== '') {
        const matches = await credentialSecretMatches(
          app.credentialCache,
          { id: row.id, tokenKey: row.token_key, secretHash: row.token_secret_hash },
          secret
        )
        if (!matches) throw badRequest('Token secret does not match this token')
        credentials = basicCredentials(row.token_key, secret)
      }
      const config = await homepageWidgetYaml({
        serverUrl: await effectiveServerUrl(app, request),
        ...(credentials ? { basicCredentials: credentials } : {}),
        ...(fields ? { fields } : {})
      })
      return { config, credentials_included: credentials !== undefined }
    }
  )
}
