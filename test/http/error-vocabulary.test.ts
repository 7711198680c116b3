// One error vocabulary (issue 16 item 4): every message we raise on purpose lives in
// src/http/error-messages.ts. This test pins the table to the documented list (each entry says where the
// string comes from) and fails when a file under src/ (outside http/) builds an error body with a string
// literal instead of referring to the table.
import t from 'tap'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { ERROR_MESSAGES } from '../../src/http/error-messages.js'

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
  {
    feature: 'settings',
    key: 'patch_run_stall_timeout_minutes',
    message: 'Patch run stall timeout must be an integer between 5 and 10080 minutes',
    status: 400,
    source: 'implementation (floor 5 as upstream, facts/patching.md §2.1)'
  },
  // Patching: upstream's strings where /work/shared/facts/patching.md §3 quotes them; the rest are ours (test/patching/).
  { feature: 'patching', key: 'hostIdRequired', message: 'Valid host_id is required', status: 400, source: 'facts/patching.md §3' },
  { feature: 'patching', key: 'hostNotFound', message: 'Host not found', status: 404, source: 'facts/patching.md §3' },
  {
    feature: 'patching',
    key: 'patchTypeInvalid',
    message: 'patch_type must be patch_all or patch_package',
    status: 400,
    source: 'facts/patching.md §3'
  },
  {
    feature: 'patching',
    key: 'dryRunPackageOnly',
    message: 'dry_run is only supported for patch_package',
    status: 400,
    source: 'facts/patching.md §3'
  },
  {
    feature: 'patching',
    key: 'dryRunAndApproval',
    message: 'dry_run and pending_approval are mutually exclusive',
    status: 400,
    source: 'facts/patching.md §3'
  },
  {
    feature: 'patching',
    key: 'packageNameInvalid',
    message: 'Every package_names entry must be a valid package name',
    status: 400,
    source: 'facts/patching.md §3'
  },
  {
    feature: 'patching',
    key: 'tooManyPackages',
    message: 'package_names limited to 100 packages per run',
    status: 400,
    source: 'facts/patching.md §3'
  },
  {
    feature: 'patching',
    key: 'packageRequired',
    message: 'Valid package_name or non-empty package_names is required for patch_package',
    status: 400,
    source: 'facts/patching.md §3'
  },
  { feature: 'patching', key: 'agentCannotPatch', message: 'Agent cannot run patches', status: 409, source: 'implementation' },
  { feature: 'patching', key: 'agentCannotReboot', message: 'Agent cannot reboot this host', status: 409, source: 'implementation' },
  { feature: 'patching', key: 'runNotFound', message: 'Patch run not found', status: 404, source: 'facts/patching.md §3' },
  { feature: 'patching', key: 'invalidRunId', message: 'Invalid patch run ID', status: 400, source: 'facts/patching.md §3' },
  {
    feature: 'patching',
    key: 'notApprovable',
    message: 'Only validated, pending_validation or pending_approval runs can be approved',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'patching',
    key: 'alreadyApproved',
    message: 'This run has already been approved or is no longer awaiting approval',
    status: 409,
    source: 'facts/patching.md §3'
  },
  {
    feature: 'patching',
    key: 'notRevalidatable',
    message: 'Only pending_validation patch_package runs can be re-validated',
    status: 400,
    source: 'implementation'
  },
  { feature: 'patching', key: 'runFinished', message: 'Run already finished', status: 409, source: 'facts/patching.md §3' },
  {
    feature: 'patching',
    key: 'notDeletable',
    message: 'Only queued, pending, validated or approved runs can be deleted',
    status: 400,
    source: 'implementation'
  },
  {
    feature: 'patching',
    key: 'runOfOtherHost',
    message: 'Patch run does not belong to this host',
    status: 403,
    source: 'facts/patching.md §3'
  },
  { feature: 'patching', key: 'policyNotFound', message: 'Patch policy not found', status: 404, source: 'implementation' },
  { feature: 'patching', key: 'policyNameRequired', message: 'name is required', status: 400, source: 'facts/patching.md §3' },
  {
    feature: 'patching',
    key: 'policyDelayTypeInvalid',
    message: 'patch_delay_type must be immediate, delayed, or fixed_time',
    status: 400,
    source: 'facts/patching.md §3'
  },
  {
    feature: 'patching',
    key: 'policyDelayMinutesRequired',
    message: 'delay_minutes is required for delayed policy',
    status: 400,
    source: 'facts/patching.md §3'
  },
  {
    feature: 'patching',
    key: 'policyFixedTimeRequired',
    message: 'fixed_time_utc is required for fixed_time policy',
    status: 400,
    source: 'facts/patching.md §3'
  },
  {
    feature: 'patching',
    key: 'policyFixedTimeInvalid',
    message: 'fixed_time_utc must be HH:MM or HH:MM:SS',
    status: 400,
    source: 'facts/patching.md §3'
  },
  {
    feature: 'patching',
    key: 'assignmentTargetTypeInvalid',
    message: 'target_type must be host or host_group',
    status: 400,
    source: 'implementation'
  },
  { feature: 'patching', key: 'assignmentTargetRequired', message: 'Valid target_id is required', status: 400, source: 'implementation' },
  { feature: 'patching', key: 'assignmentTargetNotFound', message: 'Assignment target not found', status: 404, source: 'implementation' },
  {
    feature: 'patching',
    key: 'assignedToOtherPolicy',
    message: 'This host or host group is already assigned to another patch policy',
    status: 409,
    source: 'implementation'
  },
  { feature: 'patching', key: 'assignmentNotFound', message: 'Assignment not found', status: 404, source: 'facts/patching.md §3' },
  { feature: 'patching', key: 'exclusionNotFound', message: 'Exclusion not found', status: 404, source: 'implementation' },
  // Patching beyond upstream (schedules, windows, holds, reboots, bulk): ours, not in spec or facts (test/patching/).
  {
    feature: 'patchHolds',
    key: 'patternInvalid',
    message: 'pattern must be a package name or a glob (letters, digits and . _ + - * ?, at most 256 characters)',
    status: 400,
    source: 'implementation (test/patching/)'
  },
  {
    feature: 'patchHolds',
    key: 'duplicate',
    message: 'This package is already held on this target',
    status: 409,
    source: 'implementation (test/patching/)'
  },
  { feature: 'patchHolds', key: 'notFound', message: 'Hold not found', status: 404, source: 'implementation (test/patching/)' },
  {
    feature: 'patchHolds',
    key: 'everythingHeld',
    message: 'Every package this run would install is held',
    status: 409,
    source: 'implementation (test/patching/)'
  },
  {
    feature: 'patchHolds',
    key: 'nothingToPatch',
    message: 'Nothing to patch: this host reports no outdated packages that are not held',
    status: 409,
    source: 'implementation (test/patching/)'
  },
  {
    feature: 'patchWindows',
    key: 'durationInvalid',
    message: 'duration_minutes must be an integer between 5 and 10080',
    status: 400,
    source: 'implementation (test/patching/)'
  },
  {
    feature: 'patchWindows',
    key: 'notFound',
    message: 'Maintenance window not found',
    status: 404,
    source: 'implementation (test/patching/)'
  },
  {
    feature: 'patchWindows',
    key: 'outsideWindow',
    message: 'Outside the maintenance window of this host',
    status: 409,
    source: 'implementation (test/patching/)'
  },
  {
    feature: 'patchSchedules',
    key: 'cronInvalid',
    message: 'Invalid schedule: give a five-field cron expression or frequency and time',
    status: 400,
    source: 'implementation (test/patching/)'
  },
  {
    feature: 'patchSchedules',
    key: 'packagesRequired',
    message: 'scope packages needs package_names (1-100 valid package names)',
    status: 400,
    source: 'implementation (test/patching/)'
  },
  {
    feature: 'patchSchedules',
    key: 'hookUnsupported',
    message: "This run requires a pre-patch hook, which this host's agent cannot report",
    status: 409,
    source: 'implementation (test/patching/)'
  },
  {
    feature: 'patchSchedules',
    key: 'notFound',
    message: 'Patch schedule not found',
    status: 404,
    source: 'implementation (test/patching/)'
  },
  {
    feature: 'patchReboots',
    key: 'exempt',
    message: 'This host is exempt from reboots',
    status: 409,
    source: 'implementation (test/patching/)'
  },
  {
    feature: 'patchReboots',
    key: 'exemptionNotFound',
    message: 'Reboot exemption not found',
    status: 404,
    source: 'implementation (test/patching/)'
  },
  {
    feature: 'patchBulk',
    key: 'selectionRequired',
    message: 'Choose host_ids or a host_group_id (not both)',
    status: 400,
    source: 'implementation (test/patching/)'
  },
  { feature: 'patchBulk', key: 'noHosts', message: 'The selection holds no hosts', status: 400, source: 'implementation (test/patching/)' },
  { feature: 'patchBulk', key: 'notFound', message: 'Bulk patch batch not found', status: 404, source: 'implementation (test/patching/)' }
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
  'notifications/providers/slack.ts',
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
