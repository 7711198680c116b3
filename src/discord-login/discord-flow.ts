// The Discord OAuth2 flow behind the routes: starting an authorisation (state + PKCE + cookie),
// finishing it at the callback (sign in or link, always answered by a redirect to the dashboard),
// and unlinking. State is random, single use, lives 10 minutes and is bound to the HttpOnly
// `discord_state` cookie; the code exchange proves possession with PKCE S256.
import { randomBytes } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { errorOf, unauthorized } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { safeEqual } from '../security/secret-hashing.js'
import { effectiveServerUrl } from '../settings/effective-server-url.js'
import { findUserById } from '../users/user-queries.js'
import { clearDiscordIdentity } from '../users/discord-identity-queries.js'
import { authorizeUrl, DiscordApiError, exchangeCode, fetchProfile, newPkce, type DiscordProfile } from './discord-api.js'
import { linkToUser, resolveLoginUser } from './discord-accounts.js'
import { isFullyConfigured, loadDiscordSettings, openClientSecret, redirectUriFor, type DiscordSettings } from './discord-settings.js'
import { STATE_TTL_MS, type OAuthState } from './oauth-states.js'
import { recordSignIn } from '../users/auth-service.js'
import { recordAudit } from '../audit/record-audit.js'

export const STATE_COOKIE = 'discord_state'
const COOKIE_PATH = '/api/v1/auth/discord'

const E = ERROR_MESSAGES.discordLogin
const REFUSED = ERROR_MESSAGES.discordLoginRedirect

const loginRedirect = (error: string) => `/login?${new URLSearchParams({ error }).toString()}`
const profileRedirect = (linked: boolean, error?: string) =>
  `/settings/profile?${new URLSearchParams({ discord_linked: String(linked), ...(error ? { error } : {}) }).toString()}`

async function cookieOptions(app: FastifyInstance, request: FastifyRequest) {
  const secure = (await effectiveServerUrl(app, request)).startsWith('https://') || request.protocol === 'https'
  return { httpOnly: true, sameSite: 'lax' as const, secure, path: COOKIE_PATH }
}

/** Settings usable for a new authorisation, or the documented 400. */
async function usableSettings(app: FastifyInstance): Promise<{ settings: DiscordSettings; clientId: string }> {
  const settings = await loadDiscordSettings(app)
  if (!settings.enabled) throw errorOf(E.notEnabled)
  if (!settings.clientId || !isFullyConfigured(app, settings)) throw errorOf(E.notConfigured)
  return { settings, clientId: settings.clientId }
}

/** Stores a fresh state, sets its cookie and returns the Discord authorisation URL. */
export async function beginAuthorization(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  mode: OAuthState['mode'],
  userId?: string
): Promise<string> {
  const { settings, clientId } = await usableSettings(app)
  const state = randomBytes(32).toString('hex')
  const pkce = newPkce()
  const redirectUri = await redirectUriFor(app, request, settings)
  app.discordOAuthStates.put(state, { codeVerifier: pkce.verifier, mode, redirectUri, ...(userId ? { userId } : {}) })
  reply.setCookie(STATE_COOKIE, state, { ...(await cookieOptions(app, request)), maxAge: STATE_TTL_MS / 1000 })
  return authorizeUrl(app.config.discordApiUrl, { clientId, redirectUri, state, challenge: pkce.challenge })
}

/** Removes the Discord identity of the signed-in user, unless it is their only way in. */
export async function unlinkDiscord(app: FastifyInstance, userId: string): Promise<void> {
  const row = await findUserById(app.store.db, userId)
  if (!row) throw unauthorized()
  if (row.discord_id === null) throw errorOf(E.noneLinked)
  // Discord is the only way in without a password or an OIDC link: unlinking would lock the user out.
  if (row.password_hash === null && row.oidc_sub === null) throw errorOf(E.onlyLoginMethod)
  await clearDiscordIdentity(app.store.db, row.id)
}

