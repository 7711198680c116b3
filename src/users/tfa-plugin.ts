// Two-factor authentication: management routes for the signed-in user and the second login
// step. Decorates `app.tfa` (clock, lockout, login tickets) so tests can move time.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { ExpiringStore } from '../security/expiring-store.js'
import { LoginLockout } from './login-lockout.js'
import { tfaLoginRoutes } from './tfa-login-routes.js'
import { tfaRoutes } from './tfa-routes.js'

const MAX_TFA_ATTEMPTS = 5
const TFA_LOCKOUT_MS = 30 * 60_000
/** Time between the password step and the code step. */
const TICKET_TTL_MS = 5 * 60_000

export interface TfaState {
  /** Milliseconds since the epoch; TOTP steps and the lockout both read it. */
  now: () => number
  lockout: LoginLockout
  tickets: ExpiringStore<{ userId: string }>
}

declare module 'fastify' {
  interface FastifyInstance {
    tfa: TfaState
  }
}

async function tfaPlugin(app: FastifyInstance): Promise<void> {
  const state: TfaState = {
    now: Date.now,
    lockout: new LoginLockout(MAX_TFA_ATTEMPTS, TFA_LOCKOUT_MS, () => state.now()),
    tickets: new ExpiringStore(TICKET_TTL_MS)
  }
  state.tickets.now = () => state.now()
  app.decorate('tfa', state)
  await app.register(tfaRoutes)
  await app.register(tfaLoginRoutes)
}

export default fp(tfaPlugin, { name: 'tfa', dependencies: ['auth-routes'] })
