// Credential administration: /api/v1/auto-enrollment/tokens (JWT + can_manage_settings) for all
// four integration types. The secret is generated here, returned once in the 201 and stored as
// a bcrypt hash.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { errorOf } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { SECURITY } from '../http/openapi.js'
import { userOf } from '../http/session-auth.js'
import { effectiveServerUrl } from '../settings/effective-server-url.js'
import type { TokenRow } from '../store/database-types.js'
import {
  CREATE_FIELD_MESSAGES,
  CreateTokenBody,
  CreateTokenResponse,
  HomepageConfigBody,
  HomepageConfigResponse,
  TokenParams,
  TokenView,
  UPDATE_FIELD_MESSAGES,
  UpdateTokenBody
} from './token-schemas.js'
import { findTokenRow } from './token-queries.js'
import { createToken, deleteToken, homepageConfig, listTokenViews, tokenView, updateToken } from './token-service.js'

const TAGS = ['auto-enrollment tokens']
const TOKEN_NOT_FOUND = ERROR_MESSAGES.integrationTokens.tokenNotFound

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the token-exists guard of the per-token routes. */
    tokenRow?: TokenRow
  }
}

function tokenRowOf(request: FastifyRequest): TokenRow {
  if (!request.tokenRow) throw errorOf(TOKEN_NOT_FOUND)
  return request.tokenRow
}

export const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.store.db
  const guard = app.requirePermission('can_manage_settings')
  const general = { rateLimit: app.rateLimitBucket('general') }
  app.auditLabels.set('token', async (id) => (await findTokenRow(db, id))?.token_name)

  /** 404 comes before body validation (upstream order), so it runs as preValidation. */
  async function tokenExists(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const { tokenId } = request.params as { tokenId: string }
    const row = await findTokenRow(db, tokenId)
    if (!row) throw errorOf(TOKEN_NOT_FOUND)
    request.tokenRow = row
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
      config: { audit: { action: 'token.create', target: 'token' }, ...general, validationMessages: CREATE_FIELD_MESSAGES }
    },
    async (request, reply) => {
      const response = await createToken(db, userOf(request).id, request.body, () => effectiveServerUrl(app, request))
      request.log.info(
        { tokenId: response.token.id, integrationType: response.token.metadata.integration_type },
        'integration credential created'
      )
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
      if (!view) throw errorOf(TOKEN_NOT_FOUND)
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
      config: {
        audit: { action: 'token.update', target: 'token', idParam: 'tokenId' },
        ...general,
        validationMessages: UPDATE_FIELD_MESSAGES
      }
    },
    async (request) => {
      const current = tokenRowOf(request)
      const token = await updateToken(db, current, request.body)
      request.log.info({ tokenId: current.id, fields: Object.keys(request.body) }, 'integration credential updated')
      return { message: 'Token updated successfully', token }
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
      config: { ...general, audit: { action: 'token.delete', target: 'token', idParam: 'tokenId' } }
    },
    async (request) => {
      const row = await findTokenRow(db, request.params.tokenId)
      if (!row) throw errorOf(TOKEN_NOT_FOUND)
      await deleteToken(db, row)
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
      config: { ...general, audit: { notAudited: 'renders a widget snippet from the token; changes nothing' } }
    },
    async (request) => homepageConfig(db, app.keyDigester, tokenRowOf(request), request.body, () => effectiveServerUrl(app, request))
  )
}
