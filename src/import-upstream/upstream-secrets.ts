// Opening the secrets upstream PatchMon encrypts (notification destination configs, the Discord and
// OIDC client secrets): AES-256-GCM stored as hex(iv):hex(tag):hex(ciphertext), with a key derived
// from upstream's environment (facts/upstream-database.md, "The encryption scheme"). Rows first
// written by 1.4.x use a 16-byte IV, so both IV lengths are accepted. GCM authenticates, so every
// key upstream could have used is tried and the one that opens the value wins.
import { createDecipheriv, createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { parseEnv } from 'node:util'
import { fillMessage } from '../http/error-messages.js'
import { ImportError, IMPORT_ERRORS as E } from './import-errors.js'

export interface UpstreamKeys {
  /** Where the keys came from, for messages (never the values). */
  source: string
  keys: Buffer[]
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest()
const HEX_KEY = /^[0-9a-fA-F]{64}$/

/** Every key upstream 2.x or 1.4.x derives from these variables, most likely first. */
export function keysFromEnvironment(vars: Readonly<Record<string, string | undefined>>): Buffer[] {
  const keys: Buffer[] = []
  const ai = vars['AI_ENCRYPTION_KEY']
  if (ai) {
    const trimmed = ai.trim()
    keys.push(HEX_KEY.test(trimmed) ? Buffer.from(trimmed, 'hex') : sha256(trimmed))
    if (trimmed !== ai) keys.push(sha256(ai)) // 1.4.x did not trim
  }
  const session = vars['SESSION_SECRET']
  if (session) keys.push(sha256(session))
  const url = vars['DATABASE_URL']
  if (url) keys.push(sha256(`patchmon-enc-${url}`))
  return keys
}

/**
 * The keys from a dotenv file, the environment of this process winning as it does upstream
 * (the file never overrides a variable that is already set).
 */
export function loadUpstreamKeys(file: string, environment: NodeJS.ProcessEnv = process.env): UpstreamKeys {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new ImportError(fillMessage(E.envFileUnreadable, { file, reason: (err as NodeJS.ErrnoException).code ?? 'unreadable' }))
  }
  const fromFile = parseEnv(text)
  const pick = (name: string) => environment[name] || fromFile[name]
  const keys = keysFromEnvironment({
    AI_ENCRYPTION_KEY: pick('AI_ENCRYPTION_KEY'),
    SESSION_SECRET: pick('SESSION_SECRET'),
    DATABASE_URL: pick('DATABASE_URL')
  })
  if (keys.length === 0) throw new ImportError(fillMessage(E.envFileNoKey, { file }))
  return { source: file, keys }
}

const FIELD = /^[0-9a-f]*$/i

/** Upstream's "looks encrypted": three hex fields, a 12-byte (2.x) or 16-byte (1.4.x) IV and a 16-byte tag. */
export function looksEncrypted(value: string): boolean {
  const parts = value.split(':')
  if (parts.length !== 3) return false
  const [iv, tag, body] = parts as [string, string, string]
  return (iv.length === 24 || iv.length === 32) && tag.length === 32 && FIELD.test(iv) && FIELD.test(tag) && FIELD.test(body)
}

/** The plaintext, or undefined when no key opens the value. */
export function openUpstreamValue(value: string, keys: readonly Buffer[]): string | undefined {
  const [iv, tag, body] = value.split(':') as [string, string, string]
  for (const key of keys) {
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'hex'))
      decipher.setAuthTag(Buffer.from(tag, 'hex'))
      return Buffer.concat([decipher.update(Buffer.from(body, 'hex')), decipher.final()]).toString('utf8')
    } catch {
      // not this key
    }
  }
  return undefined
}

export type SecretOutcome = { kind: 'plain'; value: string } | { kind: 'opened'; value: string } | { kind: 'locked' }

/**
 * A stored upstream secret as we can use it: plain text (never encrypted), opened with the key, or
 * locked (encrypted and no key given). A key that is given but does not open it is a wrong env
 * file: that stops the import rather than silently dropping the secret.
 */
export function readUpstreamSecret(value: string, keys: UpstreamKeys | undefined, what: string): SecretOutcome {
  if (!looksEncrypted(value)) return { kind: 'plain', value }
  if (!keys) return { kind: 'locked' }
  const opened = openUpstreamValue(value, keys.keys)
  if (opened === undefined) throw new ImportError(fillMessage(E.wrongKey, { file: keys.source, what }))
  return { kind: 'opened', value: opened }
}
