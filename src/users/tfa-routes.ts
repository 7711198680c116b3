// Two-factor authentication management for the signed-in user: /api/v1/tfa/setup, verify-setup,
// disable, status, regenerate-backup-codes. The rules are in tfa-service.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { MessageReply as Message } from '../http/schema-fragments.js'
import { validationMessagesOf } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { SECURITY } from '../http/openapi.js'
import { BackupCodesReply, PasswordBody, RegenerateBody, TfaSetupReply, TfaStatusReply, TokenBody } from './tfa-schemas.js'
import { confirmTfaSetup, disableTfa, regenerateBackupCodes, startTfaSetup, tfaStatus } from './tfa-service.js'

const E = ERROR_MESSAGES.tfa

export const tfaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const general = { rateLimit: app.rateLimitBucket('general') }
  const tags = ['tfa']

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
    async (request) => startTfaSetup(app, request)
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
      config: {
        audit: { action: 'tfa.enable' },
        rateLimit: app.rateLimitBucket('auth'),
        validationMessages: validationMessagesOf({ token: E.tokenSixDigits })
      }
    },
    async (request) => ({
      message: 'Two-factor authentication has been enabled successfully',
      backupCodes: await confirmTfaSetup(app, request, request.body.token)
    })
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
      config: {
        audit: { action: 'tfa.disable' },
        rateLimit: app.rateLimitBucket('auth'),
        validationMessages: validationMessagesOf({ password: E.passwordToDisable })
      }
    },
    async (request) => {
      await disableTfa(app, request, request.body.password)
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
    async (request) => tfaStatus(app, request)
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
      config: { audit: { action: 'tfa.backup_codes_regenerate' }, rateLimit: app.rateLimitBucket('auth') }
    },
    async (request) => ({
      message: 'Backup codes have been regenerated successfully',
      backupCodes: await regenerateBackupCodes(app, request, request.body)
    })
  )
}
