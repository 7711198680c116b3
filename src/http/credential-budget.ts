// The guard around every judgement of a machine credential (agent keys, Integration API Basic
// auth, enrollment tokens): admit the check against the failed-credential budget of the client
// address and of the key id, judge, record a failure when it was wrong. Out of budget, or the
// bcrypt lane full, the caller gets 429 in the rate-limit shape with Retry-After and no bcrypt
// work is done.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { LaneFullError } from '../security/bcrypt-lanes.js'
import type { FailureBudget } from '../security/failure-budget.js'
import { errorOf, tooManyRequests, type ApiError } from './errors.js'
import { ERROR_MESSAGES } from './error-messages.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Failed credential checks per client address and per key id (see credential-budget.ts). */
    credentialFailures: FailureBudget
  }
}

export const credentialBudgetExhausted = (retryAfterSeconds: number): ApiError =>
  tooManyRequests(errorOf(ERROR_MESSAGES.common.tooManyRequests).body, retryAfterSeconds)

/**
 * Runs `judge` within the budget of `request.ip` and `keyId`. `judge` returns a value for a right
 * credential and undefined (or throws) for a wrong one; only a wrong one counts as a failure.
 */
export async function judgeWithinBudget<T>(
  app: FastifyInstance,
  request: FastifyRequest,
  keyId: string,
  judge: () => Promise<T | undefined>
): Promise<T | undefined> {
  const decision = app.credentialFailures.take([`ip:${request.ip}`, `id:${keyId.slice(0, 128)}`])
  if (!decision.allowed) {
    if (decision.firstRefusal)
      request.log.warn(
        { ip: request.ip, retryAfterSeconds: decision.retryAfterSeconds },
        'failed-credential budget used up; refusing credential checks'
      )
    throw credentialBudgetExhausted(decision.retryAfterSeconds)
  }
  let result: T | undefined
  try {
    result = await judge()
  } catch (err) {
    // Nothing was judged when the bcrypt lane was full; any other throw is a refusal.
    decision.settle(err instanceof LaneFullError)
    if (err instanceof LaneFullError) throw credentialBudgetExhausted(1)
    throw err
  }
  decision.settle(result !== undefined)
  return result
}
