// The one table of error messages we raise on purpose, grouped by feature. Each entry is the exact wire
// string (byte-identical to what clients already see), the status it goes out with and the body shape.
// Feature files refer to these entries instead of writing the strings inline, so a message is declared
// once and test/http/error-vocabulary.test.ts can list every one. Features not moved here yet still keep
// their own tables (see that test's NOT_YET_MOVED list).

/** One documented error: the string, the status it is sent with, and the body that carries it. */
export type ErrorEntry = {
  readonly message: string
  readonly status: number
  /** `error` = `{ error }`; `validation` = a validation message (400 `{ error }` via validationMessages). */
  readonly body: 'error' | 'validation'
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
  }
} as const
