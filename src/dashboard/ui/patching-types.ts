// PROVISIONAL until patching-runs' schemas land (replaced by Static<typeof …> imports).
export interface PatchRun {
  id: string
  host_id: string
  patch_type: string
  package_name: string | null
  package_names: string[] | null
  status: string
  shell_output: string
  error_message: string | null
  started_at: string
  completed_at: string
  scheduled_at: string
  created_at: string
  triggered_by_username: string | null
  dry_run: boolean
  packages_affected: string[] | null
  validation_run_id: string | null
  hosts: { id: string; friendly_name: string; hostname: string | null }
}
export interface PatchRunDetail extends PatchRun {
  approved_by_username: string | null
  output_truncated: boolean
  policy_name: string | null
  options: { reboot?: string } | null
  pre_patch_hook: { exit_code: number; output: string } | null
  reboot_required: boolean | null
}
export interface PatchRunsPage {
  runs: PatchRun[]
  pagination: { total: number; limit: number; offset: number; pages: number }
}
export interface PatchingDashboard {
  summary: Record<
    | 'total_runs'
    | 'queued'
    | 'running'
    | 'completed'
    | 'failed'
    | 'cancelled'
    | 'timed_out'
    | 'agent_disconnected'
    | 'pending_validation'
    | 'pending_approval'
    | 'validated',
    number
  >
}
export interface TriggerBody {
  host_id: string
  patch_type: 'patch_all' | 'patch_package'
  package_names?: string[]
  dry_run?: boolean
  pending_approval?: boolean
  schedule_override?: 'immediate'
  security_only?: boolean
  reboot?: 'never' | 'after' | 'if_required'
}
export interface TriggerReply {
  patch_run_id: string
}
export interface ApproveReply {
  patch_run_id: string
}
export interface StopReply {
  ok: boolean
  cancelled_via: 'agent_signal' | 'db_only'
}
export interface PreviewRun {
  run_at_iso: string
  policy_name: string
  patch_delay_type: string
}
export type StreamFrame =
  | { type: 'snapshot'; stage: string; shell_output: string; error_message: string | null }
  | { type: 'chunk'; chunk: string }
  | { type: 'started' }
  | { type: 'done'; stage: string; error_message?: string | null }
type TT = 'host' | 'host_group'
export interface Schedule {
  id: string
  name: string
  target_type: TT
  target_id: string
  cron: string
  timezone: string
  scope: 'security' | 'all' | 'packages'
  package_names: string[]
  reboot: 'never' | 'after' | 'if_required' | 'window_end'
  notice_minutes: number
  enabled: boolean
  next_run_at: string | null
  last_run_at: string | null
  last_result: string | null
}
export type ScheduleBody = Record<string, unknown>
export interface MaintenanceWindow {
  id: string
  name: string
  target_type: TT
  target_id: string
  cron: string
  duration_minutes: number
  timezone: string
  next_opening_at: string | null
}
export type WindowBody = Record<string, unknown>
export interface Hold {
  id: string
  target_type: TT
  target_id: string
  pattern: string
  reason: string | null
  created_at: string
}
export interface HoldBody {
  target_type: TT
  target_id: string
  pattern: string
  reason?: string
}
export interface RebootExemption {
  host_id: string
  reason: string | null
}
export interface HostHolds {
  held_count: number
  held_packages: string[]
  installable_count: number
}
export interface HostWindow {
  has_windows: boolean
  open_now: boolean
  next: { name: string; opens_at: string; closes_at: string } | null
  current: { name: string; opens_at: string; closes_at: string } | null
}
export interface RebootReply {
  patch_run_id: string
}
export interface BulkBody {
  host_ids?: string[]
  host_group_id?: string
  patch_type: 'patch_all' | 'patch_package'
  package_names?: string[]
  dry_run?: boolean
  reboot?: 'never' | 'after' | 'if_required'
  concurrency?: number
}
export interface BulkBatch {
  id: string
  status: string
  patch_type: string
  package_names: string[]
  dry_run: boolean
  concurrency: number
  created_at: string
  summary: { total: number; pending: number; dispatched: number; completed: number; failed: number; skipped: number }
  items: Array<{ host_id: string; host_name: string | null; status: string; patch_run_id: string | null; reason: string | null }>
}
