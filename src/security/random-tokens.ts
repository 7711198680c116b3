// Formats of every generated credential (see facts: enrollment-and-scripts §1).
import { randomBytes, randomUUID } from 'node:crypto'

export const newId = (): string => randomUUID()
/** Host agent id: `patchmon_` + 16 hex. */
export const newHostApiId = (): string => `patchmon_${randomBytes(8).toString('hex')}`
/** Host agent key: 64 hex (256 bits). */
export const newHostApiKey = (): string => randomBytes(32).toString('hex')
/** Integration / enrollment token key: `patchmon_ae_` + 32 hex. */
export const newTokenKey = (): string => `patchmon_ae_${randomBytes(16).toString('hex')}`
/** Integration / enrollment token secret: 64 hex. */
export const newTokenSecret = (): string => randomBytes(32).toString('hex')
/** Single-use install bootstrap token: 64 hex. */
export const newBootstrapToken = (): string => randomBytes(32).toString('hex')

/** A password people can type: 20 characters from an unambiguous alphabet (~115 bits). */
export function newPassword(length = 20): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'
  const bytes = randomBytes(length * 2)
  let out = ''
  for (let i = 0; i < bytes.length && out.length < length; i++) {
    const b = bytes[i] as number
    if (b < 256 - (256 % alphabet.length)) out += alphabet[b % alphabet.length]
  }
  return out.length === length ? out : newPassword(length)
}
