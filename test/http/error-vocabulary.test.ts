// One error vocabulary (issue 16 item 4): every message we raise on purpose lives in
// src/http/error-messages.ts. This test pins the table to the documented list (each entry says where the
// string comes from) and fails when a file under src/ (outside http/) builds an error body with a string
// literal instead of referring to the table.
import t from 'tap'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { ERROR_MESSAGES, fillMessage } from '../../src/http/error-messages.js'

type Expected = { feature: string; key: string; message: string; status: number; source: string }

// Hard-coded on purpose: changing a wire string must be a visible edit here too.
const EXPECTED: Expected[] = [
  // Host groups: not named in /work/shared/spec or /work/shared/facts; the strings are the ones the
  // dashboard already receives and test/hosts/host-groups.test.ts asserts.
  {
    feature: 'hostGroups',
    key: 'nameInvalid',
    message: 'Name is required (1-100 characters)',
    status: 400,
    source: 'implementation (host-groups.test.ts)'
  },
  {
    feature: 'hostGroups',
    key: 'descriptionTooLong',
    message: 'Description must be at most 1000 characters',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'hostGroups',
    key: 'colorInvalid',
    message: 'Color must be a hex colour like #3B82F6',
    status: 400,
    source: 'implementation (host-groups.test.ts)'
  },
  {
    feature: 'hostGroups',
    key: 'duplicateName',
    message: 'A host group with this name already exists',
    status: 409,
    source: 'implementation (host-groups.test.ts)'
  },
  // Settings: not quoted in /work/shared/spec or /work/shared/facts; the per-field messages the settings API
  // sends (test/settings/settings.test.ts).
  {
    feature: 'settings',
    key: 'update_interval',
    message: 'Update interval must be an integer between 5 and 1440 minutes',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'settings',
    key: 'server_url',
    message: 'Server URL must be an absolute http:// or https:// URL',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'settings',
    key: 'ignore_ssl_self_signed',
    message: 'ignore_ssl_self_signed must be a boolean',
    status: 400,
    source: 'implementation'
  },
  { feature: 'settings', key: 'signup_enabled', message: 'signup_enabled must be a boolean', status: 400, source: 'implementation' },
  { feature: 'settings', key: 'default_user_role', message: 'Default user role is required', status: 400, source: 'implementation' },
  { feature: 'settings', key: 'auto_update', message: 'auto_update must be a boolean', status: 400, source: 'implementation' },
  {
    feature: 'settings',
    key: 'host_down_grace_minutes',
    message: 'Host down grace period must be an integer between 0 and 10080 minutes',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'settings',
    key: 'notify_allow_private_networks',
    message: 'notify_allow_private_networks must be a boolean',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'settings',
    key: 'notify_allowed_targets',
    message: 'notify_allowed_targets must list host names, addresses or CIDR ranges (at most 100)',
    status: 400,
    source: 'implementation'
  },
  // ── reshape-finish-b block: each source is the facts/spec file quoting the string, else 'implementation'
  // (the string the dashboard or agents already receive, asserted by the feature's tests). ──
  // Settings role checks
  {
    feature: 'settingsRoles',
    key: 'insufficientPermissions',
    message: 'Insufficient permissions',
    status: 403,
    source: 'facts/notifications-and-auth.md'
  },
  {
    feature: 'settingsRoles',
    key: 'defaultUserRoleUnknown',
    message: 'Default user role does not exist',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'settingsRoles',
    key: 'grantBeyondAuthor',
    message: '{what} would give new users the role "{role}", which holds permissions your role does not ({permissions})',
    status: 403,
    source: 'implementation'
  },
  // Agent reports
  {
    feature: 'agentReports',
    key: 'packagesInvalid',
    message: 'Invalid packages array: every package needs a string name and currentVersion and a boolean needsUpdate',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'agentReports',
    key: 'packagesRequired',
    message: 'Packages array is required',
    status: 400,
    source: 'facts/agent-protocol.md'
  },
  {
    feature: 'agentReports',
    key: 'tooManyPackages',
    message: 'Packages array exceeds maximum size',
    status: 400,
    source: 'facts/agent-protocol.md'
  },
  // The live agent channel
  { feature: 'agentChannel', key: 'replacedPoll', message: 'Replaced by a newer poll', status: 409, source: 'implementation' },
  { feature: 'agentChannel', key: 'shuttingDown', message: 'Server is shutting down', status: 503, source: 'implementation' },
  { feature: 'agentChannel', key: 'notConnected', message: 'Agent is not connected', status: 409, source: 'implementation' },
  {
    feature: 'agentChannel',
    key: 'socketCredentialsMissing',
    message: 'Missing API credentials',
    status: 401,
    source: 'facts/agent-protocol.md'
  },
  {
    feature: 'agentChannel',
    key: 'socketCredentialsInvalid',
    message: 'Invalid API credentials',
    status: 401,
    source: 'facts/enrollment-and-scripts.md'
  },
  // Hosts
  {
    feature: 'hosts',
    key: 'friendlyNameInvalid',
    message: 'Friendly name is required (1-255 characters)',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'hosts',
    key: 'hostGroupIdsInvalid',
    message: 'host_group_ids must be an array of host group ids',
    status: 400,
    source: 'implementation'
  },
  { feature: 'hosts', key: 'notesTooLong', message: 'Notes must be at most 10000 characters', status: 400, source: 'implementation' },
  { feature: 'hosts', key: 'packageNotFound', message: 'Package not found', status: 404, source: 'implementation' },
  // Integration API
  { feature: 'integrationApi', key: 'accessDenied', message: 'Access denied', status: 403, source: 'facts/notifications-and-auth.md' },
  {
    feature: 'integrationApi',
    key: 'noPermissions',
    message: 'This API key does not have the required permissions',
    status: 403,
    source: 'facts/integration-api.md'
  },
  {
    feature: 'integrationApi',
    key: 'badScopes',
    message: 'Invalid API key permissions configuration',
    status: 403,
    source: 'facts/integration-api.md'
  },
  {
    feature: 'integrationApi',
    key: 'noResourceAccess',
    message: 'This API key does not have access to {resource}',
    status: 403,
    source: 'facts/integration-api.md'
  },
  {
    feature: 'integrationApi',
    key: 'noActionPermission',
    message: 'This API key does not have permission to {action} {resource}',
    status: 403,
    source: 'facts/integration-api.md'
  },
  { feature: 'integrationApi', key: 'invalidHostId', message: 'Invalid host ID format', status: 400, source: 'facts/integration-api.md' },
  { feature: 'integrationApi', key: 'hostsFailed', message: 'Failed to fetch hosts', status: 500, source: 'facts/integration-api.md' },
  {
    feature: 'integrationApi',
    key: 'statsFailed',
    message: 'Failed to fetch host statistics',
    status: 500,
    source: 'facts/integration-api.md'
  },
  { feature: 'integrationApi', key: 'infoFailed', message: 'Failed to fetch host information', status: 500, source: 'implementation' },
  {
    feature: 'integrationApi',
    key: 'networkFailed',
    message: 'Failed to fetch network information',
    status: 500,
    source: 'implementation'
  },
  { feature: 'integrationApi', key: 'systemFailed', message: 'Failed to fetch system information', status: 500, source: 'implementation' },
  {
    feature: 'integrationApi',
    key: 'packagesFailed',
    message: 'Failed to fetch packages',
    status: 500,
    source: 'facts/integration-api.md'
  },
  {
    feature: 'integrationApi',
    key: 'packageReportsFailed',
    message: 'Failed to fetch package reports',
    status: 500,
    source: 'facts/integration-api.md'
  },
  { feature: 'integrationApi', key: 'agentQueueFailed', message: 'Failed to fetch agent queue', status: 500, source: 'implementation' },
  { feature: 'integrationApi', key: 'notesFailed', message: 'Failed to fetch notes', status: 500, source: 'implementation' },
  { feature: 'integrationApi', key: 'integrationsFailed', message: 'Failed to fetch integrations', status: 500, source: 'implementation' },
  { feature: 'integrationApi', key: 'deleteFailed', message: 'Failed to delete host', status: 500, source: 'facts/integration-api.md' },
  // Notification destinations
  {
    feature: 'notificationDestinations',
    key: 'channelType',
    message: 'channel_type must be one of {channelTypes}',
    status: 400,
    source: 'implementation'
  },
  { feature: 'notificationDestinations', key: 'displayName', message: 'Display name is required', status: 400, source: 'implementation' },
  {
    feature: 'notificationDestinations',
    key: 'config',
    message: 'Webhook URL is required',
    status: 400,
    source: 'facts/notifications-and-auth.md'
  },
  { feature: 'notificationDestinations', key: 'enabled', message: 'enabled must be a boolean', status: 400, source: 'implementation' },
  {
    feature: 'notificationDestinations',
    key: 'destinationId',
    message: 'destination_id required',
    status: 400,
    source: 'facts/notifications-and-auth.md'
  },
  { feature: 'notificationDestinations', key: 'notFound', message: 'Destination not found', status: 404, source: 'implementation' },
  { feature: 'notificationDestinations', key: 'unknown', message: 'Destination not found', status: 400, source: 'implementation' },
  { feature: 'notificationDestinations', key: 'fieldNotString', message: '{key} must be a string', status: 400, source: 'implementation' },
  {
    feature: 'notificationDestinations',
    key: 'fieldTooLong',
    message: '{key} is too long (max {max} characters)',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'notificationDestinations',
    key: 'fieldNotWholeNumber',
    message: '{key} must be a whole number from {min} to {max}',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'notificationDestinations',
    key: 'headersNotObject',
    message: 'headers must be an object of header names to values',
    status: 400,
    source: 'implementation'
  },
  { feature: 'notificationDestinations', key: 'invalidHeader', message: 'Invalid header: {name}', status: 400, source: 'implementation' },
  {
    feature: 'notificationDestinations',
    key: 'webhookUrlRequired',
    message: 'Webhook URL is required',
    status: 400,
    source: 'facts/notifications-and-auth.md'
  },
  {
    feature: 'notificationDestinations',
    key: 'webhookUrlInvalid',
    message: 'Webhook URL must be a valid http(s) URL',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'notificationDestinations',
    key: 'emailRecipients',
    message: 'Recipient addresses (to) are required and must be valid e-mail addresses',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'notificationDestinations',
    key: 'emailTlsMode',
    message: 'tls_mode must be one of starttls, tls, none, auto',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'notificationDestinations',
    key: 'emailFromRequired',
    message: 'Sender address (from) is required',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'notificationDestinations',
    key: 'emailFromInvalid',
    message: 'Sender address (from) must be a valid e-mail address',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'notificationDestinations',
    key: 'emailHostRequired',
    message: 'SMTP host is required',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'notificationDestinations',
    key: 'gotifyServerRequired',
    message: 'Gotify server URL is required',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'notificationDestinations',
    key: 'gotifyServerInvalid',
    message: 'Gotify server URL must be a valid http(s) URL',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'notificationDestinations',
    key: 'gotifyTokenRequired',
    message: 'Gotify application token is required',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'notificationDestinations',
    key: 'ntfyTopicRequired',
    message: 'ntfy topic is required',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'notificationDestinations',
    key: 'ntfyServerInvalid',
    message: 'ntfy server URL must be a valid http(s) URL',
    status: 400,
    source: 'implementation'
  },
  // Notification routing rules
  {
    feature: 'notificationRoutes',
    key: 'destinationId',
    message: 'destination_id required',
    status: 400,
    source: 'facts/notifications-and-auth.md'
  },
  {
    feature: 'notificationRoutes',
    key: 'eventTypes',
    message: 'event_types must be a list of event names',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'notificationRoutes',
    key: 'minSeverity',
    message: 'min_severity must be one of {severities}',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'notificationRoutes',
    key: 'hostGroupIds',
    message: 'host_group_ids must be a list of host group ids',
    status: 400,
    source: 'implementation'
  },
  { feature: 'notificationRoutes', key: 'enabled', message: 'enabled must be a boolean', status: 400, source: 'implementation' },
  { feature: 'notificationRoutes', key: 'unknownEventType', message: 'Unknown event type: {name}', status: 400, source: 'implementation' },
  { feature: 'notificationRoutes', key: 'noEventTypes', message: 'Choose at least one event type', status: 400, source: 'implementation' },
  { feature: 'notificationRoutes', key: 'notFound', message: 'Routing rule not found', status: 404, source: 'implementation' },
  // Notification log
  { feature: 'deliveryLog', key: 'limit', message: 'limit must be a number from 1 to 500', status: 400, source: 'implementation' },
  { feature: 'deliveryLog', key: 'offset', message: 'offset must be a number', status: 400, source: 'implementation' },
  { feature: 'deliveryLog', key: 'since', message: 'since must be an ISO-8601 date-time', status: 400, source: 'implementation' },
  { feature: 'deliveryLog', key: 'until', message: 'until must be an ISO-8601 date-time', status: 400, source: 'implementation' },
  {
    feature: 'deliveryLog',
    key: 'status',
    message: 'status must be one of pending, sending, sent, failed',
    status: 400,
    source: 'implementation'
  },
  // Scheduled reports
  { feature: 'scheduledReports', key: 'name', message: 'Report name is required', status: 400, source: 'implementation' },
  {
    feature: 'scheduledReports',
    key: 'frequency',
    message: 'frequency must be one of daily, weekdays, weekly, monthly',
    status: 400,
    source: 'implementation'
  },
  { feature: 'scheduledReports', key: 'days', message: 'days must be a list of 0-6 (Sunday = 0)', status: 400, source: 'implementation' },
  {
    feature: 'scheduledReports',
    key: 'day_of_month',
    message: 'day_of_month must be 1-31 or "last"',
    status: 400,
    source: 'implementation'
  },
  { feature: 'scheduledReports', key: 'time', message: 'time must be HH:MM (24-hour)', status: 400, source: 'implementation' },
  {
    feature: 'scheduledReports',
    key: 'sections',
    message: 'sections must list one or more of {sections}',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'scheduledReports',
    key: 'destination_ids',
    message: 'Choose at least one destination',
    status: 400,
    source: 'implementation'
  },
  { feature: 'scheduledReports', key: 'attach_csv', message: 'attach_csv must be a boolean', status: 400, source: 'implementation' },
  { feature: 'scheduledReports', key: 'enabled', message: 'enabled must be a boolean', status: 400, source: 'implementation' },
  { feature: 'scheduledReports', key: 'timeInvalid', message: 'time must be HH:MM (24-hour)', status: 400, source: 'implementation' },
  {
    feature: 'scheduledReports',
    key: 'weeklyNeedsDays',
    message: 'days is required for weekly reports (0-6, Sunday = 0)',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'scheduledReports',
    key: 'monthlyNeedsDay',
    message: 'day_of_month is required for monthly reports (1-31 or "last")',
    status: 400,
    source: 'implementation'
  },
  { feature: 'scheduledReports', key: 'neverRuns', message: 'schedule never runs', status: 400, source: 'implementation' },
  { feature: 'scheduledReports', key: 'destinationUnknown', message: 'Destination not found', status: 400, source: 'implementation' },
  { feature: 'scheduledReports', key: 'notFound', message: 'Scheduled report not found', status: 404, source: 'implementation' }
  // ── end of reshape-finish-b block ──
]

