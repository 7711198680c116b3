// One error vocabulary (issue 16 item 4): every message we raise on purpose lives in
// src/http/error-messages.ts. This test pins the table to the documented list (each entry says where the
// string comes from) and fails when a file under src/ (outside http/) builds an error body with a string
// literal instead of referring to the table.
import t from 'tap'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { ERROR_MESSAGES, fillMessage } from '../../src/http/error-messages.js'

type Expected = { feature: string; key: string; message: string; status: number; source: string }
const documented = (feature: string, key: string, message: string, status: number, source: string): Expected => ({
  feature,
  key,
  message,
  status,
  source
})

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
  // ── reshape-finish-b block (one line each): source = the facts/spec file quoting the string, else
  // 'implementation' (the string the dashboard or agents already receive, asserted by the feature's tests). ──
  // Settings role checks
  documented('settingsRoles', 'insufficientPermissions', 'Insufficient permissions', 403, 'facts/notifications-and-auth.md'),
  documented('settingsRoles', 'defaultUserRoleUnknown', 'Default user role does not exist', 400, 'implementation'),
  documented(
    'settingsRoles',
    'grantBeyondAuthor',
    '{what} would give new users the role "{role}", which holds permissions your role does not ({permissions})',
    403,
    'implementation'
  ),
  // Agent reports
  documented(
    'agentReports',
    'packagesInvalid',
    'Invalid packages array: every package needs a string name and currentVersion and a boolean needsUpdate',
    400,
    'implementation'
  ),
  documented('agentReports', 'packagesRequired', 'Packages array is required', 400, 'facts/agent-protocol.md'),
  documented('agentReports', 'tooManyPackages', 'Packages array exceeds maximum size', 400, 'facts/agent-protocol.md'),
  // The live agent channel
  documented('agentChannel', 'replacedPoll', 'Replaced by a newer poll', 409, 'implementation'),
  documented('agentChannel', 'shuttingDown', 'Server is shutting down', 503, 'implementation'),
  documented('agentChannel', 'notConnected', 'Agent is not connected', 409, 'implementation'),
  documented('agentChannel', 'socketCredentialsMissing', 'Missing API credentials', 401, 'facts/agent-protocol.md'),
  documented('agentChannel', 'socketCredentialsInvalid', 'Invalid API credentials', 401, 'facts/enrollment-and-scripts.md'),
  // Hosts
  documented('hosts', 'friendlyNameInvalid', 'Friendly name is required (1-255 characters)', 400, 'implementation'),
  documented('hosts', 'hostGroupIdsInvalid', 'host_group_ids must be an array of host group ids', 400, 'implementation'),
  documented('hosts', 'notesTooLong', 'Notes must be at most 10000 characters', 400, 'implementation'),
  documented('hosts', 'packageNotFound', 'Package not found', 404, 'implementation'),
  // Integration API
  documented('integrationApi', 'accessDenied', 'Access denied', 403, 'facts/notifications-and-auth.md'),
  documented('integrationApi', 'noPermissions', 'This API key does not have the required permissions', 403, 'facts/integration-api.md'),
  documented('integrationApi', 'badScopes', 'Invalid API key permissions configuration', 403, 'facts/integration-api.md'),
  documented('integrationApi', 'noResourceAccess', 'This API key does not have access to {resource}', 403, 'facts/integration-api.md'),
  documented(
    'integrationApi',
    'noActionPermission',
    'This API key does not have permission to {action} {resource}',
    403,
    'facts/integration-api.md'
  ),
  documented('integrationApi', 'invalidHostId', 'Invalid host ID format', 400, 'facts/integration-api.md'),
  documented('integrationApi', 'hostsFailed', 'Failed to fetch hosts', 500, 'facts/integration-api.md'),
  documented('integrationApi', 'statsFailed', 'Failed to fetch host statistics', 500, 'facts/integration-api.md'),
  documented('integrationApi', 'infoFailed', 'Failed to fetch host information', 500, 'implementation'),
  documented('integrationApi', 'networkFailed', 'Failed to fetch network information', 500, 'implementation'),
  documented('integrationApi', 'systemFailed', 'Failed to fetch system information', 500, 'implementation'),
  documented('integrationApi', 'packagesFailed', 'Failed to fetch packages', 500, 'facts/integration-api.md'),
  documented('integrationApi', 'packageReportsFailed', 'Failed to fetch package reports', 500, 'facts/integration-api.md'),
  documented('integrationApi', 'agentQueueFailed', 'Failed to fetch agent queue', 500, 'implementation'),
  documented('integrationApi', 'notesFailed', 'Failed to fetch notes', 500, 'implementation'),
  documented('integrationApi', 'integrationsFailed', 'Failed to fetch integrations', 500, 'implementation'),
  documented('integrationApi', 'deleteFailed', 'Failed to delete host', 500, 'facts/integration-api.md'),
  // Notification destinations
  documented('notificationDestinations', 'channelType', 'channel_type must be one of {channelTypes}', 400, 'implementation'),
  documented('notificationDestinations', 'displayName', 'Display name is required', 400, 'implementation'),
  documented('notificationDestinations', 'config', 'Webhook URL is required', 400, 'facts/notifications-and-auth.md'),
  documented('notificationDestinations', 'enabled', 'enabled must be a boolean', 400, 'implementation'),
  documented('notificationDestinations', 'destinationId', 'destination_id required', 400, 'facts/notifications-and-auth.md'),
  documented('notificationDestinations', 'notFound', 'Destination not found', 404, 'implementation'),
  documented('notificationDestinations', 'unknown', 'Destination not found', 400, 'implementation'),
  documented('notificationDestinations', 'fieldNotString', '{key} must be a string', 400, 'implementation'),
  documented('notificationDestinations', 'fieldTooLong', '{key} is too long (max {max} characters)', 400, 'implementation'),
  documented('notificationDestinations', 'fieldNotWholeNumber', '{key} must be a whole number from {min} to {max}', 400, 'implementation'),
  documented('notificationDestinations', 'headersNotObject', 'headers must be an object of header names to values', 400, 'implementation'),
  documented('notificationDestinations', 'invalidHeader', 'Invalid header: {name}', 400, 'implementation'),
  documented('notificationDestinations', 'webhookUrlRequired', 'Webhook URL is required', 400, 'facts/notifications-and-auth.md'),
  documented('notificationDestinations', 'webhookUrlInvalid', 'Webhook URL must be a valid http(s) URL', 400, 'implementation'),
  documented(
    'notificationDestinations',
    'emailRecipients',
    'Recipient addresses (to) are required and must be valid e-mail addresses',
    400,
    'implementation'
  ),
  documented('notificationDestinations', 'emailTlsMode', 'tls_mode must be one of starttls, tls, none, auto', 400, 'implementation'),
  documented('notificationDestinations', 'emailFromRequired', 'Sender address (from) is required', 400, 'implementation'),
  documented('notificationDestinations', 'emailFromInvalid', 'Sender address (from) must be a valid e-mail address', 400, 'implementation'),
  documented('notificationDestinations', 'emailHostRequired', 'SMTP host is required', 400, 'implementation'),
  documented('notificationDestinations', 'gotifyServerRequired', 'Gotify server URL is required', 400, 'implementation'),
  documented('notificationDestinations', 'gotifyServerInvalid', 'Gotify server URL must be a valid http(s) URL', 400, 'implementation'),
  documented('notificationDestinations', 'gotifyTokenRequired', 'Gotify application token is required', 400, 'implementation'),
  documented('notificationDestinations', 'ntfyTopicRequired', 'ntfy topic is required', 400, 'implementation'),
  documented('notificationDestinations', 'ntfyServerInvalid', 'ntfy server URL must be a valid http(s) URL', 400, 'implementation'),
  // Notification routing rules
  documented('notificationRoutes', 'destinationId', 'destination_id required', 400, 'facts/notifications-and-auth.md'),
  documented('notificationRoutes', 'eventTypes', 'event_types must be a list of event names', 400, 'implementation'),
  documented('notificationRoutes', 'minSeverity', 'min_severity must be one of {severities}', 400, 'implementation'),
  documented('notificationRoutes', 'hostGroupIds', 'host_group_ids must be a list of host group ids', 400, 'implementation'),
  documented('notificationRoutes', 'enabled', 'enabled must be a boolean', 400, 'implementation'),
  documented('notificationRoutes', 'unknownEventType', 'Unknown event type: {name}', 400, 'implementation'),
  documented('notificationRoutes', 'noEventTypes', 'Choose at least one event type', 400, 'implementation'),
  documented('notificationRoutes', 'notFound', 'Routing rule not found', 404, 'implementation'),
  // Notification log
  documented('deliveryLog', 'limit', 'limit must be a number from 1 to 500', 400, 'implementation'),
  documented('deliveryLog', 'offset', 'offset must be a number', 400, 'implementation'),
  documented('deliveryLog', 'since', 'since must be an ISO-8601 date-time', 400, 'implementation'),
  documented('deliveryLog', 'until', 'until must be an ISO-8601 date-time', 400, 'implementation'),
  documented('deliveryLog', 'status', 'status must be one of pending, sending, sent, failed', 400, 'implementation'),
  // Scheduled reports
  documented('scheduledReports', 'name', 'Report name is required', 400, 'implementation'),
  documented('scheduledReports', 'frequency', 'frequency must be one of daily, weekdays, weekly, monthly', 400, 'implementation'),
  documented('scheduledReports', 'days', 'days must be a list of 0-6 (Sunday = 0)', 400, 'implementation'),
  documented('scheduledReports', 'day_of_month', 'day_of_month must be 1-31 or "last"', 400, 'implementation'),
  documented('scheduledReports', 'time', 'time must be HH:MM (24-hour)', 400, 'implementation'),
  documented('scheduledReports', 'sections', 'sections must list one or more of {sections}', 400, 'implementation'),
  documented('scheduledReports', 'destination_ids', 'Choose at least one destination', 400, 'implementation'),
  documented('scheduledReports', 'attach_csv', 'attach_csv must be a boolean', 400, 'implementation'),
  documented('scheduledReports', 'enabled', 'enabled must be a boolean', 400, 'implementation'),
  documented('scheduledReports', 'timeInvalid', 'time must be HH:MM (24-hour)', 400, 'implementation'),
  documented('scheduledReports', 'weeklyNeedsDays', 'days is required for weekly reports (0-6, Sunday = 0)', 400, 'implementation'),
  documented('scheduledReports', 'monthlyNeedsDay', 'day_of_month is required for monthly reports (1-31 or "last")', 400, 'implementation'),
  documented('scheduledReports', 'neverRuns', 'schedule never runs', 400, 'implementation'),
  documented('scheduledReports', 'destinationUnknown', 'Destination not found', 400, 'implementation'),
  documented('scheduledReports', 'notFound', 'Scheduled report not found', 404, 'implementation')
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
