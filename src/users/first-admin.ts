// On the very first start there is no user: create `admin` (superadmin) with the password from
// PATCHMON_ADMIN_PASSWORD, or a generated one that the caller prints once.
import type { Kysely } from 'kysely'
import type { DB } from '../store/database-types.js'
import { hashSecret } from '../security/secret-hashing.js'
import { newPassword } from '../security/random-tokens.js'
import { countUsers, insertUser } from './user-queries.js'
import { ensureBuiltinRoles } from './role-queries.js'

export interface FirstAdminResult {
  created: boolean
  username?: string
  /** Set only when the password was generated (so it must be shown once). */
  generatedPassword?: string
}

/** The first admin's password and its bcrypt hash, started before the database is even opened. */
export interface EarlyAdminHash {
  password: string
  hash: Promise<string>
}

/**
 * On a first start (no database file yet) the admin's bcrypt hash is most of the time to the first
 * answer: started here, it runs on libuv's pool while the migrations run and the app is built,
 * instead of after them. Used by ensureFirstAdmin only if there is still no user by then.
 */
export function startFirstAdminHash(configuredPassword: string | undefined): EarlyAdminHash {
  const password = configuredPassword ?? newPassword()
  const hash = hashSecret(password)
  hash.catch(() => undefined) // awaited (and its error raised) by ensureFirstAdmin, or unused
  return { password, hash }
}

export async function ensureFirstAdmin(
  db: Kysely<DB>,
  configuredPassword: string | undefined,
  early?: EarlyAdminHash
): Promise<FirstAdminResult> {
  if ((await countUsers(db)) > 0) return { created: false }
  // The admin's role must exist before the insert; serve builds the app (which also seeds the
  // roles) while this hash runs, so it cannot rely on that order.
  await ensureBuiltinRoles(db)
  const password = early?.password ?? configuredPassword ?? newPassword()
  // A generated password was only ever printed in the journal: ask for a new one at first sign-in.
  await insertUser(db, {
    username: 'admin',
    email: null,
    passwordHash: await (early?.hash ?? hashSecret(password)),
    role: 'superadmin',
    mustChangePassword: configuredPassword === undefined
  })
  return configuredPassword ? { created: true, username: 'admin' } : { created: true, username: 'admin', generatedPassword: password }
}
