// The one table of error messages we raise on purpose, grouped by feature. Each entry is the exact wire
// string (byte-identical to what clients already see), the status it goes out with and the body shape.
// Feature files refer to these entries instead of writing the strings inline, so a message is declared
// once and test/http/error-vocabulary.test.ts can list every one. Features not moved here yet still keep
// their own tables (see that test's NOT_YET_MOVED list).

/** One documented error: the string, the status it is sent with, and the body that carries it. */
export type ErrorEntry = {
  readonly message: string
  readonly status: number
  /**
   * `error` = `{ error }`; `validation` = a validation message (400 `{ error }` via validationMessages);
   * `detail` = the `message` of an `{ error, message }` body; `text` = a plain-text body.
   */
  readonly body: 'error' | 'validation' | 'detail' | 'text'
}

const entry = (message: string, status: number, body: ErrorEntry['body'] = 'error'): ErrorEntry => ({ message, status, body })

export const ERROR_MESSAGES = {
  // Host groups (src/hosts/host-group-routes.ts): create and update of /api/v1/host-groups.
  hostGroups: {
    nameInvalid: entry('Name is required (1-100 characters)', 400, 'validation'),
    descriptionTooLong: entry('Description must be at most 1000 characters', 400, 'validation'),
    colorInvalid: entry('Color must be a hex colour like #3B82F6', 400, 'validation'),
    duplicateName: entry('A host group with this name already exists', 409)
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
  // Patching (src/patching/): upstream's strings where facts/patching.md §3 quotes them, ours otherwise.
  patching: {
    hostIdRequired: entry('Valid host_id is required', 400),
    hostNotFound: entry('Host not found', 404),
    patchTypeInvalid: entry('patch_type must be patch_all or patch_package', 400),
    dryRunPackageOnly: entry('dry_run is only supported for patch_package', 400),
    dryRunAndApproval: entry('dry_run and pending_approval are mutually exclusive', 400),
    packageNameInvalid: entry('Every package_names entry must be a valid package name', 400),
    tooManyPackages: entry('package_names limited to 100 packages per run', 400),
    packageRequired: entry('Valid package_name or non-empty package_names is required for patch_package', 400),
    agentCannotPatch: entry('Agent cannot run patches', 409),
    agentCannotReboot: entry('Agent cannot reboot this host', 409),
    runNotFound: entry('Patch run not found', 404),
    invalidRunId: entry('Invalid patch run ID', 400),
    notApprovable: entry('Only validated, pending_validation or pending_approval runs can be approved', 400),
    alreadyApproved: entry('This run has already been approved or is no longer awaiting approval', 409),
    notRevalidatable: entry('Only pending_validation patch_package runs can be re-validated', 400),
    runFinished: entry('Run already finished', 409),
    notDeletable: entry('Only queued, pending, validated or approved runs can be deleted', 400),
    runOfOtherHost: entry('Patch run does not belong to this host', 403),
    policyNotFound: entry('Patch policy not found', 404),
    policyNameRequired: entry('name is required', 400),
    policyDelayTypeInvalid: entry('patch_delay_type must be immediate, delayed, or fixed_time', 400),
    policyDelayMinutesRequired: entry('delay_minutes is required for delayed policy', 400),
    policyFixedTimeRequired: entry('fixed_time_utc is required for fixed_time policy', 400),
    policyFixedTimeInvalid: entry('fixed_time_utc must be HH:MM or HH:MM:SS', 400),
    assignmentTargetTypeInvalid: entry('target_type must be host or host_group', 400),
    assignmentTargetRequired: entry('Valid target_id is required', 400),
    assignmentTargetNotFound: entry('Assignment target not found', 404),
    assignedToOtherPolicy: entry('This host or host group is already assigned to another patch policy', 409),
    assignmentNotFound: entry('Assignment not found', 404),
    exclusionNotFound: entry('Exclusion not found', 404)
  },
  // Patching beyond upstream (src/patching/holds, windows, schedules, reboots, bulk): ours, not upstream's.
  patchHolds: {
    patternInvalid: entry(
      'pattern must be a package name or a glob (letters, digits and . _ + - * ?, at most 256 characters)',
      400,
      'validation'
    ),
    duplicate: entry('This package is already held on this target', 409),
    notFound: entry('Hold not found', 404),
    everythingHeld: entry('Every package this run would install is held', 409),
    nothingToPatch: entry('Nothing to patch: this host reports no outdated packages that are not held', 409)
  },
  patchWindows: {
    durationInvalid: entry('duration_minutes must be an integer between 5 and 10080', 400, 'validation'),
    notFound: entry('Maintenance window not found', 404),
    outsideWindow: entry('Outside the maintenance window of this host', 409)
  },
  patchSchedules: {
    cronInvalid: entry('Invalid schedule: give a five-field cron expression or frequency and time', 400),
    packagesRequired: entry('scope packages needs package_names (1-100 valid package names)', 400),
    hookUnsupported: entry("This run requires a pre-patch hook, which this host's agent cannot report", 409),
    notFound: entry('Patch schedule not found', 404)
  },
  patchReboots: {
    exempt: entry('This host is exempt from reboots', 409),
    exemptionNotFound: entry('Reboot exemption not found', 404)
  },
  patchBulk: {
    selectionRequired: entry('Choose host_ids or a host_group_id (not both)', 400),
    noHosts: entry('The selection holds no hosts', 400),
    notFound: entry('Bulk patch batch not found', 404)
  },
  // ── reshape-finish-b block: agent, hosts, Integration API, notifications, reports, settings ──────────
  // Messages with {placeholders} are templates: fillMessage(entry, values) renders the wire string.
  // Settings (src/settings): the role checks of PUT /api/v1/settings and the Discord sign-up settings.
  settingsRoles: {
    insufficientPermissions: entry('Insufficient permissions', 403),
    defaultUserRoleUnknown: entry('Default user role does not exist', 400, 'validation'),
    grantBeyondAuthor: entry(
      '{what} would give new users the role "{role}", which holds permissions your role does not ({permissions})',
      403,
      'detail'
    )
  },
  // Agent reports (src/agent/agent-report-routes.ts): POST /api/v1/hosts/update.
  agentReports: {
    packagesInvalid: entry(
      'Invalid packages array: every package needs a string name and currentVersion and a boolean needsUpdate',
      400,
      'validation'
    ),
    packagesRequired: entry('Packages array is required', 400),
    tooManyPackages: entry('Packages array exceeds maximum size', 400)
  },
  // The live agent channel (src/agent): long-poll, WebSocket upgrade and dashboard pushes.
  agentChannel: {
    replacedPoll: entry('Replaced by a newer poll', 409),
    shuttingDown: entry('Server is shutting down', 503),
    notConnected: entry('Agent is not connected', 409),
    socketCredentialsMissing: entry('Missing API credentials', 401, 'text'),
    socketCredentialsInvalid: entry('Invalid API credentials', 401, 'text')
  },
  // Hosts (src/hosts): the dashboard's host management and package pages.
  hosts: {
    friendlyNameInvalid: entry('Friendly name is required (1-255 characters)', 400, 'validation'),
    hostGroupIdsInvalid: entry('host_group_ids must be an array of host group ids', 400, 'validation'),
    notesTooLong: entry('Notes must be at most 10000 characters', 400, 'validation'),
    packageNotFound: entry('Package not found', 404)
  },
  // Integration API (src/integration-api): scope refusals and each endpoint's documented failure.
  integrationApi: {
    accessDenied: entry('Access denied', 403),
    noPermissions: entry('This API key does not have the required permissions', 403, 'detail'),
    badScopes: entry('Invalid API key permissions configuration', 403, 'detail'),
    noResourceAccess: entry('This API key does not have access to {resource}', 403, 'detail'),
    noActionPermission: entry('This API key does not have permission to {action} {resource}', 403, 'detail'),
    invalidHostId: entry('Invalid host ID format', 400),
    hostsFailed: entry('Failed to fetch hosts', 500),
    statsFailed: entry('Failed to fetch host statistics', 500),
    infoFailed: entry('Failed to fetch host information', 500),
    networkFailed: entry('Failed to fetch network information', 500),
    systemFailed: entry('Failed to fetch system information', 500),
    packagesFailed: entry('Failed to fetch packages', 500),
    packageReportsFailed: entry('Failed to fetch package reports', 500),
    agentQueueFailed: entry('Failed to fetch agent queue', 500),
    notesFailed: entry('Failed to fetch notes', 500),
    integrationsFailed: entry('Failed to fetch integrations', 500),
    deleteFailed: entry('Failed to delete host', 500)
  },
  // Notification destinations (src/notifications): the body checks and a destination's config.
  notificationDestinations: {
    channelType: entry('channel_type must be one of {channelTypes}', 400, 'validation'),
    displayName: entry('Display name is required', 400, 'validation'),
    config: entry('Webhook URL is required', 400, 'validation'),
    enabled: entry('enabled must be a boolean', 400, 'validation'),
    destinationId: entry('destination_id required', 400, 'validation'),
    notFound: entry('Destination not found', 404),
    unknown: entry('Destination not found', 400),
    fieldNotString: entry('{key} must be a string', 400),
    fieldTooLong: entry('{key} is too long (max {max} characters)', 400),
    fieldNotWholeNumber: entry('{key} must be a whole number from {min} to {max}', 400),
    headersNotObject: entry('headers must be an object of header names to values', 400),
    invalidHeader: entry('Invalid header: {name}', 400),
    webhookUrlRequired: entry('Webhook URL is required', 400),
    webhookUrlInvalid: entry('Webhook URL must be a valid http(s) URL', 400),
    emailRecipients: entry('Recipient addresses (to) are required and must be valid e-mail addresses', 400),
    emailTlsMode: entry('tls_mode must be one of starttls, tls, none, auto', 400),
    emailFromRequired: entry('Sender address (from) is required', 400),
    emailFromInvalid: entry('Sender address (from) must be a valid e-mail address', 400),
    emailHostRequired: entry('SMTP host is required', 400),
    gotifyServerRequired: entry('Gotify server URL is required', 400),
    gotifyServerInvalid: entry('Gotify server URL must be a valid http(s) URL', 400),
    gotifyTokenRequired: entry('Gotify application token is required', 400),
    ntfyTopicRequired: entry('ntfy topic is required', 400),
    ntfyServerInvalid: entry('ntfy server URL must be a valid http(s) URL', 400)
  },
  // Notification routing rules (src/notifications/route-rule-*.ts).
  notificationRoutes: {
    destinationId: entry('destination_id required', 400, 'validation'),
    eventTypes: entry('event_types must be a list of event names', 400, 'validation'),
    minSeverity: entry('min_severity must be one of {severities}', 400, 'validation'),
    hostGroupIds: entry('host_group_ids must be a list of host group ids', 400, 'validation'),
    enabled: entry('enabled must be a boolean', 400, 'validation'),
    unknownEventType: entry('Unknown event type: {name}', 400),
    noEventTypes: entry('Choose at least one event type', 400),
    notFound: entry('Routing rule not found', 404)
  },
  // The notification log (src/notifications/delivery-log-routes.ts): its query string.
  deliveryLog: {
    limit: entry('limit must be a number from 1 to 500', 400, 'validation'),
    offset: entry('offset must be a number', 400, 'validation'),
    since: entry('since must be an ISO-8601 date-time', 400, 'validation'),
    until: entry('until must be an ISO-8601 date-time', 400, 'validation'),
    status: entry('status must be one of pending, sending, sent, failed', 400, 'validation')
  },
  // Scheduled reports (src/reports): the body checks, the schedule rules and the lookups.
  scheduledReports: {
    name: entry('Report name is required', 400, 'validation'),
    frequency: entry('frequency must be one of daily, weekdays, weekly, monthly', 400, 'validation'),
    days: entry('days must be a list of 0-6 (Sunday = 0)', 400, 'validation'),
    day_of_month: entry('day_of_month must be 1-31 or "last"', 400, 'validation'),
    time: entry('time must be HH:MM (24-hour)', 400, 'validation'),
    sections: entry('sections must list one or more of {sections}', 400, 'validation'),
    destination_ids: entry('Choose at least one destination', 400, 'validation'),
    attach_csv: entry('attach_csv must be a boolean', 400, 'validation'),
    enabled: entry('enabled must be a boolean', 400, 'validation'),
    timeInvalid: entry('time must be HH:MM (24-hour)', 400),
    weeklyNeedsDays: entry('days is required for weekly reports (0-6, Sunday = 0)', 400),
    monthlyNeedsDay: entry('day_of_month is required for monthly reports (1-31 or "last")', 400),
    neverRuns: entry('schedule never runs', 400),
    destinationUnknown: entry('Destination not found', 400),
    notFound: entry('Scheduled report not found', 404)
  }
  // ── end of reshape-finish-b block ──
} as const

/** Renders a templated entry: each {name} is replaced by values[name] (other text is kept as is). */
export function fillMessage(entry: ErrorEntry, values: Readonly<Record<string, string | number>>): string {
  return entry.message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))
}
