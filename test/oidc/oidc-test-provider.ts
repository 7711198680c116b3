// Starts the real OpenID provider of oidc-provider-process.ts for a test and drives a browser's part of
// the code flow against it: the app's /login redirect, the provider's login and consent forms (with a
// cookie jar), and the callback back into the app.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import type { LightMyRequestResponse } from 'fastify'
import type { Test } from 'tap'
import { bearer, type TestApp } from '../helpers/test-app.js'

export const CLIENT_ID = 'patchmon-test'
export const CLIENT_SECRET = 'provider-client-secret-for-tests'
/** Where the app's derived callback points under app.inject (no server URL set). */
export const INJECT_CALLBACK = 'http://localhost/api/v1/auth/oidc/callback'

export interface TestProvider {
  issuer: string
  setAccounts(accounts: Record<string, Record<string, unknown>>): Promise<void>
  /** A new signing key (the old one leaves the JWKS); returns its key id. */
  rotateKeys(): Promise<string>
  currentKid(): Promise<string>
}

export async function startProvider(
  t: Test,
  options: { clockOffsetSeconds?: number; redirectUris?: string[] } = {}
): Promise<TestProvider> {
  const setup = {
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: options.redirectUris ?? [INJECT_CALLBACK],
    postLogoutRedirectUris: ['http://localhost/login', 'http://localhost:80/login'],
    clockOffsetSeconds: options.clockOffsetSeconds ?? 0
  }
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'oidc-provider-process.ts')], {
    env: { ...process.env, OIDC_TEST_PROVIDER: JSON.stringify(setup) },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  t.teardown(() => {
    child.kill('SIGTERM')
  })
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`test provider did not start: ${stderr}`)), 60_000)
    let out = ''
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString()
      const m = /listening (\d+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(Number(m[1]))
      }
    })
    child.on('exit', (code) => reject(new Error(`test provider exited (${code}): ${stderr}`)))
  })
  const issuer = `http://127.0.0.1:${port}`
  return {
    issuer,
    async setAccounts(accounts) {
      const res = await fetch(`${issuer}/__test/accounts`, { method: 'PUT', body: JSON.stringify(accounts) })
      if (res.status !== 204) throw new Error(`setting accounts: ${res.status}`)
    },
    async rotateKeys() {
      const res = await fetch(`${issuer}/__test/rotate`, { method: 'POST' })
      return ((await res.json()) as { kid: string }).kid
    },
    async currentKid() {
      return ((await (await fetch(`${issuer}/__test/kid`)).json()) as { kid: string }).kid
    }
  }
}

/** PUT /api/v1/auth/oidc/settings as the admin: enabled, pointed at the provider, plus `extra`. */
export async function configureOidc(
  ctx: TestApp,
  provider: Pick<TestProvider, 'issuer'>,
  extra: Record<string, unknown> = {}
): Promise<LightMyRequestResponse> {
  const res = await ctx.app.inject({
    method: 'PUT',
    url: '/api/v1/auth/oidc/settings',
    headers: bearer(ctx.adminToken),
    payload: {
      oidc_enabled: true,
      oidc_issuer_url: provider.issuer,
      oidc_client_id: CLIENT_ID,
      oidc_client_secret: CLIENT_SECRET,
      oidc_scopes: 'openid email profile groups',
      ...extra
    }
  })
  if (res.statusCode !== 200) throw new Error(`configuring OIDC failed: ${res.statusCode} ${res.body}`)
  return res
}

/** A browser's cookies at the provider (one origin, so paths are ignored). */
class CookieJar {
  private readonly cookies = new Map<string, string>()
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const at = pair?.indexOf('=') ?? -1
      if (pair && at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1))
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }
}

/** Logs in at the provider as `accountId` and consents; returns the callback URL it redirects to. */
export async function authorizeAtProvider(authorizeUrl: string, accountId: string): Promise<URL> {
  const jar = new CookieJar()
  let url = authorizeUrl
  let init: RequestInit = {}
  for (let step = 0; step < 12; step++) {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), cookie: jar.header() } })
    jar.take(res)
    init = {}
    const location = res.headers.get('location')
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, url)
      if (next.pathname.endsWith('/api/v1/auth/oidc/callback')) return next
      url = next.href
      continue
    }
    const html = await res.text()
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1]
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1]
    if (res.status !== 200 || !action || !prompt) throw new Error(`provider page without a form: ${res.status} ${html.slice(0, 300)}`)
    const form = new URLSearchParams(prompt === 'login' ? { prompt, login: accountId, password: 'any' } : { prompt })
    url = new URL(action, url).href
    init = { method: 'POST', body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }
  }
  throw new Error('provider flow did not come back to the callback')
}

export interface SignInStart {
  response: LightMyRequestResponse
  authorizeUrl: string
  stateCookie: string
}

export async function startSignIn(ctx: TestApp): Promise<SignInStart> {
  const response = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/login' })
  if (response.statusCode !== 302) throw new Error(`login did not redirect: ${response.statusCode} ${response.body}`)
  return {
    response,
    authorizeUrl: String(response.headers.location),
    stateCookie: response.cookies.find((c) => c.name === 'oidc_state')?.value ?? ''
  }
}

export function callback(ctx: TestApp, back: URL, stateCookie: string | undefined): Promise<LightMyRequestResponse> {
  return ctx.app.inject({
    method: 'GET',
    url: `${back.pathname}${back.search}`,
    ...(stateCookie !== undefined ? { cookies: { oidc_state: stateCookie } } : {})
  })
}

/** The whole round trip as a browser makes it; the callback's reply. */
export async function signInWithOidc(ctx: TestApp, accountId: string): Promise<LightMyRequestResponse> {
  const start = await startSignIn(ctx)
  if (!start.authorizeUrl.startsWith('http')) return start.response
  return callback(ctx, await authorizeAtProvider(start.authorizeUrl, accountId), start.stateCookie)
}

/** The `error` of a redirect to /login?error=..., or undefined for any other redirect. */
export function loginError(res: LightMyRequestResponse): string | undefined {
  const location = String(res.headers.location ?? '')
  return location.startsWith('/login?') ? (new URLSearchParams(location.slice('/login?'.length)).get('error') ?? undefined) : undefined
}

export function sessionCookie(res: LightMyRequestResponse): string | undefined {
  return res.cookies.find((c) => c.name === 'token')?.value
}
