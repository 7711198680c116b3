// Which PatchMon user an outside identity (Discord, an OpenID provider) signs in as — one set of
// rules for every sign-in provider:
//   1. already linked → that user. Nothing about the e-mail is looked at, so a provider that stops
//      sending `email_verified` (or sends false) never locks out a linked user;
//   2. a verified e-mail matching a user → link it, only where the provider's policy allows it, and
//      never onto a user already linked to another identity of the same provider;
//   3. otherwise create an account when the provider's policy allows it, else refuse.
// A disabled account is refused at every step. The provider supplies the storage (IdentityStore).
import type { Kysely } from 'kysely'
import type { DB, UserRow } from '../store/database-types.js'
import { findUserByEmail, usernamesStartingWith } from './discord-identity-queries.js'

/** How a provider's identity is stored on `users` (src/users/*-identity-queries.ts). */
export interface IdentityStore {
  /** The user this identity is linked to. */
  findLinked(): Promise<UserRow | undefined>
  /** The user is linked to another identity of the same provider. */
  linkedElsewhere(user: UserRow): boolean
  bind(userId: string): Promise<void>
  /** A new account, already linked; `username` is free when called (a race may still take it). */
  create(username: string): Promise<UserRow>
}

export interface LinkPolicy {
  email: string | null
  emailVerified: boolean
  /** Rule 2 applies. */
  linkByVerifiedEmail: boolean
  /** Rule 3 applies. */
  mayCreate: boolean
  /** Wanted username for a new account (cleaned by usernameBase). */
  preferredUsername: string
  /** Used when every variant of the wanted name is taken. */
  fallbackUsername: string
}

export type LinkRefusal = 'disabled' | 'bound_elsewhere' | 'not_found'

export type SignInResolution = { user: UserRow; how: 'linked' | 'email' | 'created' } | { refused: LinkRefusal }

export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && String((err as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT')
}

/** `[A-Za-z0-9._-]`, at most 32 characters, `fallback` when nothing is left. */
export function usernameBase(name: string, fallback: string): string {
  const base = name.replace(/[^A-Za-z0-9._-]/g, '').slice(0, 32)
  return base === '' ? fallback : base
}

/** The base name, or base1 … base999 when taken (compared case-insensitively). */
async function freeUsername(db: Kysely<DB>, base: string, fallback: string): Promise<string> {
  const taken = await usernamesStartingWith(db, base)
  if (!taken.has(base.toLowerCase())) return base
  for (let i = 1; i <= 999; i++) if (!taken.has(`${base}${i}`.toLowerCase())) return `${base}${i}`
  return fallback
}

/** Creates through `store`, trying a fresh name when a concurrent sign-up took the chosen one. */
async function createWithFreeName(db: Kysely<DB>, store: IdentityStore, policy: LinkPolicy): Promise<UserRow> {
  for (let attempt = 0; ; attempt++) {
    const username = await freeUsername(db, policy.preferredUsername, policy.fallbackUsername)
    try {
      return await store.create(username)
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= 2) throw err
    }
  }
}

/** The e-mail a new account may carry: only a verified address nobody else uses. */
export async function emailForNewAccount(db: Kysely<DB>, policy: Pick<LinkPolicy, 'email' | 'emailVerified'>): Promise<string | null> {
  if (!policy.email || !policy.emailVerified) return null
  return (await findUserByEmail(db, policy.email)) ? null : policy.email
}

export async function resolveSignIn(db: Kysely<DB>, store: IdentityStore, policy: LinkPolicy): Promise<SignInResolution> {
  const linked = await store.findLinked()
  if (linked) return linked.is_active === 1 ? { user: linked, how: 'linked' } : { refused: 'disabled' }
  if (policy.linkByVerifiedEmail && policy.email && policy.emailVerified) {
    const byEmail = await findUserByEmail(db, policy.email)
    if (byEmail) {
      if (store.linkedElsewhere(byEmail)) return { refused: 'bound_elsewhere' }
      if (byEmail.is_active !== 1) return { refused: 'disabled' }
      await store.bind(byEmail.id)
      return { user: byEmail, how: 'email' }
    }
  }
  if (!policy.mayCreate) return { refused: 'not_found' }
  return { user: await createWithFreeName(db, store, policy), how: 'created' }
}
