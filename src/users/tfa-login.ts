// The second step of a password login for users with TOTP on (the route is tfa-login-routes.ts).
// POST /auth/login answers "TFA verification required" with a short-lived single-use ticket;
// POST /auth/verify-tfa takes that ticket plus a TOTP or backup code and issues the session.
// Failures count towards a per-user lockout (5 → 30 minutes), so six digits cannot be brute-forced.
import { randomBytes } from 'node:crypto'
import type { Static } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import { errorOf, tooManyRequests, type ApiError } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import type { DB, UserRow } from '../store/database-types.js'
import type { LoginReply, SecondFactorRequiredReply } from './auth-schemas.js'
import { recordSignIn, signedIn } from './auth-service.js'
import { looksLikeTotp, matchBackupCode, matchTotp, parseBackupHashes } from './tfa-codes.js'
import type { VerifyTfaBody } from './tfa-schemas.js'
import { findUserForLogin } from './user-queries.js'
import { replaceBackupHashesIfUnchanged, spendTotpStep } from './tfa-queries.js'

const E = ERROR_MESSAGES.tfaLogin
/** The reply of a right password for a user with TFA on: not an error, the next step. */
const TFA_REQUIRED = 'TFA verification required'

/** 429 of a locked TFA check, with Retry-After. */
export function tfaLockedError(retryAfterSeconds: number): ApiError {
  const minutes = Math.ceil(retryAfterSeconds / 60)
  return tooManyRequests(
    errorOf(E.locked, { message: E.locked.detail(minutes), remaining_seconds: retryAfterSeconds }).body,
    retryAfterSeconds
  )
}

/** The login's second-factor hook: a ticket for the code step when the user has TFA on. */
export async function tfaChallenge(app: FastifyInstance, user: UserRow): Promise<Static<typeof SecondFactorRequiredReply> | undefined> {
  if (user.tfa_enabled !== 1) return undefined
  const tfaTicket = randomBytes(32).toString('hex')
  app.tfa.tickets.put(tfaTicket, { userId: user.id })
  return { message: TFA_REQUIRED, requiresTfa: true, username: user.username, tfaTicket }
}

/** Removes one backup code; compare-and-set on the stored list, so two requests cannot spend it twice. */
async function spendBackupCode(db: Kysely<DB>, user: UserRow, index: number): Promise<boolean> {
  const hashes = parseBackupHashes(user.tfa_backup_codes)
  hashes.splice(index, 1)
  return replaceBackupHashesIfUnchanged(db, user, JSON.stringify(hashes))
}

/** 'reused': a right TOTP code whose step was already spent (the user typed the same code twice). */
async function secondFactorCheck(app: FastifyInstance, user: UserRow, token: string): Promise<'ok' | 'reused' | 'wrong'> {
  const code = token.replace(/\s/g, '')
  if (looksLikeTotp(code)) {
    const step = matchTotp(app.secretBox.open(user.tfa_secret ?? ''), code, app.tfa.now())
    if (step === undefined) return 'wrong'
    return (await spendTotpStep(app.store.db, user.id, step)) ? 'ok' : 'reused'
  }
  const index = await matchBackupCode(parseBackupHashes(user.tfa_backup_codes), code)
  return index >= 0 && (await spendBackupCode(app.store.db, user, index)) ? 'ok' : 'wrong'
}

/** POST /auth/verify-tfa: the ticket and a code for the user it was issued to; a session when right. */
export async function verifyTfaLogin(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  { username, token, tfa_ticket: ticket }: Static<typeof VerifyTfaBody>
): Promise<Static<typeof LoginReply>> {
  const user = await findUserForLogin(app.store.db, username)
  // The ticket is checked first and refused with one message, so an unknown user and a user
  // with TFA look alike to anyone who has not passed the password step.
  const pending = app.tfa.tickets.peek(ticket)
  if (!user || !pending || pending.userId !== user.id) throw errorOf(E.ticketExpired)
  if (user.is_active !== 1 || user.tfa_enabled !== 1 || !user.tfa_secret) throw errorOf(E.notEnabled)
  // Counted before the compare: concurrent guesses on one ticket cannot outrun the limit.
  const admission = app.tfa.lockout.admit(user.id, '')
  if (!admission.admitted) {
    await recordSignIn(app, request, user, 'tfa', 'failure', 'locked')
    throw tfaLockedError(admission.retryAfterSeconds)
  }

  const check = await secondFactorCheck(app, user, token)
  if (check !== 'ok') {
    await recordSignIn(app, request, user, 'tfa', 'failure', check === 'reused' ? 'reused_code' : 'invalid_code')
    if (admission.lockedUntil) {
      request.log.warn({ userId: user.id, ip: request.ip }, 'TFA verification locked after failed codes')
      app.tfa.tickets.delete(ticket)
      throw tfaLockedError(Math.ceil((admission.lockedUntil.getTime() - app.tfa.now()) / 1000))
    }
    // A reused code still counts as a failure; it only says why, with the same `error`.
    throw errorOf(check === 'reused' ? E.reusedCode : E.invalidCode)
  }

  app.tfa.lockout.succeed(user.id, '')
  app.tfa.tickets.delete(ticket)
  return signedIn(app, request, reply, user, 'tfa')
}
