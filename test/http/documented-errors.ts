// Every error message the server sends on purpose, hard-coded here so that changing a wire string is a
// visible edit in two places (src/http/error-messages.ts and this list). One line per message:
//   feature.key | status | body shape | message | detail line (the `message` beside `error`, if any) | source
// (body shapes: see ErrorShape in src/http/error-messages.ts)
// `source` names the spec/facts files that quote the string; 'implementation' means no document quotes
// it and the feature's own tests pin it. Variable parts are written {0}, {1}, ... in their order.
// Kept as text, one line each, so the list stays readable at 130+ entries.

import { FLEET_INSIGHT_ERRORS } from './documented-errors-fleet-insight.js'

export interface DocumentedError {
  feature: string
  key: string
  status: number
  body: string
  message: string
  detail?: string
  source: string
}

const LIST = `
hostGroups.nameInvalid | 400 | validation | Name is required (1-100 characters) |  | implementation (host-groups.test.ts)
hostGroups.descriptionTooLong | 400 | validation | Description must be at most 1000 characters |  | implementation
hostGroups.colorInvalid | 400 | validation | Color must be a hex colour like #3B82F6 |  | implementation (host-groups.test.ts)
hostGroups.duplicateName | 409 | error | A host group with this name already exists |  | implementation (host-groups.test.ts)
common.unauthorized | 401 | error | Unauthorized |  | facts/integration-api.md, facts/notifications-and-auth.md, facts/patching.md, spec
common.insufficientPermissions | 403 | error | Insufficient permissions |  | facts/notifications-and-auth.md, facts/patching.md
common.invalidBody | 400 | error | Invalid request body |  | facts/agent-protocol.md, facts/enrollment-and-scripts.md
common.agentCredentialsRequired | 401 | error | API credentials required |  | facts/agent-protocol.md, facts/enrollment-and-scripts.md
common.agentCredentialsInvalid | 401 | error | Invalid API credentials |  | facts/agent-protocol.md, facts/enrollment-and-scripts.md, facts/patching.md
common.hostNotFound | 404 | error | Host not found |  | facts/integration-api.md, facts/patching.md, spec
common.hostGroupNotFound | 404 | error | Host group not found |  | facts/enrollment-and-scripts.md, spec
common.userNotFound | 404 | error | User not found |  | implementation
common.internal | 500 | error | Internal server error |  | implementation
common.diskFull | 507 | error+message | Insufficient storage | The server cannot save this change: the disk holding its database is full. Try again once the operator has freed space. | implementation
common.tooManyRequests | 429 | error+message | Too many requests | Too many requests. Try again later. | facts/integration-api.md, facts/notifications-and-auth.md
http.routeNotFound | 404 | error+message | Not found | Route {0} {1} not found | implementation
http.bodyTooLarge | 413 | error | Request body too large |  | implementation
http.unsupportedMediaType | 415 | error | Unsupported content type |  | implementation
http.invalidContentLength | 400 | error | Invalid content length |  | implementation
http.badRequest | 400 | error | Bad request |  | implementation
http.rejected | 400 | error | Request rejected |  | implementation
http.sessionExpired | 401 | error | Session expired |  | facts/notifications-and-auth.md
http.invalidToken | 401 | error | Invalid token |  | facts/enrollment-and-scripts.md, facts/notifications-and-auth.md, spec
http.accountDisabled | 401 | error | Account is disabled |  | facts/notifications-and-auth.md
http.accessDenied | 403 | error | Access denied |  | facts/README.md, facts/integration-api.md, facts/notifications-and-auth.md, spec
http.crossSite | 403 | error+message | Cross-site request refused | Changes signed in by cookie must come from the PatchMon dashboard itself (Origin or Sec-Fetch-Site did not match this server) | implementation
auth.credentialsRequired | 400 | validation | username and password required |  | implementation
auth.invalidCredentials | 401 | error | Invalid credentials |  | facts/enrollment-and-scripts.md, facts/integration-api.md, facts/notifications-and-auth.md, spec
auth.loginLocked | 429 | error+message | Too many failed login attempts | Too many failed login attempts. Try again later. | implementation
auth.newPasswordTooShort | 400 | validation | New password must be at least 8 characters |  | implementation
auth.currentPasswordWrong | 400 | error | Current password is incorrect |  | implementation
users.username | 400 | validation | Username is required (letters, digits, . _ @ -; max 64 characters) |  | implementation
users.email | 400 | validation | Email must be a valid address |  | implementation
users.password | 400 | validation | Password must be at least 8 characters |  | implementation
users.role | 400 | validation | Role is required |  | implementation
users.is_active | 400 | validation | is_active must be a boolean |  | implementation
users.superadminOnly | 403 | error+message | Insufficient permissions | Only a superadmin can manage superadmin accounts | facts/notifications-and-auth.md, facts/patching.md
users.roleNotFound | 400 | error | Role not found |  | implementation
users.nameTaken | 409 | error | Username or email already exists |  | facts/notifications-and-auth.md
users.lastSuperadmin | 400 | error | Cannot remove the last active superadmin |  | implementation
users.cannotDisableSelf | 400 | error | You cannot disable your own account |  | implementation
users.cannotDeleteSelf | 400 | error | You cannot delete your own account |  | implementation
tfa.alreadyEnabled | 400 | error | Two-factor authentication is already enabled for this account |  | implementation
tfa.notEnabled | 400 | error | Two-factor authentication is not enabled for this account |  | implementation
tfa.noSecret | 400 | error | No TFA secret found. Please start the setup process first. |  | implementation
tfa.invalidSetupCode | 400 | error | Invalid verification code. Please try again. |  | implementation
tfa.needsPassword | 400 | error | Set a password before enabling two-factor authentication |  | implementation
tfa.invalidPassword | 400 | error | Invalid password |  | implementation
tfa.invalidCode | 400 | error | Invalid verification code |  | implementation
tfa.proofRequired | 400 | error | Password or a current authentication code is required to regenerate backup codes |  | implementation
tfa.tokenSixDigits | 400 | validation | Token must be exactly 6 digits |  | implementation
tfa.passwordToDisable | 400 | validation | Password is required to disable TFA |  | implementation
tfaLogin.notEnabled | 401 | error | Invalid credentials or TFA not enabled |  | implementation
tfaLogin.ticketExpired | 401 | error | TFA session expired. Please sign in again. |  | implementation
tfaLogin.invalidCode | 401 | error | Invalid verification code |  | implementation
tfaLogin.reusedCode | 401 | error+message | Invalid verification code | This code was already used. Wait for the next code from your authenticator app and enter that one. | implementation
tfaLogin.locked | 429 | error+message | Too many failed TFA attempts | TFA verification is locked. Try again in {0} minute(s). | implementation
tfaLogin.usernameRequired | 400 | validation | Username is required |  | implementation
tfaLogin.tokenRequired | 400 | validation | Token is required |  | implementation
tfaLogin.ticketRequired | 400 | validation | TFA ticket is required |  | implementation
discordLogin.notEnabled | 400 | error | Discord authentication is not enabled |  | facts/notifications-and-auth.md
discordLogin.notConfigured | 400 | error | Discord is not fully configured. Please set Client ID and Client Secret in Settings > Discord Auth. |  | implementation
discordLogin.noneLinked | 400 | error | No Discord account linked |  | facts/notifications-and-auth.md
discordLogin.onlyLoginMethod | 400 | error | Cannot unlink Discord. You must have a password or another login method configured first. |  | facts/notifications-and-auth.md
discordLoginRedirect.userNotFound | 302 | redirect | User not found |  | implementation
discordLoginRedirect.disabled | 302 | redirect | Account disabled |  | implementation
discordLoginRedirect.failed | 302 | redirect | Authentication failed |  | facts/integration-api.md, spec
discordLoginRedirect.invalidResponse | 302 | redirect | Invalid authentication response |  | implementation
discordLoginRedirect.sessionExpired | 302 | redirect | Session expired |  | facts/notifications-and-auth.md
discordLoginRedirect.notConfigured | 302 | redirect | Discord not configured |  | implementation
discordLoginRedirect.boundElsewhere | 302 | redirect | Unable to sign in with this account |  | implementation
discordSettings.invalidRedirectUri | 400 | error | Redirect URI must be an absolute http:// or https:// URL without a query string |  | implementation
discordSettings.invalidClientId | 400 | error | Client ID must not contain spaces |  | implementation
enrollment.credentialsRequired | 401 | error | Auto-enrollment credentials required |  | facts/enrollment-and-scripts.md, spec
enrollment.invalidToken | 401 | error | Invalid or inactive token |  | facts/enrollment-and-scripts.md, spec
enrollment.invalidSecret | 401 | error | Invalid token secret |  | facts/enrollment-and-scripts.md, spec
enrollment.expired | 401 | error | Token expired |  | facts/enrollment-and-scripts.md, spec
enrollment.ipNotAllowed | 403 | error | IP address not authorized for this token |  | facts/enrollment-and-scripts.md, spec
enrollment.wrongType | 403 | error | This token cannot enroll hosts (only proxmox-lxc and direct-host tokens can) |  | implementation
enrollment.dailyCapReached | 429 | error+message | Rate limit exceeded | Maximum {0} hosts per day allowed for this token | facts/enrollment-and-scripts.md, spec
enrollment.bulkQuotaShort | 429 | error+message | Rate limit exceeded | Only {0} hosts remaining in daily quota | facts/enrollment-and-scripts.md, spec
enrollment.enrollFailed | 500 | error | Failed to enroll host |  | spec
enrollment.hostCreateFailed | 201 | item | Failed to create host |  | implementation
enrollment.friendly_name | 400 | validation | Friendly name is required (max 255 characters) |  | facts/enrollment-and-scripts.md
enrollment.machine_id | 400 | validation | Machine ID must be between 1 and 255 characters if provided |  | implementation
enrollment.metadata | 400 | validation | Metadata must be an object |  | implementation
enrollment.hosts | 400 | validation | Hosts array required (max 50) |  | facts/enrollment-and-scripts.md
enrollment.eachHostName | 400 | validation | Each host needs a friendly_name |  | facts/enrollment-and-scripts.md
enrollmentScripts.keyAndSecretRequired | 401 | error | Token key and secret required as query parameters |  | facts/enrollment-and-scripts.md
enrollmentScripts.typeRequired | 400 | error | Script type required as query parameter (e.g., ?type=proxmox-lxc or ?type=direct-host) |  | facts/enrollment-and-scripts.md
enrollmentScripts.invalidType | 400 | error | Invalid script type: {0}. Supported types: {1} |  | facts/enrollment-and-scripts.md
enrollmentScripts.scriptNotFound | 404 | error | Enrollment script not found: {0} |  | facts/enrollment-and-scripts.md
enrollmentScripts.installScriptNotFound | 404 | error | Agent install script not found |  | implementation
enrollmentScripts.removalScriptNotFound | 404 | error | Removal script not found |  | implementation
enrollmentScripts.bootstrapRequired | 400 | error | Bootstrap token required |  | facts/enrollment-and-scripts.md
enrollmentScripts.bootstrapInvalid | 401 | error | Invalid or expired bootstrap token |  | implementation
integrationTokens.tokenNameRequired | 400 | validation | Token name is required (max 255 characters) |  | facts/enrollment-and-scripts.md, spec
integrationTokens.tokenNameLength | 400 | validation | Token name must be between 1 and 255 characters |  | facts/enrollment-and-scripts.md
integrationTokens.maxHostsPerDay | 400 | validation | Max hosts per day must be between 1 and 1000 |  | facts/enrollment-and-scripts.md
integrationTokens.allowedIpRanges | 400 | validation | Allowed IP ranges must be an array |  | facts/enrollment-and-scripts.md
integrationTokens.invalidDate | 400 | validation | Invalid date format |  | facts/enrollment-and-scripts.md
integrationTokens.isActive | 400 | validation | is_active must be a boolean |  | implementation
integrationTokens.defaultHostGroup | 400 | validation | Default host group must be a UUID or null |  | implementation
integrationTokens.metadata | 400 | validation | Metadata must be an object |  | implementation
integrationTokens.integrationType | 400 | validation | Integration type must be one of: proxmox-lxc, direct-host, api, gethomepage |  | implementation
integrationTokens.scopesObject | 400 | validation | Scopes must be an object |  | facts/enrollment-and-scripts.md
integrationTokens.scopesRequired | 400 | validation | At least one scope is required for API integration tokens |  | implementation
integrationTokens.actionsStrings | 400 | validation | All actions in scopes must be strings |  | facts/enrollment-and-scripts.md
integrationTokens.scopesOnlyForApi | 400 | error | Scopes can only be updated for API integration tokens |  | facts/enrollment-and-scripts.md
integrationTokens.tokenNotFound | 404 | error | Token not found |  | facts/enrollment-and-scripts.md
integrationTokens.widgetOnlyGethomepage | 400 | error | Widget configuration is only available for gethomepage integration tokens |  | implementation
integrationTokens.unknownWidgetField | 400 | validation | Unknown gethomepage field: {0} |  | implementation
integrationTokens.secretMismatch | 400 | error | Token secret does not match this token |  | implementation
basicAuth.header | 401 | error | Missing or invalid authorization header |  | facts/integration-api.md, spec
basicAuth.format | 401 | error | Invalid credentials format |  | facts/integration-api.md, spec
basicAuth.unknownKey | 401 | error | Invalid API key |  | facts/integration-api.md, spec
basicAuth.disabled | 401 | error | API key is disabled |  | facts/integration-api.md, spec
basicAuth.expired | 401 | error | API key has expired |  | facts/integration-api.md, spec
basicAuth.wrongType | 401 | error | Invalid API key type |  | facts/integration-api.md, spec
basicAuth.wrongSecret | 401 | error | Invalid API secret |  | facts/integration-api.md, spec
basicAuth.ipNotAllowed | 403 | error | IP address not allowed |  | facts/integration-api.md, spec
basicAuth.failed | 500 | error | Authentication failed |  | facts/integration-api.md, spec
homepage.statsFailed | 500 | error | Failed to fetch statistics |  | facts/integration-api.md
agentBinary.invalidOs | 400 | error | Invalid os. Must be one of: linux, freebsd, windows |  | facts/agent-protocol.md
agentBinary.notServed | 404 | error | Agent binary not found for {0}/{1}. Ensure {2} exists in the agent binaries directory. |  | facts/agent-protocol.md
settings.update_interval | 400 | validation | Update interval must be an integer between 5 and 1440 minutes |  | implementation
settings.server_url | 400 | validation | Server URL must be an absolute http:// or https:// URL |  | implementation
settings.ignore_ssl_self_signed | 400 | validation | ignore_ssl_self_signed must be a boolean |  | implementation
settings.signup_enabled | 400 | validation | signup_enabled must be a boolean |  | implementation
settings.default_user_role | 400 | validation | Default user role is required |  | implementation
settings.auto_update | 400 | validation | auto_update must be a boolean |  | implementation
settings.host_down_grace_minutes | 400 | validation | Host down grace period must be an integer between 0 and 10080 minutes |  | implementation
settings.notify_allow_private_networks | 400 | validation | notify_allow_private_networks must be a boolean |  | implementation
settings.notify_allowed_targets | 400 | validation | notify_allowed_targets must list host names, addresses or CIDR ranges (at most 100) |  | implementation
settings.patch_run_stall_timeout_minutes | 400 | validation | Patch run stall timeout must be an integer between 5 and 10080 minutes |  | implementation (floor 5 as upstream, facts/patching.md §2.1)
patching.hostIdRequired | 400 | error | Valid host_id is required |  | facts/patching.md §3
patching.hostNotFound | 404 | error | Host not found |  | facts/patching.md §3
patching.patchTypeInvalid | 400 | error | patch_type must be patch_all or patch_package |  | facts/patching.md §3
patching.dryRunPackageOnly | 400 | error | dry_run is only supported for patch_package |  | facts/patching.md §3
patching.dryRunAndApproval | 400 | error | dry_run and pending_approval are mutually exclusive |  | facts/patching.md §3
patching.packageNameInvalid | 400 | error | Every package_names entry must be a valid package name |  | facts/patching.md §3
patching.tooManyPackages | 400 | error | package_names limited to 100 packages per run |  | facts/patching.md §3
patching.packageRequired | 400 | error | Valid package_name or non-empty package_names is required for patch_package |  | facts/patching.md §3
patching.agentCannotPatch | 409 | error | Agent cannot run patches |  | implementation
patching.agentCannotReboot | 409 | error | Agent cannot reboot this host |  | implementation
patching.runNotFound | 404 | error | Patch run not found |  | facts/patching.md §3
patching.invalidRunId | 400 | error | Invalid patch run ID |  | facts/patching.md §3
patching.notApprovable | 400 | error | Only validated, pending_validation or pending_approval runs can be approved |  | implementation
patching.alreadyApproved | 409 | error | This run has already been approved or is no longer awaiting approval |  | facts/patching.md §3
patching.notRevalidatable | 400 | error | Only pending_validation patch_package runs can be re-validated |  | implementation
patching.runFinished | 409 | error | Run already finished |  | facts/patching.md §3
patching.notDeletable | 400 | error | Only queued, pending, validated or approved runs can be deleted |  | implementation
patching.runOfOtherHost | 403 | error | Patch run does not belong to this host |  | facts/patching.md §3
patching.policyNotFound | 404 | error | Patch policy not found |  | implementation
patching.policyNameRequired | 400 | error | name is required |  | facts/patching.md §3
patching.policyDelayTypeInvalid | 400 | error | patch_delay_type must be immediate, delayed, or fixed_time |  | facts/patching.md §3
patching.policyDelayMinutesRequired | 400 | error | delay_minutes is required for delayed policy |  | facts/patching.md §3
patching.policyFixedTimeRequired | 400 | error | fixed_time_utc is required for fixed_time policy |  | facts/patching.md §3
patching.policyFixedTimeInvalid | 400 | error | fixed_time_utc must be HH:MM or HH:MM:SS |  | facts/patching.md §3
patching.assignmentTargetTypeInvalid | 400 | error | target_type must be host or host_group |  | implementation
patching.assignmentTargetRequired | 400 | error | Valid target_id is required |  | implementation
patching.assignmentTargetNotFound | 404 | error | Assignment target not found |  | implementation
patching.assignedToOtherPolicy | 409 | error | This host or host group is already assigned to another patch policy |  | implementation
patching.assignmentNotFound | 404 | error | Assignment not found |  | facts/patching.md §3
patching.exclusionNotFound | 404 | error | Exclusion not found |  | implementation
patchHolds.patternInvalid | 400 | validation | pattern must be a package name or a glob (letters, digits and . _ + - * ?, at most 256 characters) |  | implementation (test/patching/)
patchHolds.duplicate | 409 | error | This package is already held on this target |  | implementation (test/patching/)
patchHolds.notFound | 404 | error | Hold not found |  | implementation (test/patching/)
patchHolds.everythingHeld | 409 | error | Every package this run would install is held |  | implementation (test/patching/)
patchHolds.nothingToPatch | 409 | error | Nothing to patch: this host reports no outdated packages that are not held |  | implementation (test/patching/)
patchWindows.durationInvalid | 400 | validation | duration_minutes must be an integer between 5 and 10080 |  | implementation (test/patching/)
patchWindows.notFound | 404 | error | Maintenance window not found |  | implementation (test/patching/)
patchWindows.outsideWindow | 409 | error | Outside the maintenance window of this host |  | implementation (test/patching/)
patchSchedules.cronInvalid | 400 | error | Invalid schedule: give a five-field cron expression or frequency and time |  | implementation (test/patching/)
patchSchedules.packagesRequired | 400 | error | scope packages needs package_names (1-100 valid package names) |  | implementation (test/patching/)
patchSchedules.hookUnsupported | 409 | error | This run requires a pre-patch hook, which this host's agent cannot report |  | implementation (test/patching/)
patchSchedules.notFound | 404 | error | Patch schedule not found |  | implementation (test/patching/)
patchReboots.exempt | 409 | error | This host is exempt from reboots |  | implementation (test/patching/)
patchReboots.exemptionNotFound | 404 | error | Reboot exemption not found |  | implementation (test/patching/)
patchBulk.selectionRequired | 400 | error | Choose host_ids or a host_group_id (not both) |  | implementation (test/patching/)
patchBulk.noHosts | 400 | error | The selection holds no hosts |  | implementation (test/patching/)
patchBulk.notFound | 404 | error | Bulk patch batch not found |  | implementation (test/patching/)
settingsRoles.insufficientPermissions | 403 | error | Insufficient permissions |  | facts/notifications-and-auth.md
settingsRoles.defaultUserRoleUnknown | 400 | validation | Default user role does not exist |  | implementation
settingsRoles.grantBeyondAuthor | 403 | detail | {what} would give new users the role "{role}", which holds permissions your role does not ({permissions}) |  | implementation
agentReports.packagesInvalid | 400 | validation | Invalid packages array: every package needs a string name and currentVersion and a boolean needsUpdate |  | implementation
agentReports.packagesRequired | 400 | error | Packages array is required |  | facts/agent-protocol.md
agentReports.tooManyPackages | 400 | error | Packages array exceeds maximum size |  | facts/agent-protocol.md
agentReports.serverBusy | 503 | error | Server busy, try again later |  | implementation (report-admission.test.ts)
agentChannel.replacedPoll | 409 | error | Replaced by a newer poll |  | implementation
agentChannel.shuttingDown | 503 | error | Server is shutting down |  | implementation
agentChannel.notConnected | 409 | error | Agent is not connected |  | implementation
agentChannel.socketCredentialsMissing | 401 | text | Missing API credentials |  | facts/agent-protocol.md
agentChannel.socketCredentialsInvalid | 401 | text | Invalid API credentials |  | facts/enrollment-and-scripts.md
hosts.friendlyNameInvalid | 400 | validation | Friendly name is required (1-255 characters) |  | implementation
hosts.hostGroupIdsInvalid | 400 | validation | host_group_ids must be an array of host group ids |  | implementation
hosts.notesTooLong | 400 | validation | Notes must be at most 10000 characters |  | implementation
hosts.packageNotFound | 404 | error | Package not found |  | implementation
integrationApi.accessDenied | 403 | error | Access denied |  | facts/notifications-and-auth.md
integrationApi.noPermissions | 403 | detail | This API key does not have the required permissions |  | facts/integration-api.md
integrationApi.badScopes | 403 | detail | Invalid API key permissions configuration |  | facts/integration-api.md
integrationApi.noResourceAccess | 403 | detail | This API key does not have access to {resource} |  | facts/integration-api.md
integrationApi.noActionPermission | 403 | detail | This API key does not have permission to {action} {resource} |  | facts/integration-api.md
integrationApi.invalidHostId | 400 | error | Invalid host ID format |  | facts/integration-api.md
integrationApi.hostsFailed | 500 | error | Failed to fetch hosts |  | facts/integration-api.md
integrationApi.statsFailed | 500 | error | Failed to fetch host statistics |  | facts/integration-api.md
integrationApi.infoFailed | 500 | error | Failed to fetch host information |  | implementation
integrationApi.networkFailed | 500 | error | Failed to fetch network information |  | implementation
integrationApi.systemFailed | 500 | error | Failed to fetch system information |  | implementation
integrationApi.packagesFailed | 500 | error | Failed to fetch packages |  | facts/integration-api.md
integrationApi.packageReportsFailed | 500 | error | Failed to fetch package reports |  | facts/integration-api.md
integrationApi.agentQueueFailed | 500 | error | Failed to fetch agent queue |  | implementation
integrationApi.notesFailed | 500 | error | Failed to fetch notes |  | implementation
integrationApi.integrationsFailed | 500 | error | Failed to fetch integrations |  | implementation
integrationApi.deleteFailed | 500 | error | Failed to delete host |  | facts/integration-api.md
notificationDestinations.channelType | 400 | validation | channel_type must be one of {channelTypes} |  | implementation
notificationDestinations.displayName | 400 | validation | Display name is required |  | implementation
notificationDestinations.config | 400 | validation | Webhook URL is required |  | facts/notifications-and-auth.md
notificationDestinations.enabled | 400 | validation | enabled must be a boolean |  | implementation
notificationDestinations.destinationId | 400 | validation | destination_id required |  | facts/notifications-and-auth.md
notificationDestinations.notFound | 404 | error | Destination not found |  | implementation
notificationDestinations.unknown | 400 | error | Destination not found |  | implementation
notificationDestinations.fieldNotString | 400 | error | {key} must be a string |  | implementation
notificationDestinations.fieldTooLong | 400 | error | {key} is too long (max {max} characters) |  | implementation
notificationDestinations.fieldNotWholeNumber | 400 | error | {key} must be a whole number from {min} to {max} |  | implementation
notificationDestinations.headersNotObject | 400 | error | headers must be an object of header names to values |  | implementation
notificationDestinations.invalidHeader | 400 | error | Invalid header: {name} |  | implementation
notificationDestinations.webhookUrlRequired | 400 | error | Webhook URL is required |  | facts/notifications-and-auth.md
notificationDestinations.webhookUrlInvalid | 400 | error | Webhook URL must be a valid http(s) URL |  | implementation
notificationDestinations.emailRecipients | 400 | error | Recipient addresses (to) are required and must be valid e-mail addresses |  | implementation
notificationDestinations.emailTlsMode | 400 | error | tls_mode must be one of starttls, tls, none, auto |  | implementation
notificationDestinations.emailFromRequired | 400 | error | Sender address (from) is required |  | implementation
notificationDestinations.emailFromInvalid | 400 | error | Sender address (from) must be a valid e-mail address |  | implementation
notificationDestinations.emailHostRequired | 400 | error | SMTP host is required |  | implementation
notificationDestinations.gotifyServerRequired | 400 | error | Gotify server URL is required |  | implementation
notificationDestinations.gotifyServerInvalid | 400 | error | Gotify server URL must be a valid http(s) URL |  | implementation
notificationDestinations.gotifyTokenRequired | 400 | error | Gotify application token is required |  | implementation
notificationDestinations.ntfyTopicRequired | 400 | error | ntfy topic is required |  | implementation
notificationDestinations.ntfyServerInvalid | 400 | error | ntfy server URL must be a valid http(s) URL |  | implementation
notificationRoutes.destinationId | 400 | validation | destination_id required |  | facts/notifications-and-auth.md
notificationRoutes.eventTypes | 400 | validation | event_types must be a list of event names |  | implementation
notificationRoutes.minSeverity | 400 | validation | min_severity must be one of {severities} |  | implementation
notificationRoutes.hostGroupIds | 400 | validation | host_group_ids must be a list of host group ids |  | implementation
notificationRoutes.enabled | 400 | validation | enabled must be a boolean |  | implementation
notificationRoutes.unknownEventType | 400 | error | Unknown event type: {name} |  | implementation
notificationRoutes.noEventTypes | 400 | error | Choose at least one event type |  | implementation
notificationRoutes.notFound | 404 | error | Routing rule not found |  | implementation
deliveryLog.limit | 400 | validation | limit must be a number from 1 to 500 |  | implementation
deliveryLog.offset | 400 | validation | offset must be a number |  | implementation
deliveryLog.since | 400 | validation | since must be an ISO-8601 date-time |  | implementation
deliveryLog.until | 400 | validation | until must be an ISO-8601 date-time |  | implementation
deliveryLog.status | 400 | validation | status must be one of pending, sending, sent, failed |  | implementation
scheduledReports.name | 400 | validation | Report name is required |  | implementation
scheduledReports.frequency | 400 | validation | frequency must be one of daily, weekdays, weekly, monthly |  | implementation
scheduledReports.days | 400 | validation | days must be a list of 0-6 (Sunday = 0) |  | implementation
scheduledReports.day_of_month | 400 | validation | day_of_month must be 1-31 or "last" |  | implementation
scheduledReports.time | 400 | validation | time must be HH:MM (24-hour) |  | implementation
scheduledReports.sections | 400 | validation | sections must list one or more of {sections} |  | implementation
scheduledReports.destination_ids | 400 | validation | Choose at least one destination |  | implementation
scheduledReports.attach_csv | 400 | validation | attach_csv must be a boolean |  | implementation
scheduledReports.enabled | 400 | validation | enabled must be a boolean |  | implementation
scheduledReports.timeInvalid | 400 | error | time must be HH:MM (24-hour) |  | implementation
scheduledReports.weeklyNeedsDays | 400 | error | days is required for weekly reports (0-6, Sunday = 0) |  | implementation
scheduledReports.monthlyNeedsDay | 400 | error | day_of_month is required for monthly reports (1-31 or "last") |  | implementation
scheduledReports.neverRuns | 400 | error | schedule never runs |  | implementation
scheduledReports.destinationUnknown | 400 | error | Destination not found |  | implementation
scheduledReports.notFound | 404 | error | Scheduled report not found |  | implementation
oidcLoginRedirect.notEnabled | 302 | redirect | Single sign-on is not enabled |  | implementation (test/oidc)
oidcLoginRedirect.notConfigured | 302 | redirect | Single sign-on is not fully configured: set the issuer URL, client ID and client secret in Settings > OpenID Connect |  | implementation (test/oidc)
oidcLoginRedirect.issuerUnreachable | 302 | redirect | The identity provider could not be reached or did not answer as an OpenID provider: check the issuer URL and that this server can reach it |  | implementation (test/oidc)
oidcLoginRedirect.badClientSecret | 302 | redirect | The identity provider refused the client ID or client secret: check them in Settings > OpenID Connect |  | implementation (test/oidc)
oidcLoginRedirect.stateMismatch | 302 | redirect | This sign-in answer does not belong to this browser: start the sign-in again from the login page |  | implementation (test/oidc)
oidcLoginRedirect.sessionExpired | 302 | redirect | The sign-in took longer than 10 minutes or was already used: start it again |  | implementation (test/oidc)
oidcLoginRedirect.tokenExpired | 302 | redirect | The identity token is expired or not yet valid: check that the clocks of this server and of the identity provider agree |  | implementation (test/oidc)
oidcLoginRedirect.invalidToken | 302 | redirect | The identity provider sent an identity token that failed validation |  | implementation (test/oidc)
oidcLoginRedirect.providerRefused | 302 | redirect | The identity provider refused the sign-in |  | implementation (test/oidc)
oidcLoginRedirect.missingClaim | 302 | redirect | The identity provider did not send the "{claim}" claim: add it to the scopes or claims of the PatchMon client at the provider |  | implementation (test/oidc)
oidcLoginRedirect.noMappedRole | 302 | redirect | None of your groups is mapped to a PatchMon role: ask an administrator to add your group to the role mapping |  | implementation (test/oidc)
oidcLoginRedirect.autoCreateOff | 302 | redirect | No PatchMon account is linked to this identity and accounts are not created automatically: ask an administrator |  | implementation (test/oidc)
oidcLoginRedirect.disabled | 302 | redirect | Account disabled |  | implementation (test/oidc)
oidcLoginRedirect.boundElsewhere | 302 | redirect | The account with this e-mail address is linked to another identity of this provider |  | implementation (test/oidc)
oidcLoginRedirect.failed | 302 | redirect | Single sign-on failed: the server log names the reason |  | implementation (test/oidc)
oidcLogin.passwordLoginOff | 403 | error | Password sign-in is turned off: sign in with single sign-on |  | implementation (test/oidc)
oidcSettings.invalidIssuer | 400 | error | Issuer URL must be an absolute http:// or https:// URL without a query string |  | implementation (test/oidc)
oidcSettings.invalidRedirectUri | 400 | error | Redirect URI must be an absolute http:// or https:// URL without a query string |  | implementation (test/oidc)
oidcSettings.scopesWithoutOpenid | 400 | error | Scopes must include openid |  | implementation (test/oidc)
oidcSettings.unknownRole | 400 | error | Role "{role}" does not exist |  | implementation (test/oidc)
oidcSettings.setByEnvironment | 409 | error | {field} is set by the environment ({env}) and cannot be changed here |  | implementation (test/oidc)
oidcSettings.oidcOnlyNeedsSignIn | 400 | error | OIDC-only mode needs OpenID Connect sign-in enabled and fully configured first |  | implementation (test/oidc),
audit.invalidDate | 400 | validation | from and to must be ISO-8601 dates (YYYY-MM-DD or a date-time) |  | implementation (audit-log.test.ts)
audit.audit_log_retention_days | 400 | validation | Audit log retention must be an integer between 1 and 3650 days |  | implementation (audit-log.test.ts)
sessions.notFound | 404 | error | Session not found |  | implementation (sessions.test.ts),
importUpstream.usage | 1 | cli | usage: patchmon import-upstream --database-url postgresql://USER:PASSWORD@HOST:5432/DB [--env-file upstream.env] [--dry-run] [--merge] |  | implementation (import-upstream tests)
importUpstream.unreachable | 1 | cli | cannot connect to the upstream database {where}: {reason} |  | implementation (import-upstream tests)
importUpstream.notUpstream | 1 | cli | {where} is not an upstream PatchMon database: it has no {table} table |  | implementation (import-upstream tests)
importUpstream.unsupportedVersion | 1 | cli | the upstream database {where} has a schema this importer does not read ({reason}) |  | implementation (import-upstream tests)
importUpstream.envFileUnreadable | 1 | cli | cannot read the env file {file}: {reason} |  | implementation (import-upstream tests)
importUpstream.envFileNoKey | 1 | cli | the env file {file} sets none of AI_ENCRYPTION_KEY, SESSION_SECRET or DATABASE_URL, so it cannot open upstream secrets |  | implementation
importUpstream.wrongKey | 1 | cli | the upstream key from {file} does not open {what}: is it the .env of this upstream server? Run again without --env-file to import those secrets as "to be re-entered" |  | implementation (import-upstream tests)
importUpstream.dataFolderHasHosts | 1 | cli | {dir} already holds {count} hosts. An import is meant for a new appliance: adding a second fleet to a used one is a merge, which keeps what is there and skips upstream hosts, users, groups and tokens whose names or keys it already has. Run again with --merge to do that, or use an empty --data-dir. |  | implementation (import-upstream tests)
access.roleName | 400 | validation | Role name is required (letters, digits, _ and -; max 64 characters) |  | implementation (access/roles.test.ts)
access.permissions | 400 | validation | permissions must be a list of known permission names |  | implementation
access.hostGroupIds | 400 | validation | host_group_ids must be null (every host) or a list of host group ids |  | implementation
access.roleNotFound | 404 | error | Role not found |  | implementation (access/roles.test.ts)
access.roleExists | 409 | error | A role with this name already exists |  | implementation (access/roles.test.ts)
access.builtinRoleImmutable | 400 | error | Cannot modify built-in role permissions |  | facts/notifications-and-auth.md
access.roleInUse | 409 | error+message | Role is in use | Give its {count} user(s) another role before deleting it | implementation (access/roles.test.ts)
access.grantBeyondAuthor | 403 | error+message | Insufficient permissions | This grants permissions your role does not hold ({permissions}) | implementation (access/roles.test.ts)
access.scopeBeyondAuthor | 403 | error+message | Insufficient permissions | This grants access to hosts outside your own host groups | implementation (access/roles.test.ts)
access.scopedCannotCreateGroups | 403 | error+message | Insufficient permissions | A user limited to host groups cannot create host groups | implementation
access.scopedCannotCreateTokens | 403 | error+message | Insufficient permissions | A user limited to host groups cannot create integration or enrollment tokens | implementation
access.policyBeyondScope | 403 | error+message | Insufficient permissions | This policy also applies to hosts outside your host groups | implementation
access.scopedHostNeedsGroup | 400 | error | Choose one of your host groups for the new host |  | implementation
`

export const DOCUMENTED_ERRORS: DocumentedError[] = `${LIST.trim()}\n${FLEET_INSIGHT_ERRORS.trim()}`.split('\n').map((line) => {
  const [id, status, body, message, detail, source] = line.split(' | ').map((cell) => cell.trim()) as [
    string,
    string,
    string,
    string,
    string,
    string
  ]
  const [feature, key] = id.split('.') as [string, string]
  return { feature, key, status: Number(status), body, message, ...(detail ? { detail } : {}), source }
})
