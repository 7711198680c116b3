// The one table of error messages we raise on purpose, grouped by feature. Each entry is the exact wire
// string (byte-identical to what clients already see), the status it goes out with and the body shape.
// Feature files refer to these entries instead of writing the strings inline, so a message is declared
// once and test/http/error-vocabulary.test.ts can list every one. A message with a variable part is a
// function of it (the test renders each parameter as {0}, {1}, ...). The entries of patching and of the
// fleet features live in error-messages-patching.ts and error-messages-fleet.ts, those of the audit log and
// sessions in error-messages-audit.ts, those of the vulnerability feed readers in error-messages-feeds.ts; this
// object joins them.
import { entry, type ErrorEntry } from './error-entry.js'
import { FLEET_ERROR_MESSAGES } from './error-messages-fleet.js'
import { PATCHING_ERROR_MESSAGES } from './error-messages-patching.js'
import { OIDC_ERROR_MESSAGES } from './error-messages-oidc.js'
import { AUDIT_ERROR_MESSAGES } from './error-messages-audit.js'
import { IMPORT_ERROR_MESSAGES } from './error-messages-import.js'
import { ACCESS_ERROR_MESSAGES } from './error-messages-access.js'
import { NOTIFY_ERROR_MESSAGES } from './error-messages-notify.js'
import { INVENTORY_ERROR_MESSAGES } from './error-messages-inventory.js'
import { TRENDS_ERROR_MESSAGES } from './error-messages-trends.js'
import { VULNERABILITY_ERROR_MESSAGES } from './error-messages-vulnerabilities.js'
import { FEEDS_ERROR_MESSAGES } from './error-messages-feeds.js'
import { BULK_ERROR_MESSAGES } from './error-messages-bulk.js'

export type { ErrorEntry, ErrorShape, MessageText } from './error-entry.js'

const TOO_MANY_REQUESTS_DETAIL = 'Too many requests. Try again later.'

