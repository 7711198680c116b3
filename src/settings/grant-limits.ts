// No setting may grant more than its author holds. The default role of new users is such a grant:
// whoever sets it, or turns on a way to sign up with it (self-registration, Discord sign-in), must
// hold every permission of that role themselves; otherwise an admin could make every future
// sign-up a superadmin, which they are refused doing directly.
import type { FastifyInstance } from 'fastify'
import { forbidden } from '../http/errors.js'
import { ERROR_MESSAGES, fillMessage } from '../http/error-messages.js'
import type { CurrentUser } from '../http/session-auth.js'
import { rolePermissions } from '../users/role-queries.js'

/** 403 when `role` holds a permission `author` does not; an unknown role is left to the caller. */
export async function assertGrantWithinAuthor(app: FastifyInstance, author: CurrentUser, role: string, what: string): Promise<void> {
  const permissions = await rolePermissions(app.store.db, role)
  if (!permissions) return
  const beyond = permissions.filter((p) => !author.permissions.has(p))
  if (beyond.length === 0) return
  const errors = ERROR_MESSAGES.settingsRoles
  throw forbidden(
    errors.insufficientPermissions.message,
    fillMessage(errors.grantBeyondAuthor, { what, role, permissions: beyond.join(', ') })
  )
}

/** When sign-up is (or is being turned) on, the default role must be within the author's. */
export async function assertSignupGrantWithinAuthor(app: FastifyInstance, author: CurrentUser, what: string): Promise<void> {
  if (!(await app.settings.get('signup_enabled'))) return
  await assertGrantWithinAuthor(app, author, await app.settings.get('default_user_role'), what)
}
