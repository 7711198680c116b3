// What we ask of the OpenID provider, through openid-client (v6: the maintained line; it is
// ESM-only, so it is loaded with import() like undici — tsx runs it from source and esbuild bundles it
// into the CommonJS executable). Discovery runs for every sign-in step instead of being cached: sign-ins
// are rare, a changed setting or a rotated signing key then applies at once, and an unreachable issuer
// is reported when the user clicks the button, not later. Each failure becomes an OidcError naming one
// reason the login page can explain; its detail (error codes only, never a token or secret) is logged.
import type { Configuration } from 'openid-client'
import type { OidcSettings } from './oidc-settings.js'

let clientModule: Promise<typeof import('openid-client')> | undefined

function loadClient(): Promise<typeof import('openid-client')> {
  return (clientModule ??= import('openid-client'))
}

const TIMEOUT_SECONDS = 10

export type OidcFailure = 'issuer_unreachable' | 'bad_client' | 'token_expired' | 'invalid_token' | 'provider_refused' | 'failed'

export class OidcError extends Error {
  constructor(
    readonly reason: OidcFailure,
    readonly detail: string
  ) {
    super(`OIDC ${reason}: ${detail}`)
  }
}

export interface ProviderSession {
  config: Configuration
}

/** Error name and code only: safe to log. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return 'unknown error'
  const code = (err as { code?: unknown }).code
  const oauthError = (err as { error?: unknown }).error
  const cause =
    err.cause instanceof Error
      ? ` (${err.cause.name}${(err.cause as { code?: unknown }).code ? ` ${String((err.cause as { code?: unknown }).code)}` : ''})`
      : ''
  return (
    [err.name, typeof code === 'string' ? code : '', typeof oauthError === 'string' ? oauthError.slice(0, 60) : '']
      .filter(Boolean)
      .join(' ') + cause
  )
}

/** Reads the provider's discovery document; plain http is accepted only when the issuer URL says so. */
export async function discoverProvider(settings: OidcSettings, clientSecret: string): Promise<ProviderSession> {
  const client = await loadClient()
  const issuer = new URL(settings.issuerUrl ?? '')
  try {
    const config = await client.discovery(issuer, settings.clientId ?? '', undefined, client.ClientSecretBasic(clientSecret), {
      timeout: TIMEOUT_SECONDS,
      execute: issuer.protocol === 'http:' ? [client.allowInsecureRequests] : []
    })
    // Verify the ID token's signature against the provider's JWKS as well (fetched fresh with each discovery).
    client.enableNonRepudiationChecks(config)
    return { config }
  } catch (err) {
    throw new OidcError('issuer_unreachable', describe(err))
  }
}

export async function authorizationUrl(
  session: ProviderSession,
  p: { redirectUri: string; scopes: string; state: string; nonce: string; verifier: string }
): Promise<string> {
  const client = await loadClient()
  const url = client.buildAuthorizationUrl(session.config, {
    redirect_uri: p.redirectUri,
    scope: p.scopes,
    state: p.state,
    nonce: p.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(p.verifier),
    code_challenge_method: 'S256'
  })
  return url.href
}

export function newSecrets(): Promise<{ state: string; nonce: string; verifier: string }> {
  return loadClient().then((c) => ({ state: c.randomState(), nonce: c.randomNonce(), verifier: c.randomPKCECodeVerifier() }))
}

function classify(client: typeof import('openid-client'), err: unknown): OidcError {
  const detail = describe(err)
  if (err instanceof client.AuthorizationResponseError) return new OidcError('provider_refused', detail)
  // invalid_client comes in the body, or as a 401 with a WWW-Authenticate challenge (client_secret_basic).
  if (err instanceof client.ResponseBodyError) {
    return new OidcError(err.error === 'invalid_client' || err.status === 401 ? 'bad_client' : 'failed', detail)
  }
  if (err instanceof client.WWWAuthenticateChallengeError) return new OidcError(err.status === 401 ? 'bad_client' : 'failed', detail)
  if (err instanceof client.ClientError) {
    if (err.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') return new OidcError('token_expired', detail)
    if (err.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || err.code === 'OAUTH_RESPONSE_IS_NOT_JSON') return new OidcError('failed', detail)
    return new OidcError('invalid_token', detail)
  }
  // fetch failures (refused, reset, timed out) are TypeErrors or DOMExceptions.
  if (err instanceof Error && (err.name === 'TypeError' || err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return new OidcError('issuer_unreachable', detail)
  }
  return new OidcError('failed', detail)
}

export interface SignInTokens {
  claims: Record<string, unknown>
  idToken: string | undefined
  accessToken: string
}

/** Code → tokens with PKCE; checks state, nonce, issuer, audience, expiry and the ID token's signature. */
export async function exchangeCode(
  session: ProviderSession,
  callbackUrl: URL,
  checks: { verifier: string; state: string; nonce: string }
): Promise<SignInTokens> {
  const client = await loadClient()
  try {
    const tokens = await client.authorizationCodeGrant(session.config, callbackUrl, {
      pkceCodeVerifier: checks.verifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true
    })
    const claims = tokens.claims()
    if (!claims) throw new OidcError('invalid_token', 'no ID token')
    return { claims: { ...claims }, idToken: tokens.id_token, accessToken: tokens.access_token }
  } catch (err) {
    throw err instanceof OidcError ? err : classify(client, err)
  }
}

/** The userinfo endpoint's claims (for providers that keep e-mail or groups out of the ID token). */
export async function userInfo(session: ProviderSession, accessToken: string, subject: string): Promise<Record<string, unknown>> {
  const client = await loadClient()
  if (!session.config.serverMetadata().userinfo_endpoint) return {}
  try {
    return { ...(await client.fetchUserInfo(session.config, accessToken, subject)) }
  } catch (err) {
    throw classify(client, err)
  }
}

/** The provider's end-session URL, or undefined when it has none. */
export async function endSessionUrl(
  session: ProviderSession,
  p: { idToken?: string; postLogoutRedirectUri: string }
): Promise<string | undefined> {
  const client = await loadClient()
  if (!session.config.serverMetadata().end_session_endpoint) return undefined
  return client.buildEndSessionUrl(session.config, {
    post_logout_redirect_uri: p.postLogoutRedirectUri,
    ...(p.idToken ? { id_token_hint: p.idToken } : {})
  }).href
}
