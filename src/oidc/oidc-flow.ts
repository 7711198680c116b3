// The OpenID Connect code flow behind the routes: starting a sign-in (discovery, state + nonce + PKCE
// verifier kept server-side, the state bound to the HttpOnly `oidc_state` cookie), finishing it at the
// callback (code exchange, ID token checks, account resolution, session) and the optional end-session
// logout. Every outcome is a redirect: the dashboard on success, /login?error=<message> otherwise.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { safeEqual } from '../security/secret-hashing.js'
import { ExpiringStore } from '../security/expiring-store.js'
import { effectiveServerUrl } from '../settings/effective-server-url.js'
import { durationToMs } from '../users/sessions.js'
import { recordSignIn } from '../users/auth-service.js'
import { resolveOidcUser } from './oidc-accounts.js'
import {
  authorizationUrl,
  discoverProvider,
  endSessionUrl,
  exchangeCode,
  newSecrets,
  OidcError,
  userInfo,
  type OidcFailure
} from './oidc-client.js'
import { clientSecretOf, loadOidcSettings, redirectUriFor, type OidcSettings } from './oidc-settings.js'
import { groupsOf } from './role-mapping.js'

export const STATE_COOKIE = 'oidc_state'
/** Kept only when end-session logout is on: the provider's logout wants it as id_token_hint. */
export const ID_TOKEN_COOKIE = 'oidc_id_token'
const COOKIE_PATH = '/api/v1/auth/oidc'
export const STATE_TTL_MS = 10 * 60_000

export interface PendingSignIn {
  verifier: string
  nonce: string
  /** Sent again with the code exchange: the provider requires the identical value. */
  redirectUri: string
}

export function newPendingSignInStore(): ExpiringStore<PendingSignIn> {
  return new ExpiringStore<PendingSignIn>(STATE_TTL_MS, 10_000)
}

const R = ERROR_MESSAGES.oidcLoginRedirect
const FAILURE_MESSAGES: Record<OidcFailure, string> = {
  issuer_unreachable: R.issuerUnreachable.message,
  bad_client: R.badClientSecret.message,
  token_expired: R.tokenExpired.message,
  invalid_token: R.invalidToken.message,
  provider_refused: R.providerRefused.message,
  failed: R.failed.message
}

const loginRedirect = (error: string) => `/login?${new URLSearchParams({ error }).toString()}`

async function cookieOptions(app: FastifyInstance, request: FastifyRequest) {
  const secure = (await effectiveServerUrl(app, request)).startsWith('https://') || request.protocol === 'https'
  return { httpOnly: true, sameSite: 'lax' as const, secure, path: COOKIE_PATH }
}

/** Settings and secret usable for a sign-in, or the login page's message. */
async function usable(app: FastifyInstance): Promise<{ settings: OidcSettings; secret: string } | { error: string }> {
  const settings = await loadOidcSettings(app)
  if (!settings.enabled) return { error: R.notEnabled.message }
  const secret = clientSecretOf(app, settings)
  if (!settings.issuerUrl || !settings.clientId || secret === undefined) return { error: R.notConfigured.message }
  return { settings, secret }
}

function failed(request: FastifyRequest, err: unknown, step: string): string {
  if (!(err instanceof OidcError)) throw err
  request.log.warn({ reason: err.reason, detail: err.detail, step }, 'OIDC sign-in failed')
  return loginRedirect(FAILURE_MESSAGES[err.reason])
}

/** GET /auth/oidc/login: where to send the browser (the provider, or the login page with a message). */
export async function beginSignIn(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<string> {
  const ready = await usable(app)
  if ('error' in ready) return loginRedirect(ready.error)
  try {
    const session = await discoverProvider(ready.settings, ready.secret)
    const secrets = await newSecrets()
    const redirectUri = await redirectUriFor(app, request, ready.settings)
    app.oidcPendingSignIns.put(secrets.state, { verifier: secrets.verifier, nonce: secrets.nonce, redirectUri })
    reply.setCookie(STATE_COOKIE, secrets.state, { ...(await cookieOptions(app, request)), maxAge: STATE_TTL_MS / 1000 })
    return await authorizationUrl(session, { ...secrets, redirectUri, scopes: ready.settings.scopes })
  } catch (err) {
    return failed(request, err, 'begin')
  }
}

/** The callback URL as the provider built it: our registered redirect URI plus the query it added. */
function callbackUrlOf(redirectUri: string, query: Record<string, string | undefined>): URL {
  const url = new URL(redirectUri)
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, value)
  return url
}

