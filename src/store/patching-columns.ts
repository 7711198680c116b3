// Patching's tables column by column (see database-columns.ts for what the kinds mean); joined into
// DATABASE_COLUMNS there, checked against PatchingTables by tsc and against the schema by a test.
import type { ColumnsOf } from './column-kinds.js'
import type { PatchingTables } from './patching-table-types.js'

export const PATCHING_COLUMNS = {
  patch_audit: {
    id: 'required',
    action: 'required',
    user_id: 'nullable',
    username: 'nullable',
    run_id: 'nullable',
    host_id: 'nullable',
    policy_id: 'nullable',
    details: 'nullable',
    created_at: 'required'
  },
  patch_policies: {
    id: 'required',
    name: 'required',
    description: 'nullable',
    patch_delay_type: 'required',
    delay_minutes: 'nullable',
    fixed_time_utc: 'nullable',
    timezone: 'nullable',
    created_at: 'required',
    updated_at: 'required'
  },
  patch_policy_assignments: {
    id: 'required',
    patch_policy_id: 'required',
    target_type: 'required',
    target_id: 'required',
    created_at: 'required',
    updated_at: 'required'
  },
  patch_policy_exclusions: {
    id: 'required',
    patch_policy_id: 'required',
    host_id: 'required',
    created_at: 'required',
    updated_at: 'required'
  },
  patch_runs: {
    id: 'required',
    host_id: 'required',
    job_id: 'required',
    patch_type: 'required',
    package_name: 'nullable',
    package_names: 'nullable',
    status: 'required',
    shell_output: 'defaulted',
    output_truncated: 'defaulted',
    error_message: 'nullable',
    started_at: 'nullable',
    completed_at: 'nullable',
    scheduled_at: 'nullable',
    run_at: 'required',
    dispatched_at: 'nullable',
    triggered_by_user_id: 'nullable',
    approved_by_user_id: 'nullable',
    trigger_source: 'defaulted',
    dry_run: 'defaulted',
    packages_affected: 'nullable',
    policy_id: 'nullable',
    policy_name: 'nullable',
    policy_snapshot: 'nullable',
    validation_run_id: 'nullable',
    options: 'nullable',
    schedule_id: 'nullable',
    bulk_id: 'nullable',
    pre_patch_hook: 'nullable',
    reboot_required: 'nullable',
    created_at: 'required',
    updated_at: 'required'
  },
  patch_bulk_batches: {
    id: 'required',
    patch_type: 'required',
    package_names: 'defaulted',
    dry_run: 'defaulted',
    reboot: 'defaulted',
    concurrency: 'required',
    status: 'required',
    created_by_user_id: 'nullable',
    created_at: 'required',
    finished_at: 'nullable'
  },
  patch_bulk_items: {
    batch_id: 'required',
    host_id: 'required',
    position: 'required',
    status: 'required',
    patch_run_id: 'nullable',
    reason: 'nullable',
    updated_at: 'required'
  },
  patch_holds: {
    id: 'required',
    target_type: 'required',
    target_id: 'required',
    pattern: 'required',
    reason: 'nullable',
    created_by_user_id: 'nullable',
    created_at: 'required'
  },
  patch_reboot_exemptions: {
    host_id: 'required',
    reason: 'nullable',
    created_by_user_id: 'nullable',
    created_at: 'required'
  },
  patch_schedules: {
    id: 'required',
    name: 'required',
    target_type: 'required',
    target_id: 'required',
    cron: 'required',
    scope: 'required',
    package_names: 'defaulted',
    reboot: 'defaulted',
    notice_minutes: 'defaulted',
    require_pre_patch_hook: 'defaulted',
    enabled: 'defaulted',
    next_run_at: 'nullable',
    notice_sent_for: 'nullable',
    last_run_at: 'nullable',
    last_result: 'nullable',
    created_by_user_id: 'nullable',
    created_at: 'required',
    updated_at: 'required'
  },
  patch_windows: {
    id: 'required',
    name: 'required',
    target_type: 'required',
    target_id: 'required',
    cron: 'required',
    duration_minutes: 'required',
    created_by_user_id: 'nullable',
    created_at: 'required',
    updated_at: 'required'
  }
} satisfies { [N in keyof PatchingTables]: ColumnsOf<PatchingTables[N]> }
