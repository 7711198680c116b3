// Scope check of the Integration API, a separate step after Basic auth (so a refused request has
// already recorded last_used_at) and before the handler (so DELETE with a malformed id and no
// delete scope answers 403, not 400). Scopes are explicit: `get` does not imply `delete`.
import type { FastifyRequest } from 'fastify'
import { ApiError, unauthorized } from '../http/errors.js'
import { ERROR_MESSAGES, fillMessage } from '../http/error-messages.js'

const SCOPE_ERRORS = ERROR_MESSAGES.integrationApi

const denied = (message: string) => new ApiError(403, { error: SCOPE_ERRORS.accessDenied.message, message })

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
      throw denied(SCOPE_ERRORS.noPermissions.message)
    }
    if (!isScopeMap(scopes)) throw denied(SCOPE_ERRORS.badScopes.message)
    const actions = scopes[resource]
    if (!actions) throw denied(fillMessage(SCOPE_ERRORS.noResourceAccess, { resource }))
    if (!actions.some((a) => a.trim() === action)) throw denied(fillMessage(SCOPE_ERRORS.noActionPermission, { action, resource }))
  }
}