/** Code → token → profile; undefined (logged) when Discord fails or the settings changed meanwhile. */
async function profileFor(
  app: FastifyInstance,
  request: FastifyRequest,
  code: string,
  pending: OAuthState
): Promise<DiscordProfile | 'not_configured' | undefined> {
  const settings = await loadDiscordSettings(app)
  const clientSecret = openClientSecret(app, settings)
  if (!settings.enabled || !settings.clientId || clientSecret === undefined) return 'not_configured'
  try {
    const accessToken = await exchangeCode(app.config.discordApiUrl, {
      clientId: settings.clientId,
      clientSecret,
      code,
      redirectUri: pending.redirectUri,
      verifier: pending.codeVerifier
    })
    return await fetchProfile(app.config.discordApiUrl, accessToken)
  } catch (err) {
    if (!(err instanceof DiscordApiError)) throw err
    request.log.warn({ detail: err.detail }, 'Discord sign-in failed')
    return undefined
  }
}

export interface CallbackInput {
  code?: string | undefined
  state?: string | undefined
  error?: string | undefined
}

/** A refusal message as the audit log's reason code ("Account disabled" -> account_disabled). */
const reasonCode = (message: string) =>
  message
    .toLowerCase()
    .replace(/[^a-z]+/g, '_')
    .replace(/^_|_$/g, '')

/** The outcome of linking a Discord identity from the profile, in the audit log. */
async function recordDiscordLink(app: FastifyInstance, request: FastifyRequest, userId: string | undefined, result: string): Promise<void> {
  await recordAudit(app, request, {
    action: 'discord.link',
    outcome: result === 'linked' ? 'success' : 'failure',
    reason: result === 'linked' ? null : result,
    actor: { type: 'user', id: userId ?? null, label: null },
    target: userId ? { type: 'user', id: userId } : null
  })
}

/** Finishes the flow Discord sent back: signs in (session cookie set) or links; returns where to redirect. */
export async function finishAuthorization(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  { code, state, error }: CallbackInput
): Promise<string> {
  const cookieState = request.cookies[STATE_COOKIE]
  reply.clearCookie(STATE_COOKIE, await cookieOptions(app, request))
  if (!state || !cookieState || !safeEqual(state, cookieState)) return loginRedirect(REFUSED.invalidResponse.message)
  const pending = app.discordOAuthStates.take(state)
  if (!pending) return loginRedirect(REFUSED.sessionExpired.message)
  const fail = async (loginError: { message: string }, linkError: string) => {
    if (pending.mode === 'link') return profileRedirect(false, linkError)
    await recordSignIn(app, request, undefined, 'discord', 'failure', linkError)
    return loginRedirect(loginError.message)
  }
  if (error) return fail(REFUSED.failed, 'authentication_failed')
  if (!code) return fail(REFUSED.invalidResponse, 'invalid_response')

  const profile = await profileFor(app, request, code, pending)
  if (profile === 'not_configured') return fail(REFUSED.notConfigured, 'not_configured')
  if (!profile) return fail(REFUSED.failed, 'authentication_failed')

  if (pending.mode === 'link') {
    const result = pending.userId ? await linkToUser(app, pending.userId, profile) : 'user_gone'
    if (result === 'linked') request.log.info({ userId: pending.userId }, 'Discord identity linked from the profile')
    await recordDiscordLink(app, request, pending.userId, result)
    return result === 'linked' ? profileRedirect(true) : profileRedirect(false, result)
  }
  const resolved = await resolveLoginUser(app, profile)
  if ('error' in resolved) {
    request.log.info({ reason: resolved.error }, 'Discord sign-in refused')
    await recordSignIn(app, request, undefined, 'discord', 'failure', reasonCode(resolved.error))
    return loginRedirect(resolved.error)
  }
  await app.startSession(request, reply, resolved.user, 'discord')
  request.log.info({ userId: resolved.user.id }, 'signed in with Discord')
  return '/?discord=success'
}
