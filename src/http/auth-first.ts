// Authentication runs before body validation on every protected route, so a caller without
// credentials gets 401 (or 403) and never learns a route's field names from validation errors.
// Features declare their guards as `preHandler` (the natural place to read about them); guards
// marked here are moved to the front of `preValidation` when the route is registered, keeping
// their order, so no feature has to remember the hook order.
import type { RouteOptions } from 'fastify'

const AUTH_GUARD = Symbol('patchmon.authGuard')

type Hook = NonNullable<RouteOptions['preHandler']>
type HookFn = Exclude<Hook, readonly unknown[]>

/** Marks a preHandler as an authentication/authorisation guard (see the file comment). */
export function authGuard<T extends object>(guard: T): T {
  Object.defineProperty(guard, AUTH_GUARD, { value: true })
  return guard
}

const isAuthGuard = (hook: unknown): boolean =>
  typeof hook === 'function' && (hook as unknown as Record<symbol, unknown>)[AUTH_GUARD] === true

const asList = (hooks: RouteOptions['preHandler'] | RouteOptions['preValidation']): HookFn[] =>
  hooks === undefined ? [] : Array.isArray(hooks) ? [...(hooks as HookFn[])] : [hooks as HookFn]

/** onRoute hook: moves marked guards from preHandler to the front of preValidation. */
export function authenticateBeforeValidation(route: RouteOptions): void {
  const preHandlers = asList(route.preHandler)
  const guards = preHandlers.filter(isAuthGuard)
  if (guards.length === 0) return
  route.preHandler = preHandlers.filter((hook) => !isAuthGuard(hook))
  route.preValidation = [...guards, ...asList(route.preValidation)] as RouteOptions['preValidation']
}
