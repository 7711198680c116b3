// preValidation guard of the enroll routes: the documented checks run before body validation
// (facts: enrollment §3 — a bad body is step 8, after credentials, IP and the daily cap).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { errorOf, type ApiError } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { judgeWithinBudget } from '../http/credential-budget.js'
import { ipAllowed } from '../security/ip-allow-list.js'
import type { TokenRow } from '../store/database-types.js'
import { allowedRangesOf, checkEnrollmentToken } from './enrollment-token-check.js'
import { remainingToday } from '../integration-tokens/enrollment-quota.js'
import { credentialVerifiedBefore } from '../integration-tokens/token-verification.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the enrollment guard: the token that authorised this request. */
    enrollmentToken?: TokenRow
  }
}

const E = ERROR_MESSAGES.enrollment

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  const first = Array.isArray(value) ? value[0] : value
  return first && first.trim() !== '' ? first.trim() : undefined
}

export function dailyCapReached(max: number): ApiError {
  return errorOf(E.dailyCapReached, { message: E.dailyCapReached.detail(max) })
}

/** Steps 1-6, plus step 7 (daily cap reached) when `checkDailyCap` is set. */
export function enrollmentGuard(app: FastifyInstance, opts: { checkDailyCap: boolean }) {
  return async function requireEnrollmentToken(request: FastifyRequest): Promise<void> {
    const key = header(request, 'x-auto-enrollment-key')
    const secret = header(request, 'x-auto-enrollment-secret')
    if (!key || !secret) throw errorOf(E.credentialsRequired)
    const now = app.enrollmentClock.now()
    // A pair verified recently skips the failed-credential budget; every other check spends it.
    const judge = () => checkEnrollmentToken(app, key, secret, now)
    const token = (await credentialVerifiedBefore(app.store.db, app.keyDigester, key, secret))
      ? await judge()
      : await judgeWithinBudget(app, request, `enroll:${key}`, judge)
    if (!token) throw errorOf(E.invalidToken)
    if (!ipAllowed(request.ip, allowedRangesOf(token))) throw errorOf(E.ipNotAllowed)
    if (opts.checkDailyCap && remainingToday(token, now) <= 0) throw dailyCapReached(token.max_hosts_per_day)
    // An absent body must fail validation on its fields, not on "body must be object".
    if (request.body === undefined || request.body === null) request.body = {}
    request.enrollmentToken = token
  }
}

export function enrollmentTokenOf(request: FastifyRequest): TokenRow {
  if (!request.enrollmentToken) throw errorOf(E.credentialsRequired)
  return request.enrollmentToken
}
