import { Type } from '@fastify/type-provider-typebox'

export const TfaSetupReply = Type.Object({
  secret: Type.String({ description: 'Base32 TOTP secret, shown once for manual entry' }),
  qrCode: Type.String({ description: 'PNG data URL of the otpauth:// URI' }),
  manualEntryKey: Type.String()
})

export const TokenBody = Type.Object({ token: Type.String({ pattern: '^\\d{6}$' }) })

export const PasswordBody = Type.Object({ password: Type.String({ minLength: 1, maxLength: 1024 }) })

// The spec gives no body for regenerate-backup-codes; these fields are our addition (README).
export const RegenerateBody = Type.Object({
  password: Type.Optional(Type.String({ maxLength: 1024, description: 'The account password' })),
  token: Type.Optional(Type.String({ maxLength: 64, description: 'A current 6-digit authenticator code (instead of the password)' }))
})

export const BackupCodesReply = Type.Object({ message: Type.String(), backupCodes: Type.Array(Type.String()) })

export const TfaStatusReply = Type.Object({
  enabled: Type.Boolean(),
  hasBackupCodes: Type.Boolean(),
  backupCodesRemaining: Type.Integer()
})

export const VerifyTfaBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 255 }),
  token: Type.String({ minLength: 1, maxLength: 64, description: 'A 6-digit TOTP code or a backup code' }),
  tfa_ticket: Type.String({ minLength: 1, maxLength: 200, description: 'The tfaTicket returned by POST /auth/login' }),
  remember_me: Type.Optional(Type.Boolean())
})

export const TfaRequiredReply = Type.Object({
  message: Type.String(),
  requiresTfa: Type.Boolean(),
  username: Type.String(),
  tfaTicket: Type.String()
})
