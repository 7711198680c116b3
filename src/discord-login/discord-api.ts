// What we ask of Discord: the authorisation URL (PKCE S256), the code-for-token exchange and
// the profile of the signed-in Discord user. The API base comes from config.discordApiUrl so
// tests can stand a local fake in for discord.com.
import { createHash, randomBytes } from 'node:crypto'
import type { fetch } from 'undici'
import { loadUndici } from '../http/load-undici.js'
import { USER_AGENT } from '../version.js'

const TIMEOUT_MS = 10_000
const SCOPES = 'identify email'

export interface DiscordProfile {
  id: string
  username: string
  globalName: string | null
  email: string | null
  verified: boolean
  avatar: string | null
}

/** A Discord call that failed; `detail` is safe to log (status and Discord's error code only). */
export class DiscordApiError extends Error {
  constructor(readonly detail: string) {
    super(`Discord API: ${detail}`)
  }
}

export interface Pkce {
  verifier: string
  challenge: string
}

/** RFC 7636: 32 random bytes base64url as the verifier, its SHA-256 base64url as the challenge. */
export function newPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

export function authorizeUrl(apiUrl: string, p: { clientId: string; redirectUri: string; state: string; challenge: string }): string {
  const query = new URLSearchParams({
    client_id: p.clientId,
    redirect_uri: p.redirectUri,
    response_type: 'code',
    scope: SCOPES,
    state: p.state,
    code_challenge: p.challenge,
    code_challenge_method: 'S256'
  })
  // URLSearchParams writes spaces as "+"; Discord documents %20 between scopes.
  return `${apiUrl}/oauth2/authorize?${query.toString().replace(/\+/g, '%20')}`
}

async function readJson(res: Awaited<ReturnType<typeof fetch>>, what: string): Promise<Record<string, unknown>> {
  let body: unknown
  try {
    body = await res.json()
  } catch {
    throw new DiscordApiError(`${what} answered ${res.status} without JSON`)
  }
  if (!res.ok) {
    const code =
      typeof body === 'object' && body !== null && 'error' in body ? String((body as { error: unknown }).error).slice(0, 60) : 'unknown'
    throw new DiscordApiError(`${what} answered ${res.status} (${code})`)
  }
  if (typeof body !== 'object' || body === null) throw new DiscordApiError(`${what} answered ${res.status} with a non-object`)
  return body as Record<string, unknown>
}

async function call(url: string, init: Parameters<typeof fetch>[1], what: string): Promise<Record<string, unknown>> {
  let res: Awaited<ReturnType<typeof fetch>>
  try {
    const { fetch } = await loadUndici()
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) })
  } catch (err) {
    throw new DiscordApiError(`${what} unreachable (${(err as Error).name})`)
  }
  return readJson(res, what)
}

/** Exchanges the authorisation code (with the PKCE verifier) for an access token. */
export async function exchangeCode(
  apiUrl: string,
  p: { clientId: string; clientSecret: string; code: string; redirectUri: string; verifier: string }
): Promise<string> {
  const form = new URLSearchParams({
    client_id: p.clientId,
    client_secret: p.clientSecret,
    grant_type: 'authorization_code',
    code: p.code,
    redirect_uri: p.redirectUri,
    code_verifier: p.verifier
  })
  const body = await call(
    `${apiUrl}/oauth2/token`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'user-agent': USER_AGENT },
      body: form.toString()
    },
    'token exchange'
  )
  if (typeof body.access_token !== 'string' || body.access_token === '')
    throw new DiscordApiError('token exchange returned no access_token')
  return body.access_token
}

export async function fetchProfile(apiUrl: string, accessToken: string): Promise<DiscordProfile> {
  const body = await call(
    `${apiUrl}/users/@me`,
    { method: 'GET', headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json', 'user-agent': USER_AGENT } },
    'profile'
  )
  if (typeof body.id !== 'string' || !/^\d{1,25}$/.test(body.id) || typeof body.username !== 'string') {
    throw new DiscordApiError('profile without a usable id or username')
  }
  return {
    id: body.id,
    username: body.username,
    globalName: typeof body.global_name === 'string' ? body.global_name : null,
    email: typeof body.email === 'string' && body.email.includes('@') ? body.email : null,
    verified: body.verified === true,
    avatar: typeof body.avatar === 'string' && /^(a_)?[0-9a-f]{8,64}$/i.test(body.avatar) ? body.avatar : null
  }
}

/** Discord's CDN URL for the avatar; users without one get their default embed avatar. */
export function avatarUrl(profile: Pick<DiscordProfile, 'id' | 'avatar'>): string {
  if (profile.avatar) {
    const ext = profile.avatar.startsWith('a_') ? 'gif' : 'png'
    return `https://cdn.discordapp.com/avatars/${profile.id}/${profile.avatar}.${ext}?size=256`
  }
  const index = Number((BigInt(profile.id) >> 22n) % 6n)
  return `https://cdn.discordapp.com/embed/avatars/${index}.png`
}
