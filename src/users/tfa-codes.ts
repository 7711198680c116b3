// The two kinds of second factor: TOTP codes from an authenticator app (RFC 6238: 30 s steps,
// 6 digits, SHA-1 — what every authenticator app supports) and single-use backup codes.
import { randomInt } from 'node:crypto'
import { Secret, TOTP } from 'otpauth'
import { hashSecret, verifySecret } from '../security/secret-hashing.js'

const PERIOD_SECONDS = 30
/** Steps accepted either side of now: phones drift, people type slowly. */
const WINDOW_STEPS = 2
const ISSUER = 'PatchMon'

function totp(secretBase32: string, label = 'PatchMon'): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(secretBase32) })
}

/** A fresh 160-bit secret (the RFC 4226 recommended size), base32 as apps expect. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32
}

/** The otpauth:// URI an authenticator app scans. */
export function totpUri(secretBase32: string, username: string): string {
  return totp(secretBase32, username).toString()
}

/**
 * The time step a correct code belongs to, or undefined. Callers compare the step with the last
 * one the user spent, so a code is accepted at most once.
 */
export function matchTotp(secretBase32: string, token: string, nowMs: number): number | undefined {
  if (!/^\d{6}$/.test(token)) return undefined
  const delta = totp(secretBase32).validate({ token, timestamp: nowMs, window: WINDOW_STEPS })
  if (delta === null) return undefined
  return Math.floor(nowMs / 1000 / PERIOD_SECONDS) + delta
}

const BACKUP_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
export const BACKUP_CODE_COUNT = 10

function newBackupCode(): string {
  return Array.from({ length: 6 }, () => BACKUP_ALPHABET[randomInt(BACKUP_ALPHABET.length)]).join('')
}

/**
 * Ten 6-character codes (A–Z, 0–9) from the CSPRNG, shown once. Each holds at least one letter,
 * so six digits are always a TOTP code and a wrong one never costs ten bcrypt compares.
 */
export function newBackupCodes(): string[] {
  const codes: string[] = []
  // An all-digit draw has odds of about 1 in 2,000; 100 draws in a row never happen in practice.
  for (let draws = 0; codes.length < BACKUP_CODE_COUNT && draws < 100 * BACKUP_CODE_COUNT; draws++) {
    const code = newBackupCode()
    if (/[A-Z]/.test(code) && !codes.includes(code)) codes.push(code)
  }
  if (codes.length < BACKUP_CODE_COUNT) throw new Error('could not draw backup codes')
  return codes
}

/** Six digits: a TOTP code; anything else may be a backup code. */
export const looksLikeTotp = (token: string): boolean => /^\d{6}$/.test(token)

export async function hashBackupCodes(codes: string[]): Promise<string> {
  return JSON.stringify(await Promise.all(codes.map((c) => hashSecret(c))))
}

export function parseBackupHashes(stored: string | null): string[] {
  if (!stored) return []
  try {
    const parsed: unknown = JSON.parse(stored)
    return Array.isArray(parsed) ? parsed.filter((h): h is string => typeof h === 'string') : []
  } catch {
    return []
  }
}

/** Index of the hash the code matches, or -1. Codes are compared upper-cased, spaces removed. */
export async function matchBackupCode(hashes: string[], token: string): Promise<number> {
  const code = token.replace(/[\s-]/g, '').toUpperCase()
  if (!/^[A-Z0-9]{6}$/.test(code) || !/[A-Z]/.test(code)) return -1
  for (let i = 0; i < hashes.length; i++) {
    if (await verifySecret(code, hashes[i] ?? null)) return i
  }
  return -1
}