// Files that still build `{ error: '...' }` with a literal; each goes when its feature moves to the table.
// The test fails if one of them becomes clean (so the list only shrinks) or a new file appears.
const NOT_YET_MOVED = [
  'agent/agent-binary-routes.ts',
  'enrollment/enroll-hosts.ts',
  'enrollment/enroll-routes.ts',
  'enrollment/enrollment-auth.ts',
  'enrollment/install-routes.ts',
  'homepage/homepage-routes.ts',
  'security/bcrypt-lanes.ts',
  'users/login-lockout.ts'
]

const SRC = join(__dirname, '..', '..', 'src')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(name) ? [path] : []
  })
}

t.test('the table holds exactly the documented messages, with their status', async (t) => {
  const actual = Object.entries(ERROR_MESSAGES).flatMap(([feature, entries]) =>
    Object.entries(entries).map(([key, e]) => ({ feature, key, message: e.message, status: e.status }))
  )
  const expected = EXPECTED.map(({ feature, key, message, status }) => ({ feature, key, message, status }))
  t.same(actual, expected)
})

t.test('no file outside http/ builds an error body from a string literal', async (t) => {
  const offenders = sourceFiles(SRC)
    .map((path) => relative(SRC, path))
    .filter((rel) => !rel.startsWith('http/') && !rel.startsWith('dashboard/ui/'))
    .filter((rel) => /error: ['"`]/.test(readFileSync(join(SRC, rel), 'utf8')))
    .sort()
  t.same(offenders, NOT_YET_MOVED, 'new literals belong in src/http/error-messages.ts; moved files leave NOT_YET_MOVED')
})

t.test('a templated entry renders its placeholders and keeps the rest of the text', async (t) => {
  const rendered = fillMessage(ERROR_MESSAGES.integrationApi.noActionPermission, { action: 'delete', resource: 'host' })
  t.equal(rendered, 'This API key does not have permission to delete host')
  t.equal(fillMessage(ERROR_MESSAGES.notificationRoutes.unknownEventType, {}), 'Unknown event type: {name}')
})
