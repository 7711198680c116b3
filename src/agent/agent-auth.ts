// X-API-ID / X-API-KEY on every agent call (headers only; Node lower-cases header names, so the
// Go agent's canonical `X-Api-Id` works too).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { COMMON, unauthorized } from '../http/errors.js'
import { judgeWithinBudget } from '../http/credential-budget.js'
import { authGuard } from '../http/auth-first.js'
import { hostByKeyDigest, storedHostKey, verifyHostKeyWithBcrypt } from '../hosts/host-credentials.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by requireAgent: the id of the authenticated host. */
    agentHostId?: string
  }
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  const first = Array.isArray(value) ? value[0] : value
  return first && first.trim() !== '' ? first.trim() : undefined
}

/**
 * The host id for these credentials, or undefined. A pair verified before is answered from the
 * in-memory cache or the host row's key digest (host-credentials.ts) without bcrypt and without
 * touching the failed-credential budget (agents behind one NAT address keep working while a
 * neighbour guesses); anything else pays bcrypt and spends the budget (429 once used up).
 */
export async function checkAgentCredentials(
  app: FastifyInstance,
  request: FastifyRequest,
  apiId: string,
  apiKey: string
): Promise<string | undefined> {
  const cached = app.credentialCache.lookup(apiId, apiKey)
  if (cached) return cached
  const row = await storedHostKey(app.store.db, apiId)
  const known = hostByKeyDigest(app.keyDigester, apiId, row, apiKey)
  const hostId =
    known ??
    (await judgeWithinBudget(app, request, `agent:${apiId}`, () =>
      verifyHostKeyWithBcrypt(app.store.db, app.keyDigester, apiId, row, apiKey)
    ))
  if (hostId) app.credentialCache.remember(apiId, apiKey, hostId)
  return hostId
}

/** preHandler factory for agent routes: 401 `API credentials required` / `Invalid API credentials`. */
export function agentAuth(app: FastifyInstance) {
  // Marked as a guard: declared as preHandler, it still runs before validation (auth-first.ts).
  return authGuard(async function requireAgent(request: FastifyRequest): Promise<void> {
    const apiId = headerValue(request, 'x-api-id')
    const apiKey = headerValue(request, 'x-api-key')
    if (!apiId || !apiKey) throw unauthorized(COMMON.agentCredentialsRequired)
    if (apiId.length > 128 || apiKey.length > 256) throw unauthorized(COMMON.agentCredentialsInvalid)
    const hostId = await checkAgentCredentials(app, request, apiId, apiKey)
    if (!hostId) throw unauthorized(COMMON.agentCredentialsInvalid)
    request.agentHostId = hostId
  })
}

export function agentHostIdOf(request: FastifyRequest): string {
  if (!request.agentHostId) throw unauthorized(COMMON.agentCredentialsRequired)
  return request.agentHostId
}
