// Which PatchMon user an OpenID identity signs in as, and with which role. The linking rules are the
// ones every sign-in provider shares (src/users/account-linking.ts): the issuer + subject already
// linked → that user, whatever the e-mail claims say; a verified e-mail links an existing account only
// with "link by e-mail" on; otherwise an account is created only with "auto-create" on. When a group
// claim and a mapping are configured, the role is re-evaluated at every sign-in.
import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { ERROR_MESSAGES, fillMessage } from '../http/error-messages.js'
import type { UserRow } from '../store/database-types.js'
import { emailForNewAccount, resolveSignIn, usernameBase, type IdentityStore, type LinkRefusal } from '../users/account-linking.js'
import {
  bindOidcIdentity,
  findUserByOidcIdentity,
  insertOidcUser,
  setRoleFromProvider,
  type OidcIdentity
} from '../users/oidc-identity-queries.js'
import { roleExists } from '../users/role-queries.js'
import { countActiveSuperadmins } from '../users/user-queries.js'
import type { OidcSettings } from './oidc-settings.js'
import { groupsOf, mappedRole } from './role-mapping.js'

const REFUSED = ERROR_MESSAGES.oidcLoginRedirect

const REFUSAL_MESSAGES: Record<LinkRefusal, string> = {
  disabled: REFUSED.disabled.message,
  bound_elsewhere: REFUSED.boundElsewhere.message,
  not_found: REFUSED.autoCreateOff.message
}

export type OidcResolution = { user: UserRow; how: 'linked' | 'email' | 'created' } | { error: string; reason: string }

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null)
const missingClaim = (claim: string) => ({ error: fillMessage(REFUSED.missingClaim, { claim }), reason: `missing claim ${claim}` })

/** The role the groups give: a role name, undefined when no mapping is configured, or a refusal. */
async function roleFromGroups(app: FastifyInstance, settings: OidcSettings, claims: Record<string, unknown>) {
  if (!settings.groupClaim || settings.roleMapping.length === 0) return undefined
  const groups = groupsOf(claims, settings.groupClaim)
  if (!groups) return missingClaim(settings.groupClaim)
  const role = mappedRole(groups, settings.roleMapping)
  if (!role || !(await roleExists(app.store.db, role))) return { error: REFUSED.noMappedRole.message, reason: 'no mapped role' }
  return { role }
}

async function roleForNewAccount(app: FastifyInstance, settings: OidcSettings, mapped: string | undefined): Promise<string> {
  for (const candidate of [mapped, settings.defaultRole, await app.settings.get('default_user_role')]) {
    if (candidate && (await roleExists(app.store.db, candidate))) return candidate
  }
  return 'user'
}

function oidcStore(
  app: FastifyInstance,
  identity: OidcIdentity,
  newAccount: { email: string | null; role: string; claims: Record<string, unknown> }
): IdentityStore {
  const db = app.store.db
  return {
    findLinked: () => findUserByOidcIdentity(db, identity),
    linkedElsewhere: (user) => user.oidc_sub !== null,
    bind: (userId) => bindOidcIdentity(db, userId, identity),
    create: (username) =>
      insertOidcUser(
        db,
        {
          username,
          email: newAccount.email,
          passwordHash: null,
          role: newAccount.role,
          firstName: text(newAccount.claims.given_name)?.slice(0, 100) ?? null,
          lastName: text(newAccount.claims.family_name)?.slice(0, 100) ?? null
        },
        identity
      )
  }
}

/** Applies the mapped role, except that the provider never demotes the last active superadmin. */
async function applyMappedRole(app: FastifyInstance, user: UserRow, role: string): Promise<UserRow> {
  if (user.role === role) return user
  if (user.role === 'superadmin' && (await countActiveSuperadmins(app.store.db)) <= 1) {
    app.log.warn({ userId: user.id, mappedRole: role }, 'OIDC role mapping would demote the last superadmin; role kept')
    return user
  }
  await setRoleFromProvider(app.store.db, user.id, role)
  app.log.info({ userId: user.id, from: user.role, to: role }, 'role changed by the OIDC group mapping')
  return { ...user, role }
}

export async function resolveOidcUser(
  app: FastifyInstance,
  settings: OidcSettings,
  issuer: string,
  claims: Record<string, unknown>
): Promise<OidcResolution> {
  const sub = text(claims.sub)
  if (!sub) return missingClaim('sub')
  const mapped = await roleFromGroups(app, settings, claims)
  if (mapped && 'error' in mapped) return mapped
  const email = text(claims.email)?.includes('@') ? text(claims.email) : null
  // Some providers send the boolean as a string; absent means not verified (never a lock-out: see above).
  const emailVerified = claims.email_verified === true || claims.email_verified === 'true'
  const db = app.store.db
  const store = oidcStore(
    app,
    { provider: issuer, sub },
    {
      email: await emailForNewAccount(db, { email, emailVerified }),
      role: await roleForNewAccount(app, settings, mapped?.role),
      claims
    }
  )
  const wanted = text(claims.preferred_username) ?? email?.split('@')[0] ?? text(claims.name) ?? ''
  const resolved = await resolveSignIn(db, store, {
    email,
    emailVerified,
    linkByVerifiedEmail: settings.linkByEmail,
    mayCreate: settings.autoCreate,
    preferredUsername: usernameBase(wanted, 'oidc'),
    fallbackUsername: `oidc_${createHash('sha256').update(`${issuer} ${sub}`).digest('hex').slice(0, 12)}`
  })
  if ('refused' in resolved) return { error: REFUSAL_MESSAGES[resolved.refused], reason: resolved.refused }
  const user = mapped && resolved.how !== 'created' ? await applyMappedRole(app, resolved.user, mapped.role) : resolved.user
  return { user, how: resolved.how }
}
