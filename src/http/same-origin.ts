// Same-site CSRF guard for cookie-authenticated changes. SameSite=Lax keeps the cookie off
// cross-site requests, but a page on another port of the same host or on a sibling subdomain is
// "same-site": the browser sends the cookie with its form posts and text/plain fetches. So a
// state-changing request (POST, PUT, PATCH, DELETE) authenticated by the cookie must show that it
// comes from this server's own pages:
//   - Sec-Fetch-Site (every current browser sends it) must be `same-origin`; or, without it,
//   - Origin must name this server: the Host the request was sent to, or the configured
//     PATCHMON_SERVER_URL (a TLS-terminating proxy changes the scheme, never the host).
// Requests with a Bearer token (API clients, scripts) carry no ambient credential and are not
// affected; neither are agents (X-API-ID/KEY) nor Basic-auth integrations, which never use this.
import type { FastifyRequest } from 'fastify'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase()
  } catch {
    return undefined
  }
}

/** Why the request is refused, or undefined when it may go on. */
export function crossSiteRefusal(request: FastifyRequest, serverUrl: string | undefined, sessionCookie: string): string | undefined {
  if (SAFE_METHODS.has(request.method)) return undefined
  const authorization = request.headers.authorization
  if (typeof authorization === 'string' && /^Bearer\s/i.test(authorization)) return undefined
  // No cookie: nothing ambient to abuse; the session check answers 401.
  if (!request.cookies?.[sessionCookie]) return undefined
  const fetchSite = request.headers['sec-fetch-site']
  if (typeof fetchSite === 'string') return fetchSite === 'same-origin' ? undefined : `sec-fetch-site ${fetchSite.slice(0, 20)}`
  const origin = request.headers.origin
  if (typeof origin !== 'string' || origin === '' || origin === 'null') return 'no origin'
  const originHost = hostOf(origin)
  // Compared through URL, so `localhost:80` over http and `localhost` are the same host.
  const requestHost = hostOf(`${request.protocol}://${request.host}`)
  const configuredHost = serverUrl ? hostOf(serverUrl) : undefined
  if (originHost !== undefined && (originHost === requestHost || originHost === configuredHost)) return undefined
  return 'origin mismatch'
}
