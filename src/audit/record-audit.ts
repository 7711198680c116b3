// recordAudit(): the one way an entry is written, by the route hooks (audit-hooks.ts) and by the
// services that know an outcome the HTTP status does not tell (sign-ins by password, TFA, Discord
// and OpenID Connect). It takes only what is safe to keep: the actor and target as ids and labels,
// a short reason code and details of field names or plain values the caller chose. Request bodies
// are never passed in whole, so a password, token, TFA code or webhook URL cannot reach the table.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { newId } from '../security/random-tokens.js'
import { insertAuditRow } from './audit-queries.js'

export type AuditOutcome = 'success' | 'failure' | 'denied'

export interface AuditActor {
  type: 'user' | 'credential' | 'system' | 'anonymous'
  id: string | null
  label: string | null
}

export interface AuditTarget {
  type: string
  id?: string | null | undefined
  label?: string | null | undefined
}

/** Plain values only; callers put field names and non-secret values here. */
export type AuditDetails = Record<string, string | number | boolean | null | readonly string[]>

export interface AuditEntry {
  action: string
  outcome?: AuditOutcome
  /** A short code: wrong_password, unknown_user, locked, disabled, invalid_code, http_403, ... */
  reason?: string | null
  /** Who acted; by default the request's signed-in user or credential, else `system`. */
  actor?: AuditActor
  target?: AuditTarget | null
  details?: AuditDetails | null
}

export const SYSTEM_ACTOR: AuditActor = { type: 'system', id: null, label: 'system' }
const ANONYMOUS: AuditActor = { type: 'anonymous', id: null, label: null }

export function userActor(user: { id: string; username: string }): AuditActor {
  return { type: 'user', id: user.id, label: user.username }
}

/**
 * The actor behind a request: a signed-in user, an Integration API credential or an enrollment
 * token (by its public key, never its secret), else anonymous. The request properties are set by
 * the guards of http/, integration-tokens/ and enrollment/; reading them needs no import.
 */
export function actorOfRequest(request: FastifyRequest): AuditActor {
  const user = request.currentUser
  if (user) return userActor(user)
  const credential = request.integrationCredential
  if (credential) return { type: 'credential', id: credential.tokenKey, label: credential.tokenName }
  const enrollment = request.enrollmentToken
  if (enrollment) return { type: 'credential', id: enrollment.token_key, label: enrollment.token_name }
  return ANONYMOUS
}

const clip = (value: string | null | undefined, max: number): string | null => (value ? value.slice(0, max) : null)

/**
 * Writes one entry. A failed write is logged and swallowed: the action itself already happened
 * and its reply must not turn into an error because the trail could not be extended.
 */
export async function recordAudit(app: FastifyInstance, request: FastifyRequest | undefined, entry: AuditEntry): Promise<void> {
  const actor = entry.actor ?? (request ? actorOfRequest(request) : SYSTEM_ACTOR)
  const userAgent = request?.headers['user-agent']
  try {
    await insertAuditRow(app.store.db, {
      id: newId(),
      created_at: new Date().toISOString(),
      actor_type: actor.type,
      actor_id: clip(actor.id, 200),
      actor_label: clip(actor.label, 200),
      action: entry.action.slice(0, 100),
      target_type: entry.target?.type ?? null,
      target_id: clip(entry.target?.id, 200),
      target_label: clip(entry.target?.label, 300),
      outcome: entry.outcome ?? 'success',
      reason: clip(entry.reason, 100),
      ip: request ? request.ip : null,
      user_agent: clip(typeof userAgent === 'string' ? userAgent : null, 300),
      details: entry.details && Object.keys(entry.details).length > 0 ? JSON.stringify(entry.details) : null
    })
  } catch (err) {
    app.log.error({ err, action: entry.action }, 'audit entry not written')
  }
}
