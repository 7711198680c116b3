// The rules of two-factor authentication for the signed-in user (the routes are tfa-routes.ts):
// setup needs a password-protected account and no TFA yet; the setup code is spent so it cannot
// also pass the next login; turning TFA on ends the user's other sessions; turning it off needs the
// password and is an outbox event; new backup codes need the password or a current code. The TOTP
// secret is sealed at rest; backup codes are bcrypt-hashed and shown only when generated.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { errorOf, unauthorized } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { userOf } from '../http/session-auth.js'
import { emitCommitted, writeOutbox } from '../events/event-outbox.js'
import type { UserRow } from '../store/database-types.js'
import { hashBackupCodes, matchTotp, newBackupCodes, newTotpSecret, parseBackupHashes, totpUri } from './tfa-codes.js'
import { tfaLockedError } from './tfa-login.js'
import { clearTfa, spendTotpStep } from './tfa-queries.js'
import { revokeUserSessions } from './sessions.js'
import { findUserById, updateUser } from './user-queries.js'

const E = ERROR_MESSAGES.tfa

/** The signed-in user's row (401 if the account vanished meanwhile). */
async function currentRow(app: FastifyInstance, request: FastifyRequest): Promise<UserRow> {
  const row = await findUserById(app.store.db, userOf(request).id)
  if (!row) throw unauthorized()
  return row
}

/** A new secret (stored sealed, not yet enabled) with its QR code for the authenticator app. */
export async function startTfaSetup(app: FastifyInstance, request: FastifyRequest) {
  const row = await currentRow(app, request)
  if (row.tfa_enabled === 1) throw errorOf(E.alreadyEnabled)
  // TFA guards the password login; an account without a password has nothing to guard.
  if (row.password_hash === null) throw errorOf(E.needsPassword)
  const secret = newTotpSecret()
  const { default: QRCode } = await import('qrcode') // loaded on first use
  const qrCode = await QRCode.toDataURL(totpUri(secret, row.username))
  await updateUser(app.store.db, row.id, { tfa_secret: app.secretBox.seal(secret), tfa_last_used_step: null })
  return { secret, qrCode, manualEntryKey: secret }
}

/** Turns TFA on with a code from the new secret; returns the 10 backup codes, shown only now. */
export async function confirmTfaSetup(app: FastifyInstance, request: FastifyRequest, token: string) {
  const row = await currentRow(app, request)
  if (row.tfa_enabled === 1) throw errorOf(E.alreadyEnabled)
  if (!row.tfa_secret) throw errorOf(E.noSecret)
  const step = matchTotp(app.secretBox.open(row.tfa_secret), token, app.tfa.now())
  if (step === undefined) throw errorOf(E.invalidSetupCode)
  const backupCodes = newBackupCodes()
  // The setup code counts as spent, so it cannot also pass the next login.
  await updateUser(app.store.db, row.id, { tfa_enabled: 1, tfa_backup_codes: await hashBackupCodes(backupCodes), tfa_last_used_step: step })
  // As after a password change: a session stolen before TFA was on must not outlive it.
  await revokeUserSessions(app.store.db, row.id, userOf(request).sessionId)
  request.log.info({ userId: row.id }, 'two-factor authentication enabled')
  return backupCodes
}

/** Turns TFA off (the password is required); the user_tfa_disabled event commits with the change. */
export async function disableTfa(app: FastifyInstance, request: FastifyRequest, password: string): Promise<void> {
  const row = await currentRow(app, request)
  if (row.tfa_enabled !== 1) throw errorOf(E.notEnabled)
  if (!(await app.judgePassword(request, row.id, password, row.password_hash))) throw errorOf(E.invalidPassword)
  const event = await app.store.db.transaction().execute(async (trx) => {
    await clearTfa(trx, row.id)
    return writeOutbox(trx, 'user_tfa_disabled', { userId: row.id, username: row.username }, new Date())
  })
  request.log.info({ userId: row.id }, 'two-factor authentication disabled')
  emitCommitted(app.events, event)
}

export async function tfaStatus(app: FastifyInstance, request: FastifyRequest) {
  const row = await currentRow(app, request)
  const remaining = row.tfa_enabled === 1 ? parseBackupHashes(row.tfa_backup_codes).length : 0
  return { enabled: row.tfa_enabled === 1, hasBackupCodes: remaining > 0, backupCodesRemaining: remaining }
}

/** Replaces all backup codes; returns the new ones, shown only now. */
export async function regenerateBackupCodes(
  app: FastifyInstance,
  request: FastifyRequest,
  proof: { password?: string | undefined; token?: string | undefined }
): Promise<string[]> {
  const row = await currentRow(app, request)
  if (row.tfa_enabled !== 1) throw errorOf(E.notEnabled)
  const { password, token } = proof
  // New backup codes are new second factors: a stolen session alone must not mint them.
  if (password !== undefined && password !== '') {
    if (!(await app.judgePassword(request, row.id, password, row.password_hash))) throw errorOf(E.invalidPassword)
  } else if (token !== undefined && token !== '') {
    if (!(await currentCodeMatches(app, request, row.id, row.tfa_secret, token))) throw errorOf(E.invalidCode)
  } else {
    throw errorOf(E.proofRequired)
  }
  const backupCodes = newBackupCodes()
  await updateUser(app.store.db, row.id, { tfa_backup_codes: await hashBackupCodes(backupCodes) })
  return backupCodes
}

/** A current TOTP code, spent once, counted against the user's TFA lockout. */
async function currentCodeMatches(
  app: FastifyInstance,
  request: FastifyRequest,
  userId: string,
  sealed: string | null,
  token: string
): Promise<boolean> {
  const admission = app.tfa.lockout.admit(userId, '')
  if (!admission.admitted) throw tfaLockedError(admission.retryAfterSeconds)
  const step = sealed ? matchTotp(app.secretBox.open(sealed), token.replace(/\s/g, ''), app.tfa.now()) : undefined
  const ok = step !== undefined && (await spendTotpStep(app.store.db, userId, step))
  if (ok) app.tfa.lockout.succeed(userId, '')
  else if (admission.lockedUntil) request.log.warn({ userId, ip: request.ip }, 'TFA locked after failed codes')
  return ok
}
