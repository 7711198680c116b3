// HTTP Basic authentication of integration credentials, shared by /api/v1/api/* (type `api`) and
// /api/v1/gethomepage/* (type `gethomepage`). The steps run in the spec's documented order and the
// first failure answers with its exact string (facts: integration-api §2):
//   header -> format -> key exists -> active -> not expired -> type -> secret -> IP -> last_used_at
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ApiError, errorOf, unauthorized } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { judgeWithinBudget } from '../http/credential-budget.js'
import { authGuard } from '../http/auth-first.js'
import type { IntegrationType } from './token-rules.js'
import {
  credentialAllowsIp,
  credentialExpired,
  credentialSecretMatches,
  credentialVerifiedBefore,
  findCredentialByKey,
  recordCredentialUse,
  type IntegrationCredential
} from './token-verification.js'

const E = ERROR_MESSAGES.basicAuth

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the Basic-auth guard: the credential that authenticated this request. */
    integrationCredential?: IntegrationCredential
  }
}

/** Splits `Basic <base64(key:secret)>` at the first colon; undefined pieces mean a format error. */
export function decodeBasic(header: string | undefined): { key: string; secret: string } | 'no-header' | 'bad-format' {
  if (!header || !/^basic /i.test(header)) return 'no-header'
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon <= 0 || colon === decoded.length - 1) return 'bad-format'
  return { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) }
}

async function authenticate(app: FastifyInstance, request: FastifyRequest, type: IntegrationType): Promise<IntegrationCredential> {
  const parts = decodeBasic(request.headers.authorization)
  if (parts === 'no-header') throw errorOf(E.header)
  if (parts === 'bad-format') throw errorOf(E.format)
  const judge = async (): Promise<IntegrationCredential> => {
    const credential = await findCredentialByKey(app.store.db, parts.key)
    if (!credential) throw errorOf(E.unknownKey)
    if (!credential.isActive) throw errorOf(E.disabled)
    if (credentialExpired(credential)) throw errorOf(E.expired)
    if (credential.integrationType !== type) throw errorOf(E.wrongType)
    if (!(await credentialSecretMatches(app.store.db, app.keyDigester, credential, parts.secret))) throw errorOf(E.wrongSecret)
    return credential
  }
  // A pair verified recently skips the failed-credential budget (clients behind one NAT address
  // keep working while a neighbour guesses); the steps above still run on every request.
  const recentlyVerified = await credentialVerifiedBefore(app.store.db, app.keyDigester, parts.key, parts.secret)
  const credential = recentlyVerified ? await judge() : await judgeWithinBudget(app, request, `api:${parts.key}`, judge)
  if (!credential) throw errorOf(E.wrongSecret)
  if (!credentialAllowsIp(credential, request.ip)) {
    request.log.info({ tokenId: credential.id, ip: request.ip }, 'integration credential used from an address outside its allow-list')
    throw errorOf(E.ipNotAllowed)
  }
  // Written before the scope check and the handler: a refused scope still counts as use.
  await recordCredentialUse(app.store.db, credential.id)
  return credential
}

/** preHandler: authenticates a credential of `type` and attaches it to the request. */
export function integrationBasicAuth(app: FastifyInstance, type: IntegrationType) {
  // Marked as a guard: it runs before validation, so no field detail reaches unauthenticated callers.
  return authGuard(async function requireIntegrationCredential(request: FastifyRequest): Promise<void> {
    try {
      request.integrationCredential = await authenticate(app, request, type)
    } catch (err) {
      if (err instanceof ApiError) throw err
      request.log.error({ err }, 'integration authentication failed unexpectedly')
      throw errorOf(E.failed)
    }
  })
}

export function integrationCredentialOf(request: FastifyRequest): IntegrationCredential {
  if (!request.integrationCredential) throw unauthorized()
  return request.integrationCredential
}
