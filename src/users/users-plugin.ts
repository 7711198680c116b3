// The users feature as one plugin: sign-in and sessions (auth-routes, session-routes), user and role
// management (user-routes), custom roles (role-routes) and two-factor authentication (tfa-plugin). The built-in roles are
// refreshed first, so new permissions reach existing installs before any request is served.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { authRoutes } from './auth-routes.js'
import { ensureBuiltinRoles } from './role-queries.js'
import tfa from './tfa-plugin.js'
import { userRoutes } from './user-routes.js'
import { sessionRoutes } from './session-routes.js'
import { findUserById } from './user-queries.js'
import { roleRoutes } from './role-routes.js'

async function usersPlugin(app: FastifyInstance): Promise<void> {
  await ensureBuiltinRoles(app.store.db)
  app.auditLabels.set('user', async (id) => (await findUserById(app.store.db, id))?.username)
  await app.register(authRoutes)
  await app.register(userRoutes)
  await app.register(sessionRoutes)
  await app.register(roleRoutes)
  await app.register(tfa)
}

export default fp(usersPlugin, { name: 'users', dependencies: ['app-context', 'rate-limits', 'session-auth', 'audit'] })
