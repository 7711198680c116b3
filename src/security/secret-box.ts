// AES-256-GCM for secrets that must be read back (webhook URLs, OAuth client secret, TOTP seeds).
// Stored form: `enc:v1:<iv hex>:<tag hex>:<ciphertext hex>`; the prefix marks a value as sealed so
// plaintext rows written before a key existed can still be recognised and migrated.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

const PREFIX = 'enc:v1:'

export interface SecretBox {
  seal(plaintext: string): string
  open(stored: string): string
  isSealed(stored: string): boolean
}

export class SecretBoxError extends Error {
  override name = 'SecretBoxError'
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('secret box key must be 32 bytes')
  return {
    seal(plaintext) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      return `${PREFIX}${iv.toString('hex')}:${cipher.getAuthTag().toString('hex')}:${ct.toString('hex')}`
    },
    open(stored) {
      if (!stored.startsWith(PREFIX)) return stored // legacy plaintext
      const [ivHex, tagHex, ctHex] = stored.slice(PREFIX.length).split(':')
      if (!ivHex || !tagHex || ctHex === undefined) throw new SecretBoxError('malformed sealed value')
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivHex, 'hex'))
        decipher.setAuthTag(Buffer.from(tagHex, 'hex'))
        return Buffer.concat([decipher.update(Buffer.from(ctHex, 'hex')), decipher.final()]).toString('utf8')
      } catch {
        throw new SecretBoxError('sealed value cannot be opened with the configured SECRET_ENCRYPTION_KEY')
      }
    },
    isSealed: (stored) => stored.startsWith(PREFIX)
  }
}
