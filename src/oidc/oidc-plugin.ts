// OpenID Connect sign-in (issue 18, part 1). Decorates the pending sign-in store so tests can move its
// clock, and refuses password sign-in while OIDC-only mode is on (the login page hides the form; the
// server refuses it too, so the mode is not only cosmetic). Break-glass: `patchmon admin
// allow-password-login` on the server (docs/sign-in.md).
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { errorOf } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import type { ExpiringStore } from '../security/expiring-store.js'
import { newPendingSignInStore, type PendingSignIn } from './oidc-flow.js'
import { oidcRoutes } from './oidc-routes.js'
import { isUsable, loadOidcSettings } from './oidc-settings.js'
import { oidcSettingsRoutes } from './oidc-settings-routes.js'

declare module 'fastify' {
  interface FastifyInstance {
    oidcPendingSignIns: ExpiringStore<PendingSignIn>
  }
}

const PASSWORD_LOGIN_ROUTES = new Set(['/api/v1/auth/login'])

async function oidc(app: FastifyInstance): Promise<void> {
  app.decorate('oidcPendingSignIns', newPendingSignInStore())
  app.addHook('preHandler', async (request) => {
    if (request.method !== 'POST' || !PASSWORD_LOGIN_ROUTES.has(request.routeOptions.url ?? '')) return
    const settings = await loadOidcSettings(app)
    if (settings.oidcOnly && isUsable(app, settings)) throw errorOf(ERROR_MESSAGES.oidcLogin.passwordLoginOff)
  })
  await app.register(oidcSettingsRoutes)
  await app.register(oidcRoutes)
}

export default fp(oidc, { name: 'oidc', dependencies: ['auth-routes'] })
