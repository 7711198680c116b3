// Row types of patching's tables (src/patching/ owns them), as Kysely sees them; part of DB in
// database-types.ts, described column by column in patching-columns.ts.
import type { Generated, Selectable } from 'kysely'
import type { Flag } from './flag.js'

export interface PatchPoliciesTable {
  id: string
  name: string
  description: string | null
  patch_delay_type: string
  delay_minutes: number | null
  fixed_time_utc: string | null
  timezone: string | null
  created_at: string
  updated_at: string
}

export interface PatchPolicyAssignmentsTable {
  id: string
  patch_policy_id: string
  target_type: string
  target_id: string
  created_at: string
  updated_at: string
}

export interface PatchPolicyExclusionsTable {
  id: string
  patch_policy_id: string
  host_id: string
  created_at: string
  updated_at: string
}

export interface PatchRunsTable {
  id: string
  host_id: string
  job_id: string
  patch_type: string
  package_name: string | null
  package_names: string | null
  status: string
  shell_output: Generated<string>
  output_truncated: Generated<Flag>
  error_message: string | null
  started_at: string | null
  completed_at: string | null
  scheduled_at: string | null
  run_at: string
  dispatched_at: string | null
  triggered_by_user_id: string | null
  approved_by_user_id: string | null
  trigger_source: Generated<string>
  dry_run: Generated<Flag>
  packages_affected: string | null
  policy_id: string | null
  policy_name: string | null
  policy_snapshot: string | null
  validation_run_id: string | null
  options: string | null
  schedule_id: string | null
  bulk_id: string | null
  pre_patch_hook: string | null
  reboot_required: Flag | null
  created_at: string
  updated_at: string
}

export interface PatchAuditTable {
  id: string
  action: string
  user_id: string | null
  username: string | null
  run_id: string | null
  host_id: string | null
  policy_id: string | null
  details: string | null
  created_at: string
}

/** A package hold: runs on the target never install names matching the pattern (name or glob). */
export interface PatchHoldsTable {
  id: string
  target_type: string
  target_id: string
  pattern: string
  reason: string | null
  created_by_user_id: string | null
  created_at: string
}

export interface PatchWindowsTable {
  id: string
  name: string
  target_type: string
  target_id: string
  cron: string
  duration_minutes: number
  created_by_user_id: string | null
  created_at: string
  updated_at: string
}

export interface PatchSchedulesTable {
  id: string
  name: string
  target_type: string
  target_id: string
  cron: string
  scope: string
  package_names: Generated<string>
  reboot: Generated<string>
  notice_minutes: Generated<number>
  require_pre_patch_hook: Generated<Flag>
  enabled: Generated<Flag>
  next_run_at: string | null
  notice_sent_for: string | null
  last_run_at: string | null
  last_result: string | null
  created_by_user_id: string | null
  created_at: string
  updated_at: string
}

export interface PatchRebootExemptionsTable {
  host_id: string
  reason: string | null
  created_by_user_id: string | null
  created_at: string
}

export interface PatchBulkBatchesTable {
  id: string
  patch_type: string
  package_names: Generated<string>
  dry_run: Generated<Flag>
  reboot: Generated<string>
  concurrency: number
  status: string
  created_by_user_id: string | null
  created_at: string
  finished_at: string | null
}

export interface PatchBulkItemsTable {
  batch_id: string
  host_id: string
  position: number
  status: string
  patch_run_id: string | null
  reason: string | null
  updated_at: string
}

export interface PatchingTables {
  patch_policies: PatchPoliciesTable
  patch_policy_assignments: PatchPolicyAssignmentsTable
  patch_policy_exclusions: PatchPolicyExclusionsTable
  patch_runs: PatchRunsTable
  patch_audit: PatchAuditTable
  patch_holds: PatchHoldsTable
  patch_windows: PatchWindowsTable
  patch_schedules: PatchSchedulesTable
  patch_reboot_exemptions: PatchRebootExemptionsTable
  patch_bulk_batches: PatchBulkBatchesTable
  patch_bulk_items: PatchBulkItemsTable
}

export type PatchRunRow = Selectable<PatchRunsTable>
export type PatchPolicyRow = Selectable<PatchPoliciesTable>
