// Scope check of the Integration API, a separate step after Basic auth (so a refused request has
// already recorded last_used_at) and before the handler (so DELETE with a malformed id and no
// delete scope answers 403, not 400). Scopes are explicit: `get` does not imply `delete`.
import type { FastifyRequest } from 'fastify'
import { ApiError, unauthorized } from '../http/errors.js'

const ACCESS_DENIED = 'Access denied'

const denied = (message: string) => new ApiError(403, { error: ACCESS_DENIED, message })

function isScopeMap(value: unknown): value is Record<string, string[]> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value as Record<string, unknown>).every(
      (actions) => Array.isArray(actions) && actions.every((a) => typeof a === 'string')
    )
  )
}

/** preHandler: the authenticated credential must grant `action` on `resource`. */
export function requireScope(resource: string, action: string) {
  return async function scopeGuard(request: FastifyRequest): Promise<void> {
    const credential = request.integrationCredential
    if (!credential) throw unauthorized()
    const scopes = credential.scopes
    if (scopes === null || (scopes !== undefined && Object.keys(scopes).length === 0)) {
      throw denied('This API key does not have the required permissions')
    }
    if (!isScopeMap(scopes)) throw denied('Invalid API key permissions configuration')
    const actions = scopes[resource]
    if (!actions) throw denied(`This API key does not have access to ${resource}`)
    if (!actions.some((a) => a.trim() === action)) throw denied(`This API key does not have permission to ${action} ${resource}`)
  }
}
