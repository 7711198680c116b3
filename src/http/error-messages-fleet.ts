// Error messages of agent, hosts, Integration API, notifications, reports and settings: part of the one
// table, ERROR_MESSAGES in error-messages.ts.
import { entry } from './error-entry.js'

export const FLEET_ERROR_MESSAGES = {
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
    tooManyPackages: entry('Packages array exceeds maximum size', 400),
    // Too many reports waiting to be processed (src/agent/report-admission.ts), with Retry-After.
    serverBusy: entry('Server busy, try again later', 503)
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