export const ERROR_MESSAGES = {
  // Host groups (src/hosts/host-group-routes.ts): create and update of /api/v1/host-groups.
  hostGroups: {
    nameInvalid: entry('Name is required (1-100 characters)', 400, 'validation'),
    descriptionTooLong: entry('Description must be at most 1000 characters', 400, 'validation'),
    colorInvalid: entry('Color must be a hex colour like #3B82F6', 400, 'validation'),
    duplicateName: entry('A host group with this name already exists', 409)
  },
  // Shared by several features (src/http/errors.ts keeps the COMMON names for them).
  common: {
    unauthorized: entry('Unauthorized', 401),
    insufficientPermissions: entry('Insufficient permissions', 403),
    invalidBody: entry('Invalid request body', 400),
    agentCredentialsRequired: entry('API credentials required', 401),
    agentCredentialsInvalid: entry('Invalid API credentials', 401),
    hostNotFound: entry('Host not found', 404),
    hostGroupNotFound: entry('Host group not found', 404),
    userNotFound: entry('User not found', 404),
    internal: entry('Internal server error', 500),
    diskFull: entry(
      'Insufficient storage',
      507,
      'error+message',
      'The server cannot save this change: the disk holding its database is full. Try again once the operator has freed space.'
    ),
    tooManyRequests: entry('Too many requests', 429, 'error+message', TOO_MANY_REQUESTS_DETAIL)
  },
  // The HTTP layer (src/http/error-handler.ts, session-auth.ts): unknown routes, Fastify's own client
  // errors, session checks.
  http: {
    routeNotFound: entry('Not found', 404, 'error+message', (method: string, path: string) => `Route ${method} ${path} not found`),
    bodyTooLarge: entry('Request body too large', 413),
    unsupportedMediaType: entry('Unsupported content type', 415),
    invalidContentLength: entry('Invalid content length', 400),
    badRequest: entry('Bad request', 400),
    /** Any other 4xx Fastify raises itself, sent with that status. */
    rejected: entry('Request rejected', 400),
    sessionExpired: entry('Session expired', 401),
    invalidToken: entry('Invalid token', 401),
    accountDisabled: entry('Account is disabled', 401),
    accessDenied: entry('Access denied', 403),
    crossSite: entry(
      'Cross-site request refused',
      403,
      'error+message',
      'Changes signed in by cookie must come from the PatchMon dashboard itself (Origin or Sec-Fetch-Site did not match this server)'
    )
  },
  // Sign-in and the signed-in user's password (src/users/auth-routes.ts, login-lockout.ts).
  auth: {
    credentialsRequired: entry('username and password required', 400, 'validation'),
    invalidCredentials: entry('Invalid credentials', 401),
    loginLocked: entry('Too many failed login attempts', 429, 'error+message', 'Too many failed login attempts. Try again later.'),
    newPasswordTooShort: entry('New password must be at least 8 characters', 400, 'validation'),
    currentPasswordWrong: entry('Current password is incorrect', 400)
  },
  // User management (src/users/user-routes.ts, user-service.ts).
  users: {
    username: entry('Username is required (letters, digits, . _ @ -; max 64 characters)', 400, 'validation'),
    email: entry('Email must be a valid address', 400, 'validation'),
    password: entry('Password must be at least 8 characters', 400, 'validation'),
    role: entry('Role is required', 400, 'validation'),
    is_active: entry('is_active must be a boolean', 400, 'validation'),
    superadminOnly: entry('Insufficient permissions', 403, 'error+message', 'Only a superadmin can manage superadmin accounts'),
    roleNotFound: entry('Role not found', 400),
    nameTaken: entry('Username or email already exists', 409),
    lastSuperadmin: entry('Cannot remove the last active superadmin', 400),
    cannotDisableSelf: entry('You cannot disable your own account', 400),
    cannotDeleteSelf: entry('You cannot delete your own account', 400)
  },
  // Two-factor authentication of the signed-in user (src/users/tfa-routes.ts).
  tfa: {
    alreadyEnabled: entry('Two-factor authentication is already enabled for this account', 400),
    notEnabled: entry('Two-factor authentication is not enabled for this account', 400),
    noSecret: entry('No TFA secret found. Please start the setup process first.', 400),
    invalidSetupCode: entry('Invalid verification code. Please try again.', 400),
    needsPassword: entry('Set a password before enabling two-factor authentication', 400),
    invalidPassword: entry('Invalid password', 400),
    invalidCode: entry('Invalid verification code', 400),
    proofRequired: entry('Password or a current authentication code is required to regenerate backup codes', 400),
    tokenSixDigits: entry('Token must be exactly 6 digits', 400, 'validation'),
    passwordToDisable: entry('Password is required to disable TFA', 400, 'validation')
  },
  // The second login step (src/users/tfa-login.ts, POST /auth/verify-tfa).
  tfaLogin: {
    notEnabled: entry('Invalid credentials or TFA not enabled', 401),
    ticketExpired: entry('TFA session expired. Please sign in again.', 401),
    invalidCode: entry('Invalid verification code', 401),
    /** A right TOTP code whose 30 s step was already spent: same `error`, this `message`. */
    reusedCode: entry(
      'Invalid verification code',
      401,
      'error+message',
      'This code was already used. Wait for the next code from your authenticator app and enter that one.'
    ),
    locked: entry(
      'Too many failed TFA attempts',
      429,
      'error+message',
      (minutes: number) => `TFA verification is locked. Try again in ${minutes} minute(s).`
    ),
    usernameRequired: entry('Username is required', 400, 'validation'),
    tokenRequired: entry('Token is required', 400, 'validation'),
    ticketRequired: entry('TFA ticket is required', 400, 'validation')
  },
  // Discord sign-in and account linking (src/discord-login/discord-login-routes.ts).
  discordLogin: {
    notEnabled: entry('Discord authentication is not enabled', 400),
    notConfigured: entry('Discord is not fully configured. Please set Client ID and Client Secret in Settings > Discord Auth.', 400),
    noneLinked: entry('No Discord account linked', 400),
    onlyLoginMethod: entry('Cannot unlink Discord. You must have a password or another login method configured first.', 400)
  },
  // The `error` query values of /login?error=... after the Discord callback (src/discord-login/discord-accounts.ts).
  discordLoginRedirect: {
    userNotFound: entry('User not found', 302, 'redirect'),
    disabled: entry('Account disabled', 302, 'redirect'),
    failed: entry('Authentication failed', 302, 'redirect'),
    invalidResponse: entry('Invalid authentication response', 302, 'redirect'),
    sessionExpired: entry('Session expired', 302, 'redirect'),
    notConfigured: entry('Discord not configured', 302, 'redirect'),
    boundElsewhere: entry('Unable to sign in with this account', 302, 'redirect')
  },
  // Discord OAuth2 settings (src/discord-login/discord-settings-routes.ts).
  discordSettings: {
    invalidRedirectUri: entry('Redirect URI must be an absolute http:// or https:// URL without a query string', 400),
    invalidClientId: entry('Client ID must not contain spaces', 400)
  },
  // Enrollment with an auto-enrollment token (src/enrollment/).
  enrollment: {
    credentialsRequired: entry('Auto-enrollment credentials required', 401),
    invalidToken: entry('Invalid or inactive token', 401),
    invalidSecret: entry('Invalid token secret', 401),
    expired: entry('Token expired', 401),
    ipNotAllowed: entry('IP address not authorized for this token', 403),
    wrongType: entry('This token cannot enroll hosts (only proxmox-lxc and direct-host tokens can)', 403),
    dailyCapReached: entry(
      'Rate limit exceeded',
      429,
      'error+message',
      (max: number) => `Maximum ${max} hosts per day allowed for this token`
    ),
    bulkQuotaShort: entry(
      'Rate limit exceeded',
      429,
      'error+message',
      (remaining: number) => `Only ${remaining} hosts remaining in daily quota`
    ),
    enrollFailed: entry('Failed to enroll host', 500),
    hostCreateFailed: entry('Failed to create host', 201, 'item'),
    friendly_name: entry('Friendly name is required (max 255 characters)', 400, 'validation'),
    machine_id: entry('Machine ID must be between 1 and 255 characters if provided', 400, 'validation'),
    metadata: entry('Metadata must be an object', 400, 'validation'),
    hosts: entry('Hosts array required (max 50)', 400, 'validation'),
    eachHostName: entry('Each host needs a friendly_name', 400, 'validation')
  },
  // Served enrollment, install and removal scripts (src/enrollment/script-routes.ts, install-routes.ts).
  enrollmentScripts: {
    keyAndSecretRequired: entry('Token key and secret required as query parameters', 401),
    typeRequired: entry('Script type required as query parameter (e.g., ?type=proxmox-lxc or ?type=direct-host)', 400),
    invalidType: entry((type: string, supported: string) => `Invalid script type: ${type}. Supported types: ${supported}`, 400),
    scriptNotFound: entry((type: string) => `Enrollment script not found: ${type}`, 404),
    installScriptNotFound: entry('Agent install script not found', 404),
    removalScriptNotFound: entry('Removal script not found', 404),
    bootstrapRequired: entry('Bootstrap token required', 400),
    bootstrapInvalid: entry('Invalid or expired bootstrap token', 401)
  },
  // Integration tokens, the admin API (src/integration-tokens/token-routes.ts, token-service.ts).
  integrationTokens: {
    tokenNameRequired: entry('Token name is required (max 255 characters)', 400, 'validation'),
    tokenNameLength: entry('Token name must be between 1 and 255 characters', 400, 'validation'),
    maxHostsPerDay: entry('Max hosts per day must be between 1 and 1000', 400, 'validation'),
    allowedIpRanges: entry('Allowed IP ranges must be an array', 400, 'validation'),
    invalidDate: entry('Invalid date format', 400, 'validation'),
    isActive: entry('is_active must be a boolean', 400, 'validation'),
    defaultHostGroup: entry('Default host group must be a UUID or null', 400, 'validation'),
    metadata: entry('Metadata must be an object', 400, 'validation'),
    integrationType: entry('Integration type must be one of: proxmox-lxc, direct-host, api, gethomepage', 400, 'validation'),
    scopesObject: entry('Scopes must be an object', 400, 'validation'),
    scopesRequired: entry('At least one scope is required for API integration tokens', 400, 'validation'),
    actionsStrings: entry('All actions in scopes must be strings', 400, 'validation'),
    scopesOnlyForApi: entry('Scopes can only be updated for API integration tokens', 400),
    tokenNotFound: entry('Token not found', 404),
    widgetOnlyGethomepage: entry('Widget configuration is only available for gethomepage integration tokens', 400),
    unknownWidgetField: entry((field: string) => `Unknown gethomepage field: ${field}`, 400, 'validation'),
    secretMismatch: entry('Token secret does not match this token', 400)
  },
  // Basic auth of the Integration API and gethomepage (src/integration-tokens/basic-auth.ts).
  basicAuth: {
    header: entry('Missing or invalid authorization header', 401),
    format: entry('Invalid credentials format', 401),
    unknownKey: entry('Invalid API key', 401),
    disabled: entry('API key is disabled', 401),
    expired: entry('API key has expired', 401),
    wrongType: entry('Invalid API key type', 401),
    wrongSecret: entry('Invalid API secret', 401),
    ipNotAllowed: entry('IP address not allowed', 403),
    failed: entry('Authentication failed', 500)
  },
  // gethomepage widget (src/homepage/homepage-routes.ts).
  homepage: {
    statsFailed: entry('Failed to fetch statistics', 500)
  },
  // Agent binary downloads and version checks (src/agent/agent-binary-routes.ts).
  agentBinary: {
    invalidOs: entry('Invalid os. Must be one of: linux, freebsd, windows', 400),
    notServed: entry(
      (os: string, arch: string, file: string) =>
        `Agent binary not found for ${os}/${arch}. Ensure ${file} exists in the agent binaries directory.`,
      404
    )
  },
  // Settings (src/settings/settings-routes.ts): PUT /api/v1/settings, one message per field (400).
  settings: {
    update_interval: entry('Update interval must be an integer between 5 and 1440 minutes', 400, 'validation'),
    server_url: entry('Server URL must be an absolute http:// or https:// URL', 400, 'validation'),
    ignore_ssl_self_signed: entry('ignore_ssl_self_signed must be a boolean', 400, 'validation'),
    signup_enabled: entry('signup_enabled must be a boolean', 400, 'validation'),
    default_user_role: entry('Default user role is required', 400, 'validation'),
    auto_update: entry('auto_update must be a boolean', 400, 'validation'),
    host_down_grace_minutes: entry('Host down grace period must be an integer between 0 and 10080 minutes', 400, 'validation'),
    notify_allow_private_networks: entry('notify_allow_private_networks must be a boolean', 400, 'validation'),
    notify_allowed_targets: entry('notify_allowed_targets must list host names, addresses or CIDR ranges (at most 100)', 400, 'validation'),
    patch_run_stall_timeout_minutes: entry('Patch run stall timeout must be an integer between 5 and 10080 minutes', 400, 'validation')
  },
  ...PATCHING_ERROR_MESSAGES,
  ...FLEET_ERROR_MESSAGES,
  ...OIDC_ERROR_MESSAGES,
  ...AUDIT_ERROR_MESSAGES,
  ...IMPORT_ERROR_MESSAGES,
  ...VULNERABILITY_ERROR_MESSAGES,
  ...ACCESS_ERROR_MESSAGES,
  ...NOTIFY_ERROR_MESSAGES,
  ...INVENTORY_ERROR_MESSAGES,
  ...TRENDS_ERROR_MESSAGES,
  ...FEEDS_ERROR_MESSAGES,
  ...BULK_ERROR_MESSAGES
} as const

/** An entry whose message is fixed text (possibly with {name} placeholders for fillMessage). */
export type FixedErrorEntry = ErrorEntry & { readonly message: string }

/** Renders a templated entry: each {name} is replaced by values[name] (other text is kept as is). */
export function fillMessage(entry: FixedErrorEntry, values: Readonly<Record<string, string | number>>): string {
  return entry.message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))
}
