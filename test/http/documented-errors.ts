// Every error message the server sends on purpose, hard-coded here so that changing a wire string is a
// visible edit in two places (src/http/error-messages.ts and this list). One line per message:
//   feature.key | status | message | detail line (the `message` beside `error`, if any) | source
// `source` names the spec/facts files that quote the string; 'implementation' means no document quotes
// it and the feature's own tests pin it. Variable parts are written {0}, {1}, ... in their order.
// Kept as text, one line each, so the list stays readable at 130+ entries.

export interface DocumentedError {
  feature: string
  key: string
  status: number
  message: string
  detail?: string
  source: string
}

const LIST = `
hostGroups.nameInvalid | 400 | Name is required (1-100 characters) |  | implementation (host-groups.test.ts)
hostGroups.descriptionTooLong | 400 | Description must be at most 1000 characters |  | implementation
hostGroups.colorInvalid | 400 | Color must be a hex colour like #3B82F6 |  | implementation (host-groups.test.ts)
hostGroups.duplicateName | 409 | A host group with this name already exists |  | implementation (host-groups.test.ts)
common.unauthorized | 401 | Unauthorized |  | facts/integration-api.md, facts/notifications-and-auth.md, facts/patching.md, spec
common.insufficientPermissions | 403 | Insufficient permissions |  | facts/notifications-and-auth.md, facts/patching.md
common.invalidBody | 400 | Invalid request body |  | facts/agent-protocol.md, facts/enrollment-and-scripts.md
common.agentCredentialsRequired | 401 | API credentials required |  | facts/agent-protocol.md, facts/enrollment-and-scripts.md
common.agentCredentialsInvalid | 401 | Invalid API credentials |  | facts/agent-protocol.md, facts/enrollment-and-scripts.md, facts/patching.md
common.hostNotFound | 404 | Host not found |  | facts/integration-api.md, facts/patching.md, spec
common.hostGroupNotFound | 404 | Host group not found |  | facts/enrollment-and-scripts.md, spec
common.userNotFound | 404 | User not found |  | implementation
common.internal | 500 | Internal server error |  | implementation
common.diskFull | 507 | Insufficient storage | The server cannot save this change: the disk holding its database is full. Try again once the operator has freed space. | implementation
common.tooManyRequests | 429 | Too many requests | Too many requests. Try again later. | facts/integration-api.md, facts/notifications-and-auth.md
http.routeNotFound | 404 | Not found | Route {0} {1} not found | implementation
http.bodyTooLarge | 413 | Request body too large |  | implementation
http.unsupportedMediaType | 415 | Unsupported content type |  | implementation
http.invalidContentLength | 400 | Invalid content length |  | implementation
http.badRequest | 400 | Bad request |  | implementation
http.rejected | 400 | Request rejected |  | implementation
http.sessionExpired | 401 | Session expired |  | facts/notifications-and-auth.md
http.invalidToken | 401 | Invalid token |  | facts/enrollment-and-scripts.md, facts/notifications-and-auth.md, spec
http.accountDisabled | 401 | Account is disabled |  | facts/notifications-and-auth.md
http.accessDenied | 403 | Access denied |  | facts/README.md, facts/integration-api.md, facts/notifications-and-auth.md, spec
http.crossSite | 403 | Cross-site request refused | Changes signed in by cookie must come from the PatchMon dashboard itself (Origin or Sec-Fetch-Site did not match this server) | implementation
auth.credentialsRequired | 400 | username and password required |  | implementation
auth.invalidCredentials | 401 | Invalid credentials |  | facts/enrollment-and-scripts.md, facts/integration-api.md, facts/notifications-and-auth.md, spec
auth.loginLocked | 429 | Too many failed login attempts | Too many failed login attempts. Try again later. | implementation
auth.newPasswordTooShort | 400 | New password must be at least 8 characters |  | implementation
auth.currentPasswordWrong | 400 | Current password is incorrect |  | implementation
users.username | 400 | Username is required (letters, digits, . _ @ -; max 64 characters) |  | implementation
users.email | 400 | Email must be a valid address |  | implementation
users.password | 400 | Password must be at least 8 characters |  | implementation
users.role | 400 | Role is required |  | implementation
users.is_active | 400 | is_active must be a boolean |  | implementation
users.superadminOnly | 403 | Insufficient permissions | Only a superadmin can manage superadmin accounts | facts/notifications-and-auth.md, facts/patching.md
users.roleNotFound | 400 | Role not found |  | implementation
users.nameTaken | 409 | Username or email already exists |  | facts/notifications-and-auth.md
users.lastSuperadmin | 400 | Cannot remove the last active superadmin |  | implementation
users.cannotDisableSelf | 400 | You cannot disable your own account |  | implementation
users.cannotDeleteSelf | 400 | You cannot delete your own account |  | implementation
tfa.alreadyEnabled | 400 | Two-factor authentication is already enabled for this account |  | implementation
tfa.notEnabled | 400 | Two-factor authentication is not enabled for this account |  | implementation
tfa.noSecret | 400 | No TFA secret found. Please start the setup process first. |  | implementation
tfa.invalidSetupCode | 400 | Invalid verification code. Please try again. |  | implementation
tfa.needsPassword | 400 | Set a password before enabling two-factor authentication |  | implementation
tfa.invalidPassword | 400 | Invalid password |  | implementation
tfa.invalidCode | 400 | Invalid verification code |  | implementation
tfa.proofRequired | 400 | Password or a current authentication code is required to regenerate backup codes |  | implementation
tfa.tokenSixDigits | 400 | Token must be exactly 6 digits |  | implementation
tfa.passwordToDisable | 400 | Password is required to disable TFA |  | implementation
tfaLogin.notEnabled | 401 | Invalid credentials or TFA not enabled |  | implementation
tfaLogin.ticketExpired | 401 | TFA session expired. Please sign in again. |  | implementation
tfaLogin.invalidCode | 401 | Invalid verification code |  | implementation
tfaLogin.reusedCode | 401 | Invalid verification code | This code was already used. Wait for the next code from your authenticator app and enter that one. | implementation
tfaLogin.locked | 429 | Too many failed TFA attempts | TFA verification is locked. Try again in {0} minute(s). | implementation
tfaLogin.usernameRequired | 400 | Username is required |  | implementation
tfaLogin.tokenRequired | 400 | Token is required |  | implementation
tfaLogin.ticketRequired | 400 | TFA ticket is required |  | implementation
discordLogin.notEnabled | 400 | Discord authentication is not enabled |  | facts/notifications-and-auth.md
discordLogin.notConfigured | 400 | Discord is not fully configured. Please set Client ID and Client Secret in Settings > Discord Auth. |  | implementation
discordLogin.noneLinked | 400 | No Discord account linked |  | facts/notifications-and-auth.md
discordLogin.onlyLoginMethod | 400 | Cannot unlink Discord. You must have a password or another login method configured first. |  | facts/notifications-and-auth.md
discordLoginRedirect.userNotFound | 302 | User not found |  | implementation
discordLoginRedirect.disabled | 302 | Account disabled |  | implementation
discordLoginRedirect.failed | 302 | Authentication failed |  | facts/integration-api.md, spec
discordLoginRedirect.invalidResponse | 302 | Invalid authentication response |  | implementation
discordLoginRedirect.sessionExpired | 302 | Session expired |  | facts/notifications-and-auth.md
discordLoginRedirect.notConfigured | 302 | Discord not configured |  | implementation
discordLoginRedirect.boundElsewhere | 302 | Unable to sign in with this account |  | implementation
discordSettings.invalidRedirectUri | 400 | Redirect URI must be an absolute http:// or https:// URL without a query string |  | implementation
discordSettings.invalidClientId | 400 | Client ID must not contain spaces |  | implementation
enrollment.credentialsRequired | 401 | Auto-enrollment credentials required |  | facts/enrollment-and-scripts.md, spec
enrollment.invalidToken | 401 | Invalid or inactive token |  | facts/enrollment-and-scripts.md, spec
enrollment.invalidSecret | 401 | Invalid token secret |  | facts/enrollment-and-scripts.md, spec
enrollment.expired | 401 | Token expired |  | facts/enrollment-and-scripts.md, spec
enrollment.ipNotAllowed | 403 | IP address not authorized for this token |  | facts/enrollment-and-scripts.md, spec
enrollment.wrongType | 403 | This token cannot enroll hosts (only proxmox-lxc and direct-host tokens can) |  | implementation
enrollment.dailyCapReached | 429 | Rate limit exceeded | Maximum {0} hosts per day allowed for this token | facts/enrollment-and-scripts.md, spec
enrollment.bulkQuotaShort | 429 | Rate limit exceeded | Only {0} hosts remaining in daily quota | facts/enrollment-and-scripts.md, spec
enrollment.enrollFailed | 500 | Failed to enroll host |  | spec
enrollment.hostCreateFailed | 201 | Failed to create host |  | implementation
enrollment.friendly_name | 400 | Friendly name is required (max 255 characters) |  | facts/enrollment-and-scripts.md
enrollment.machine_id | 400 | Machine ID must be between 1 and 255 characters if provided |  | implementation
enrollment.metadata | 400 | Metadata must be an object |  | implementation
enrollment.hosts | 400 | Hosts array required (max 50) |  | facts/enrollment-and-scripts.md
enrollment.eachHostName | 400 | Each host needs a friendly_name |  | facts/enrollment-and-scripts.md
enrollmentScripts.keyAndSecretRequired | 401 | Token key and secret required as query parameters |  | facts/enrollment-and-scripts.md
enrollmentScripts.typeRequired | 400 | Script type required as query parameter (e.g., ?type=proxmox-lxc or ?type=direct-host) |  | facts/enrollment-and-scripts.md
enrollmentScripts.invalidType | 400 | Invalid script type: {0}. Supported types: {1} |  | facts/enrollment-and-scripts.md
enrollmentScripts.scriptNotFound | 404 | Enrollment script not found: {0} |  | facts/enrollment-and-scripts.md
enrollmentScripts.installScriptNotFound | 404 | Agent install script not found |  | implementation
enrollmentScripts.removalScriptNotFound | 404 | Removal script not found |  | implementation
enrollmentScripts.bootstrapRequired | 400 | Bootstrap token required |  | facts/enrollment-and-scripts.md
enrollmentScripts.bootstrapInvalid | 401 | Invalid or expired bootstrap token |  | implementation
integrationTokens.tokenNameRequired | 400 | Token name is required (max 255 characters) |  | facts/enrollment-and-scripts.md, spec
integrationTokens.tokenNameLength | 400 | Token name must be between 1 and 255 characters |  | facts/enrollment-and-scripts.md
integrationTokens.maxHostsPerDay | 400 | Max hosts per day must be between 1 and 1000 |  | facts/enrollment-and-scripts.md
integrationTokens.allowedIpRanges | 400 | Allowed IP ranges must be an array |  | facts/enrollment-and-scripts.md
integrationTokens.invalidDate | 400 | Invalid date format |  | facts/enrollment-and-scripts.md
integrationTokens.isActive | 400 | is_active must be a boolean |  | implementation
integrationTokens.defaultHostGroup | 400 | Default host group must be a UUID or null |  | implementation
integrationTokens.metadata | 400 | Metadata must be an object |  | implementation
integrationTokens.integrationType | 400 | Integration type must be one of: proxmox-lxc, direct-host, api, gethomepage |  | implementation
integrationTokens.scopesObject | 400 | Scopes must be an object |  | facts/enrollment-and-scripts.md
integrationTokens.scopesRequired | 400 | At least one scope is required for API integration tokens |  | implementation
integrationTokens.actionsStrings | 400 | All actions in scopes must be strings |  | facts/enrollment-and-scripts.md
integrationTokens.scopesOnlyForApi | 400 | Scopes can only be updated for API integration tokens |  | facts/enrollment-and-scripts.md
integrationTokens.tokenNotFound | 404 | Token not found |  | facts/enrollment-and-scripts.md
integrationTokens.widgetOnlyGethomepage | 400 | Widget configuration is only available for gethomepage integration tokens |  | implementation
integrationTokens.unknownWidgetField | 400 | Unknown gethomepage field: {0} |  | implementation
integrationTokens.secretMismatch | 400 | Token secret does not match this token |  | implementation
basicAuth.header | 401 | Missing or invalid authorization header |  | facts/integration-api.md, spec
basicAuth.format | 401 | Invalid credentials format |  | facts/integration-api.md, spec
basicAuth.unknownKey | 401 | Invalid API key |  | facts/integration-api.md, spec
basicAuth.disabled | 401 | API key is disabled |  | facts/integration-api.md, spec
basicAuth.expired | 401 | API key has expired |  | facts/integration-api.md, spec
basicAuth.wrongType | 401 | Invalid API key type |  | facts/integration-api.md, spec
basicAuth.wrongSecret | 401 | Invalid API secret |  | facts/integration-api.md, spec
basicAuth.ipNotAllowed | 403 | IP address not allowed |  | facts/integration-api.md, spec
basicAuth.failed | 500 | Authentication failed |  | facts/integration-api.md, spec
homepage.statsFailed | 500 | Failed to fetch statistics |  | facts/integration-api.md
agentBinary.invalidOs | 400 | Invalid os. Must be one of: linux, freebsd, windows |  | facts/agent-protocol.md
agentBinary.notServed | 404 | Agent binary not found for {0}/{1}. Ensure {2} exists in the agent binaries directory. |  | facts/agent-protocol.md
settings.update_interval | 400 | Update interval must be an integer between 5 and 1440 minutes |  | implementation
settings.server_url | 400 | Server URL must be an absolute http:// or https:// URL |  | implementation
settings.ignore_ssl_self_signed | 400 | ignore_ssl_self_signed must be a boolean |  | implementation
settings.signup_enabled | 400 | signup_enabled must be a boolean |  | implementation
settings.default_user_role | 400 | Default user role is required |  | implementation
settings.auto_update | 400 | auto_update must be a boolean |  | implementation
settings.host_down_grace_minutes | 400 | Host down grace period must be an integer between 0 and 10080 minutes |  | implementation
settings.notify_allow_private_networks | 400 | notify_allow_private_networks must be a boolean |  | implementation
settings.notify_allowed_targets | 400 | notify_allowed_targets must list host names, addresses or CIDR ranges (at most 100) |  | implementation
`

export const DOCUMENTED_ERRORS: DocumentedError[] = LIST.trim()
  .split('\n')
  .map((line) => {
    const [id, status, message, detail, source] = line.split(' | ').map((cell) => cell.trim()) as [string, string, string, string, string]
    const [feature, key] = id.split('.') as [string, string]
    return { feature, key, status: Number(status), message, ...(detail ? { detail } : {}), source }
  })
