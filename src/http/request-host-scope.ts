// The host scope of the request being served (issue 18 part 3). Authentication computes it once
// (session-auth.ts) and the hosts feature's query layer reads it (hosts/host-scope.ts), so no
// service has to carry it and no query can forget to receive it.
//
// It lives in an AsyncLocalStorage entered by an onRequest hook, so it follows the request's
// asynchronous work and nothing else: timers, agents and other requests see no scope (unrestricted,
// as the machine acts for itself). Work a request starts and that outlives it (a run dispatched
// after the reply) keeps the scope of the user who started it, which is the intended limit.
import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks'
import type { FastifyInstance, FastifyRequest } from 'fastify'

/** Host groups a user may see; null = every host. An empty list = no host at all. */
export type HostScope = { readonly groupIds: readonly string[] } | null

interface RequestScopeStore {
  scope: HostScope
}

const storage = new AsyncLocalStorage<RequestScopeStore>()
const STORE = Symbol('patchmon.hostScopeStore')
const RESOURCE = Symbol('patchmon.hostScopeResource')

type ScopedRequest = FastifyRequest & { [STORE]?: RequestScopeStore; [RESOURCE]?: AsyncResource }

/** The scope of the current request; null outside a request or before authentication. */
export function currentHostScope(): HostScope {
  return storage.getStore()?.scope ?? null
}

/** Called by authentication: from here on, the request's queries see only these hosts. */
export function setRequestHostScope(request: FastifyRequest, scope: HostScope): void {
  const store = (request as ScopedRequest)[STORE]
  if (store) store.scope = scope
}

/** Runs `fn` with the given scope, e.g. a stream's later reads on behalf of the user who opened it. */
export function withHostScope<T>(scope: HostScope, fn: () => T): T {
  return storage.run({ scope }, fn)
}

/**
 * Gives every request its own scope store before any hook runs. The request body's events arrive
 * in the socket's async context, not the request's, so validation and what follows it re-enter the
 * request's context explicitly (the same technique as @fastify/request-context).
 */
export function registerRequestHostScope(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const store: RequestScopeStore = { scope: null }
    storage.run(store, () => {
      const resource = new AsyncResource('patchmon-host-scope')
      Object.assign(request, { [STORE]: store, [RESOURCE]: resource })
      resource.runInAsyncScope(done, request.raw)
    })
  })
  app.addHook('preValidation', (request, _reply, done) => {
    const resource = (request as ScopedRequest)[RESOURCE]
    if (resource) resource.runInAsyncScope(done, request.raw)
    else done()
  })
}
