// Drives the browser's part of the Discord flow: start at /login (or /link), "accept" at the
// fake Discord, come back to the callback with the state cookie.
import type { LightMyRequestResponse } from 'fastify'
import { bearer, buildTestApp, type TestApp } from '../helpers/test-app.js'
import { FakeDiscord } from './fake-discord.js'
import type { Test } from 'tap'

export interface DiscordTestApp {
  ctx: TestApp
  fake: FakeDiscord
}

/** A test app whose Discord API is the fake, with Discord login configured and enabled. */
export async function discordApp(t: Test, env: Record<string, string> = {}): Promise<DiscordTestApp> {
  const fake = await FakeDiscord.start(t)
  const ctx = await buildTestApp(t, { env: { PATCHMON_DISCORD_API_URL: fake.apiUrl, ...env } })
  await configureDiscord(ctx, fake)
  return { ctx, fake }
}

export async function configureDiscord(
  ctx: TestApp,
  fake: FakeDiscord,
  extra: Record<string, unknown> = {}
): Promise<LightMyRequestResponse> {
  const res = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/auth/discord/settings',
    headers: bearer(ctx.adminToken),
    payload: { discord_oauth_enabled: true, discord_client_id: fake.clientId, discord_client_secret: fake.clientSecret, ...extra }
  })
  if (res.statusCode !== 200) throw new Error(`configuring Discord failed: ${res.statusCode} ${res.body}`)
  return res
}

export function stateCookie(res: LightMyRequestResponse): string | undefined {
  return res.cookies.find((c) => c.name === 'discord_state')?.value
}

export function sessionCookie(res: LightMyRequestResponse): string | undefined {
  return res.cookies.find((c) => c.name === 'token')?.value
}

/** Visits the authorisation URL at the fake and returns the callback path + query it redirects to. */
export async function acceptAtDiscord(authorizeUrl: string): Promise<string> {
  const res = await fetch(authorizeUrl, { redirect: 'manual' })
  const location = res.headers.get('location')
  if (res.status !== 302 || !location) throw new Error(`fake Discord refused: ${res.status} ${await res.text()}`)
  const back = new URL(location)
  return `${back.pathname}${back.search}`
}

export interface FlowStart {
  authorizeUrl: string
  state: string
  cookie: string
  response: LightMyRequestResponse
}

export async function startLogin(ctx: TestApp): Promise<FlowStart> {
  const response = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/discord/login' })
  if (response.statusCode !== 302) throw new Error(`login did not redirect: ${response.statusCode} ${response.body}`)
  const authorizeUrl = String(response.headers.location)
  const cookie = stateCookie(response) ?? ''
  return { authorizeUrl, state: new URL(authorizeUrl).searchParams.get('state') ?? '', cookie, response }
}

export function callback(ctx: TestApp, path: string, cookie: string | undefined): Promise<LightMyRequestResponse> {
  return ctx.app.inject({ method: 'GET', url: path, ...(cookie !== undefined ? { cookies: { discord_state: cookie } } : {}) })
}

/** The whole "Login with Discord" round trip as the browser makes it. */
export async function signInWithDiscord(ctx: TestApp): Promise<LightMyRequestResponse> {
  const start = await startLogin(ctx)
  return callback(ctx, await acceptAtDiscord(start.authorizeUrl), start.cookie)
}
