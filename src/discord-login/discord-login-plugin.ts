// Discord OAuth2 login and account linking (spec chapter 1, part 1). Decorates the pending
// state store so tests can move its clock.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { ExpiringStore } from '../security/expiring-store.js'
import { discordLoginRoutes } from './discord-login-routes.js'
import { discordSettingsRoutes } from './discord-settings-routes.js'
import { newOAuthStateStore, type OAuthState } from './oauth-states.js'

declare module 'fastify' {
  interface FastifyInstance {
    discordOAuthStates: ExpiringStore<OAuthState>
  }
}

async function discordLogin(app: FastifyInstance): Promise<void> {
  app.decorate('discordOAuthStates', newOAuthStateStore())
  await app.register(discordSettingsRoutes)
  await app.register(discordLoginRoutes)
}

export default fp(discordLogin, { name: 'discord-login', dependencies: ['auth-routes'] })
