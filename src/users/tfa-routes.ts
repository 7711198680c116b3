// Two-factor authentication management for the signed-in user: /api/v1/tfa/setup, verify-setup,
// disable, status, regenerate-backup-codes. The TOTP secret is sealed at rest; backup codes are
// bcrypt-hashed and shown only when generated.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { MessageReply as Message } from '../http/schema-fragments.js'
import { errorOf, unauthorized, validationMessagesOf } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { SECURITY } from '../http/openapi.js'
import { userOf } from '../http/session-auth.js'
import { hashBackupCodes, matchTotp, newBackupCodes, newTotpSecret, parseBackupHashes, totpUri } from './tfa-codes.js'
import { emitCommitted, writeOutbox } from '../events/event-outbox.js'
import { findUserById, updateUser } from './user-queries.js'
import { BackupCodesReply, PasswordBody, RegenerateBody, TfaSetupReply, TfaStatusReply, TokenBody } from './tfa-schemas.js'
import { revokeUserSessions } from './sessions.js'
import { tfaLockedError } from './tfa-login.js'
import { clearTfa, spendTotpStep } from './tfa-queries.js'

const E = ERROR_MESSAGES.tfa

export const tfaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const general = { rateLimit: app.rateLimitBucket('general') }
  const tags = ['tfa']

  async function currentRow(request: Parameters<typeof userOf>[0]) {
    const row = await findUserById(app.store.db, userOf(request).id)
    if (!row) throw unauthorized()
    return row
  }

  app.get(
    '/api/v1/tfa/setup',
    {
      schema: {
        tags,
        summary: 'Start TOTP setup: a new secret and its QR code',
        security: SECURITY.bearer,
        response: { 200: TfaSetupReply }
      },
      preHandler: app.authenticate,
      config: general
    },
    async (request) => {
      const row = await currentRow(request)
      if (row.tfa_enabled === 1) throw errorOf(E.alreadyEnabled)
      // TFA guards the password login; an account without a password has nothing to guard.
      if (row.password_hash === null) throw errorOf(E.needsPassword)
      const secret = newTotpSecret()
      const { default: QRCode } = await import('qrcode') // loaded on first use
      const qrCode = await QRCode.toDataURL(totpUri(secret, row.username))
      await updateUser(app.store.db, row.id, { tfa_secret: app.secretBox.seal(secret), tfa_last_used_step: null })
      return { secret, qrCode, manualEntryKey: secret }
    }
  )

  app.post(
    '/api/v1/tfa/verify-setup',
    {
      schema: {
        tags,
        summary: 'Confirm TOTP setup with a code; returns 10 single-use backup codes',
        security: SECURITY.bearer,
        body: TokenBody,
        response: { 200: BackupCodesReply }
      },
      preHandler: app.authenticate,
      config: { rateLimit: app.rateLimitBucket('auth'), validationMessages: validationMessagesOf({ token: E.tokenSixDigits }) }
    },
    async (request) => {
      const row = await currentRow(request)
      if (row.tfa_enabled === 1) throw errorOf(E.alreadyEnabled)
      if (!row.tfa_secret) throw errorOf(E.noSecret)
      const step = matchTotp(app.secretBox.open(row.tfa_secret), request.body.token, app.tfa.now())
      if (step === undefined) throw errorOf(E.invalidSetupCode)
      const backupCodes = newBackupCodes()
      // The setup code counts as spent, so it cannot also pass the next login.
      await updateUser(app.store.db, row.id, {
        tfa_enabled: 1,
        tfa_backup_codes: await hashBackupCodes(backupCodes),
        tfa_last_used_step: step
      })
      // As after a password change: a session stolen before TFA was on must not outlive it.
      await revokeUserSessions(app.store.db, row.id, userOf(request).sessionId)
      request.log.info({ userId: row.id }, 'two-factor authentication enabled')
      return { message: 'Two-factor authentication has been enabled successfully', backupCodes }
    }
  )

  app.post(
    '/api/v1/tfa/disable',
    {
      schema: {
        tags,
        summary: 'Turn TOTP off (needs the account password)',
        security: SECURITY.bearer,
        body: PasswordBody,
        response: { 200: Message }
      },
      preHandler: app.authenticate,
      config: { rateLimit: app.rateLimitBucket('auth'), validationMessages: validationMessagesOf({ password: E.passwordToDisable }) }
    },
    async (request) => {
      const row = await currentRow(request)
      if (row.tfa_enabled !== 1) throw errorOf(E.notEnabled)
      if (!(await app.judgePassword(request, row.id, request.body.password, row.password_hash))) throw errorOf(E.invalidPassword)
      const event = await app.store.db.transaction().execute(async (trx) => {
        await clearTfa(trx, row.id)
        return writeOutbox(trx, 'user_tfa_disabled', { userId: row.id, username: row.username }, new Date())
      })
      request.log.info({ userId: row.id }, 'two-factor authentication disabled')
      emitCommitted(app.events, event)
      return { message: 'Two-factor authentication has been disabled successfully' }
    }
  )

  app.get(
    '/api/v1/tfa/status',
    {
      schema: {
        tags,
        summary: 'Whether TOTP is on and how many backup codes are left',
        security: SECURITY.bearer,
        response: { 200: TfaStatusReply }
      },
      preHandler: app.authenticate,
      config: general
    },
    async (request) => {
      const row = await currentRow(request)
      const remaining = row.tfa_enabled === 1 ? parseBackupHashes(row.tfa_backup_codes).length : 0
      return { enabled: row.tfa_enabled === 1, hasBackupCodes: remaining > 0, backupCodesRemaining: remaining }
    }
  )

  app.post(
    '/api/v1/tfa/regenerate-backup-codes',
    {
      schema: {
        tags,
        summary: 'Replace all backup codes with 10 new ones (needs the password or a current authenticator code)',
        security: SECURITY.bearer,
        body: RegenerateBody,
        response: { 200: BackupCodesReply }
      },
      preHandler: app.authenticate,
      // The dashboard of older builds posted no body: it must reach the handler's clear 400.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {}
      },
      config: { rateLimit: app.rateLimitBucket('auth') }
    },
    async (request) => {
      const row = await currentRow(request)
      if (row.tfa_enabled !== 1) throw errorOf(E.notEnabled)
      const { password, token } = request.body
      // New backup codes are new second factors: a stolen session alone must not mint them.
      if (password !== undefined && password !== '') {
        if (!(await app.judgePassword(request, row.id, password, row.password_hash))) throw errorOf(E.invalidPassword)
      } else if (token !== undefined && token !== '') {
        if (!(await currentCodeMatches(request, row.id, row.tfa_secret, token))) throw errorOf(E.invalidCode)
      } else {
        throw errorOf(E.proofRequired)
      }
      const backupCodes = newBackupCodes()
      await updateUser(app.store.db, row.id, { tfa_backup_codes: await hashBackupCodes(backupCodes) })
      return { message: 'Backup codes have been regenerated successfully', backupCodes }
    }
  )

  /** A current TOTP code, spent once, counted against the user's TFA lockout. */
  async function currentCodeMatches(
    request: Parameters<typeof userOf>[0],
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
}
