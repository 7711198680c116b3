// Bearer JWT (or the dashboard's HttpOnly `token` cookie) on every dashboard/admin route.
// A token is valid only while its server-side session is live and its user active.
// http/ names no feature: the users feature passes its session lookup at registration (app.ts)
// and fills in the permission names (users/permissions.ts) by declaration merging.
import cookie from '@fastify/cookie'
import jwt from '@fastify/jwt'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import { errorOf, forbidden, unauthorized } from './errors.js'
import { ERROR_MESSAGES } from './error-messages.js'
import { authenticateBeforeValidation, authGuard } from './auth-first.js'
import { crossSiteRefusal } from './same-origin.js'
import { registerRequestHostScope, setRequestHostScope, type HostScope } from './request-host-scope.js'

export const SESSION_COOKIE = 'token'

const HTTP = ERROR_MESSAGES.http

export interface SessionClaims {
  sub: string
  sid: string
  typ: 'access'
}

/**
 * The permission names guards accept; the feature that defines roles merges its names in
 * (`declare module '../http/session-auth.js'`), so a misspelt permission fails to compile.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface KnownPermissions {}
export type PermissionName = keyof KnownPermissions & string

/** What the session lookup finds: the user behind a live session, and its role's permissions. */
export interface SessionUser {
  id: string
  username: string
  email: string | null
  role: string
  first_name: string | null
  last_name: string | null
  is_active: number
  /** undefined when the role no longer exists. */
  permissions: readonly PermissionName[] | undefined
  /** The host groups the user (with its role) is limited to; null = every host. */
  hostScope: HostScope
}

export interface SessionAuthOptions {
  /** The user of a live (not revoked, not expired) session, or undefined. */
  findSessionUser: (sessionId: string, userId: string) => Promise<SessionUser | undefined>
}

export interface CurrentUser {
  id: string
  username: string
  email: string | null
  role: string
  firstName: string | null
  lastName: string | null
  sessionId: string
  permissions: ReadonlySet<PermissionName>
  hostScope: HostScope
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: SessionClaims
    user: SessionClaims
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    currentUser?: CurrentUser
  }
  interface FastifyInstance {
    /** preHandler: requires a live session. */
    authenticate: preHandlerAsyncHookHandler
    /** preHandler: requires a live session whose role has every listed permission. */
    requirePermission: (...permissions: PermissionName[]) => preHandlerAsyncHookHandler
  }
}

/** The signed-in user; throws 401 when a route forgot its guard (a programming error, not a client one). */
export function userOf(request: FastifyRequest): CurrentUser {
  if (!request.currentUser) throw unauthorized()
  return request.currentUser
}

async function sessionAuthPlugin(app: FastifyInstance, opts: SessionAuthOptions): Promise<void> {
  registerRequestHostScope(app)
  await app.register(cookie)
  await app.register(jwt, {
    secret: app.config.jwtSecret,
    cookie: { cookieName: SESSION_COOKIE, signed: false },
    sign: { expiresIn: app.config.jwtExpiresIn }
  })

  async function loadUser(request: FastifyRequest): Promise<CurrentUser> {
    // Same-site CSRF: a browser attaches the cookie to requests any sibling origin makes.
    const refusal = crossSiteRefusal(request, app.config.serverUrl, SESSION_COOKIE)
    if (refusal) {
      request.log.info({ method: request.method, reason: refusal }, 'cross-site request refused')
      throw errorOf(HTTP.crossSite)
    }
    let claims: SessionClaims
    try {
      claims = await request.jwtVerify<SessionClaims>()
    } catch (err) {
      const code = (err as { code?: string }).code
      if (code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED') throw unauthorized(HTTP.sessionExpired.message)
      if (code === 'FST_JWT_NO_AUTHORIZATION_IN_HEADER' || code === 'FST_JWT_NO_AUTHORIZATION_IN_COOKIE') throw unauthorized()
      throw unauthorized(HTTP.invalidToken.message)
    }
    if (claims.typ !== 'access' || typeof claims.sid !== 'string' || typeof claims.sub !== 'string')
      throw unauthorized(HTTP.invalidToken.message)
    const row = await opts.findSessionUser(claims.sid, claims.sub)
    if (!row) throw unauthorized(HTTP.sessionExpired.message)
    if (row.is_active !== 1) throw unauthorized(HTTP.accountDisabled.message)
    const permissions = row.permissions
    if (!permissions) throw forbidden(HTTP.accessDenied.message)
    // Computed once per request; every host query of this request reads it (hosts/host-scope.ts).
    setRequestHostScope(request, row.hostScope)
    return {
      id: row.id,
      username: row.username,
      email: row.email,
      role: row.role,
      firstName: row.first_name,
      lastName: row.last_name,
      sessionId: claims.sid,
      permissions: new Set(permissions),
      hostScope: row.hostScope
    }
  }

  app.decorateRequest('currentUser', undefined)
  // Guards declared as preHandler run before body validation (auth-first.ts).
  app.addHook('onRoute', authenticateBeforeValidation)

  const authenticate: preHandlerAsyncHookHandler = authGuard(async function authenticate(request: FastifyRequest, _reply: FastifyReply) {
    request.currentUser = await loadUser(request)
  })
  app.decorate('authenticate', authenticate)

  app.decorate('requirePermission', (...required: PermissionName[]) => {
    const guard: preHandlerAsyncHookHandler = authGuard(async function requirePermission(request: FastifyRequest, _reply: FastifyReply) {
      const user = request.currentUser ?? (request.currentUser = await loadUser(request))
      for (const permission of required) if (!user.permissions.has(permission)) throw forbidden()
    })
    return guard
  })
}

export default fp(sessionAuthPlugin, { name: 'session-auth', dependencies: ['app-context'] })
