// Error messages of patching (src/patching/): part of the one table, ERROR_MESSAGES in error-messages.ts.
import { entry } from './error-entry.js'

export const PATCHING_ERROR_MESSAGES = {
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
