// Error messages of OpenID Connect sign-in (src/oidc): part of the one table, ERROR_MESSAGES in
// error-messages.ts. Sign-in failures travel as the `error` query value of /login?error=..., which
// the login page shows as it is: each says what went wrong and what to check, never a stack.
import { entry } from './error-entry.js'

export const OIDC_ERROR_MESSAGES = {
  // GET /api/v1/auth/oidc/login and /callback (src/oidc/oidc-flow.ts): redirects to /login?error=...
  oidcLoginRedirect: {
    notEnabled: entry('Single sign-on is not enabled', 302, 'redirect'),
    notConfigured: entry(
      'Single sign-on is not fully configured: set the issuer URL, client ID and client secret in Settings > OpenID Connect',
      302,
      'redirect'
    ),
    issuerUnreachable: entry(
      'The identity provider could not be reached or did not answer as an OpenID provider: check the issuer URL and that this server can reach it',
      302,
      'redirect'
    ),
    badClientSecret: entry(
      'The identity provider refused the client ID or client secret: check them in Settings > OpenID Connect',
      302,
      'redirect'
    ),
    stateMismatch: entry(
      'This sign-in answer does not belong to this browser: start the sign-in again from the login page',
      302,
      'redirect'
    ),
    sessionExpired: entry('The sign-in took longer than 10 minutes or was already used: start it again', 302, 'redirect'),
    tokenExpired: entry(
      'The identity token is expired or not yet valid: check that the clocks of this server and of the identity provider agree',
      302,
      'redirect'
    ),
    invalidToken: entry('The identity provider sent an identity token that failed validation', 302, 'redirect'),
    providerRefused: entry('The identity provider refused the sign-in', 302, 'redirect'),
    missingClaim: entry(
      'The identity provider did not send the "{claim}" claim: add it to the scopes or claims of the PatchMon client at the provider',
      302,
      'redirect'
    ),
    noMappedRole: entry(
      'None of your groups is mapped to a PatchMon role: ask an administrator to add your group to the role mapping',
      302,
      'redirect'
    ),
    autoCreateOff: entry(
      'No PatchMon account is linked to this identity and accounts are not created automatically: ask an administrator',
      302,
      'redirect'
    ),
    disabled: entry('Account disabled', 302, 'redirect'),
    boundElsewhere: entry('The account with this e-mail address is linked to another identity of this provider', 302, 'redirect'),
    failed: entry('Single sign-on failed: the server log names the reason', 302, 'redirect')
  },
  // POST /api/v1/auth/login while OIDC-only mode is on (src/oidc/oidc-plugin.ts).
  oidcLogin: {
    passwordLoginOff: entry('Password sign-in is turned off: sign in with single sign-on', 403)
  },
  // Settings → OpenID Connect (src/oidc/oidc-settings-service.ts): PUT /api/v1/auth/oidc/settings.
  oidcSettings: {
    invalidIssuer: entry('Issuer URL must be an absolute http:// or https:// URL without a query string', 400),
    invalidRedirectUri: entry('Redirect URI must be an absolute http:// or https:// URL without a query string', 400),
    scopesWithoutOpenid: entry('Scopes must include openid', 400),
    unknownRole: entry('Role "{role}" does not exist', 400),
    setByEnvironment: entry('{field} is set by the environment ({env}) and cannot be changed here', 409),
    oidcOnlyNeedsSignIn: entry('OIDC-only mode needs OpenID Connect sign-in enabled and fully configured first', 400)
  }
} as const