/** ID token claims, completed from userinfo when the e-mail or the group claim is kept out of the token. */
async function claimsOf(
  settings: OidcSettings,
  pending: PendingSignIn,
  query: Record<string, string | undefined>,
  state: string,
  secret: string
) {
  const session = await discoverProvider(settings, secret)
  const tokens = await exchangeCode(session, callbackUrlOf(pending.redirectUri, query), {
    verifier: pending.verifier,
    nonce: pending.nonce,
    state
  })
  const sub = typeof tokens.claims.sub === 'string' ? tokens.claims.sub : ''
  const lacksGroups = settings.groupClaim !== null && groupsOf(tokens.claims, settings.groupClaim) === undefined
  const extra = sub && (lacksGroups || tokens.claims.email === undefined) ? await userInfo(session, tokens.accessToken, sub) : {}
  return { claims: { ...extra, ...tokens.claims }, idToken: tokens.idToken, issuer: session.config.serverMetadata().issuer }
}

/** GET /auth/oidc/callback: signs in (session cookie set) and answers where to redirect. */
export async function finishSignIn(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  query: Record<string, string | undefined>
): Promise<string> {
  const cookieState = request.cookies[STATE_COOKIE]
  const options = await cookieOptions(app, request)
  reply.clearCookie(STATE_COOKIE, options)
  const state = query.state
  if (!state || !cookieState || !safeEqual(state, cookieState)) return loginRedirect(R.stateMismatch.message)
  const pending = app.oidcPendingSignIns.take(state)
  if (!pending) return loginRedirect(R.sessionExpired.message)
  if (query.error) {
    request.log.info({ error: query.error.slice(0, 60) }, 'OIDC provider refused the sign-in')
    return loginRedirect(R.providerRefused.message)
  }
  const ready = await usable(app)
  if ('error' in ready) return loginRedirect(ready.error)
  let signedIn: Awaited<ReturnType<typeof claimsOf>>
  try {
    signedIn = await claimsOf(ready.settings, pending, query, state, ready.secret)
  } catch (err) {
    const page = failed(request, err, 'callback')
    await recordSignIn(app, request, undefined, 'oidc', 'failure', err instanceof OidcError ? err.reason : 'error')
    return page
  }
  const resolved = await resolveOidcUser(app, ready.settings, signedIn.issuer, signedIn.claims)
  if ('error' in resolved) {
    request.log.info({ reason: resolved.reason }, 'OIDC sign-in refused')
    await recordSignIn(app, request, undefined, 'oidc', 'failure', resolved.reason)
    return loginRedirect(resolved.error)
  }
  await app.startSession(request, reply, resolved.user, 'oidc')
  if (ready.settings.endSession && signedIn.idToken) {
    reply.setCookie(ID_TOKEN_COOKIE, signedIn.idToken, { ...options, maxAge: Math.floor(durationToMs(app.config.jwtExpiresIn) / 1000) })
  }
  request.log.info({ userId: resolved.user.id, how: resolved.how }, 'signed in with OIDC')
  return '/'
}

/** GET /auth/oidc/logout (after the dashboard ended our session): the provider's logout, or /login. */
export async function endSession(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<string> {
  const idToken = request.cookies[ID_TOKEN_COOKIE]
  reply.clearCookie(ID_TOKEN_COOKIE, await cookieOptions(app, request))
  const ready = await usable(app)
  // Only a browser that signed in through the provider (it holds the ID token) is sent to its logout.
  if (!idToken || 'error' in ready || !ready.settings.endSession) return '/login'
  try {
    const session = await discoverProvider(ready.settings, ready.secret)
    const postLogoutRedirectUri = `${await effectiveServerUrl(app, request)}/login`
    return (await endSessionUrl(session, { postLogoutRedirectUri, idToken })) ?? '/login'
  } catch (err) {
    failed(request, err, 'logout')
    return '/login'
  }
}
