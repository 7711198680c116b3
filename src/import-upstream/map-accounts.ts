// Upstream users and integration credentials to ours. Password hashes, token secrets and backup
// codes are bcrypt and are kept as they are; the TOTP seed is plain in upstream (or encrypted in
// some installs) and is sealed with our key by the writer. Each loss is returned as a note.
import { BUILTIN_ROLES } from '../users/permissions.js'
import { INTEGRATION_TYPES, integrationTypeOf, normaliseScopes, SCOPE_RESOURCES } from '../integration-tokens/token-rules.js'
import { invalidRanges } from '../security/ip-allow-list.js'
import type { TokenRow } from '../store/database-types.js'
import type { UpstreamToken, UpstreamUser } from './read-accounts.js'
import { readUpstreamSecret, type UpstreamKeys } from './upstream-secrets.js'
import { BCRYPT_HASH } from './map-hosts.js'

export interface MappedUser {
  username: string
  email: string | null
  passwordHash: string | null
  role: string
  firstName: string | null
  lastName: string | null
  isActive: boolean
  lastLoginAt: string | null
  /** The TOTP seed in clear (the writer seals it), when TFA moves with the user. */
  tfaSecret?: string
  tfaBackupCodes?: string
  discord?: { id: string; username: string | null; avatar: string | null; linkedAt: string | null }
  /** The OIDC identity (issuer of the imported settings + upstream's subject). */
  oidc?: { provider: string; sub: string }
  notes: string[]
  tell: string[]
}

/** Upstream's role if we have it; a custom role becomes readonly (least privilege) with a note. */
export function mapRole(role: string): { role: string; note?: string } {
  if (role in BUILTIN_ROLES) return { role }
  return {
    role: 'readonly',
    note: `given "readonly" for upstream's custom role "${role}"`
  }
}

function backupHashes(stored: string | null): string | undefined {
  if (!stored) return undefined
  try {
    const parsed: unknown = JSON.parse(stored)
    if (Array.isArray(parsed) && parsed.length > 0 && parsed.every((h) => typeof h === 'string' && BCRYPT_HASH.test(h)))
      return JSON.stringify(parsed)
  } catch {
    // not a JSON array of hashes: dropped below
  }
  return undefined
}

/** `oidcIssuer`: the issuer upstream's OIDC links belong to, when the import knows it. */
export function mapUser(user: UpstreamUser, keys: UpstreamKeys | undefined, oidcIssuer?: string): MappedUser {
  const who = `user ${user.username}`
  const notes: string[] = []
  const tell: string[] = []
  const { role, note } = mapRole(user.role)
  if (note) notes.push(`${who}: ${note}`)
  const mapped: MappedUser = {
    username: user.username,
    email: user.email || null,
    passwordHash: user.password_hash && BCRYPT_HASH.test(user.password_hash) ? user.password_hash : null,
    role,
    firstName: user.first_name,
    lastName: user.last_name,
    isActive: user.is_active !== false,
    lastLoginAt: user.last_login,
    notes,
    tell
  }
  if (user.password_hash && !mapped.passwordHash) notes.push(`${who}: the stored password is not a bcrypt hash and was not carried over`)
  if (user.tfa_enabled && user.tfa_secret) {
    const seed = readUpstreamSecret(user.tfa_secret, keys, `the two-factor secret of ${who}`)
    const codes = backupHashes(user.tfa_backup_codes)
    if (seed.kind === 'locked') {
      tell.push(
        `${user.username}${user.email ? ` <${user.email}>` : ''}: two-factor authentication was reset (its secret is encrypted upstream and no --env-file was given); set it up again after signing in`
      )
    } else {
      mapped.tfaSecret = seed.value
      if (codes) mapped.tfaBackupCodes = codes
      else if (user.tfa_backup_codes)
        notes.push(`${who}: backup codes were not bcrypt hashes and were dropped (the authenticator app still works)`)
    }
  }
  if (user.discord_id) {
    mapped.discord = { id: user.discord_id, username: user.discord_username, avatar: user.discord_avatar, linkedAt: user.discord_linked_at }
  }
  if (user.oidc_sub && oidcIssuer) mapped.oidc = { provider: oidcIssuer, sub: user.oidc_sub }
  else if (user.oidc_sub) {
    notes.push(`${who}: OIDC link not carried over (no OIDC issuer is known: none in upstream's settings or --env-file)`)
    if (!mapped.passwordHash && !mapped.discord) {
      tell.push(
        `${user.username}${user.email ? ` <${user.email}>` : ''}: signed in only through OIDC; give them a password with "patchmon admin reset-password ${user.username}"`
      )
    }
  }
  return mapped
}

export type MappedToken = {
  row: Omit<TokenRow, 'default_host_group_id' | 'created_by_user_id'>
  upstreamGroupId: string | null
  upstreamCreatorId: string | null
  notes: string[]
}

/** One credential, or a note saying why it was skipped. */
export function mapToken(token: UpstreamToken, now: string): MappedToken | { skipped: string } {
  const what = `credential "${token.token_name}" (${token.token_key})`
  const type = integrationTypeOf(token.metadata ?? undefined)
  if (!type)
    return {
      skipped: `${what}: integration type ${JSON.stringify(token.metadata?.['integration_type'])} is unknown here (known: ${INTEGRATION_TYPES.join(', ')})`
    }
  if (!BCRYPT_HASH.test(token.token_secret)) return { skipped: `${what}: its secret is not a bcrypt hash` }
  const notes: string[] = []
  let active = token.is_active !== false
  let scopes: string | null = null
  if (type === 'api') {
    const raw = token.scopes ?? {}
    const known = Object.fromEntries(Object.entries(raw).filter(([resource]) => (SCOPE_RESOURCES as readonly string[]).includes(resource)))
    const dropped = Object.keys(raw).filter((r) => !(r in known))
    if (dropped.length > 0) notes.push(`${what}: scopes for ${dropped.join(', ')} do not exist here and were dropped`)
    const normalised = normaliseScopes(known)
    if ('issue' in normalised) {
      if (active) notes.push(`${what}: no usable scope left (${normalised.issue.msg}); imported inactive`)
      active = false
    } else {
      scopes = JSON.stringify(normalised.scopes)
    }
  }
  const ranges = token.allowed_ip_ranges ?? []
  const bad = invalidRanges(ranges)
  const good = ranges.filter((r) => !bad.includes(r))
  if (bad.length > 0) {
    notes.push(`${what}: IP ranges ${bad.join(', ')} are not valid here and were dropped`)
    // An allow-list emptied by dropping entries would mean "any address": refuse that widening.
    if (good.length === 0 && active) {
      notes.push(`${what}: imported inactive, as its allow-list would otherwise admit any address`)
      active = false
    }
  }
  const perDay = Math.min(1000, Math.max(1, Number(token.max_hosts_per_day ?? 100)))
  return {
    row: {
      id: token.id,
      token_name: token.token_name,
      token_key: token.token_key,
      token_secret_hash: token.token_secret,
      token_secret_digest: null,
      integration_type: type,
      is_active: active ? 1 : 0,
      allowed_ip_ranges: JSON.stringify(good),
      max_hosts_per_day: perDay,
      hosts_created_today: 0,
      last_reset_date: null,
      last_used_at: token.last_used_at,
      expires_at: token.expires_at,
      metadata: JSON.stringify({ ...(token.metadata ?? {}), integration_type: type }),
      scopes,
      created_at: token.created_at ?? now,
      updated_at: now
    },
    upstreamGroupId: token.default_host_group_id,
    upstreamCreatorId: token.created_by_user_id,
    notes
  }
}
