// What the patching API sends and takes. The shapes are the server's own TypeBox schemas
// (src/patching/**), imported as types only: the bundle gains no server code.
import type { Static } from 'typebox'
import type {
  ApproveReply as ApproveReplySchema,
  DashboardReply,
  PatchRun as PatchRunSchema,
  PatchRunDetail as PatchRunDetailSchema,
  PreviewReply,
  RunListReply,
  TriggerBody as TriggerBodySchema,
  TriggerReply as TriggerReplySchema
} from '../../patching/runs/run-schemas.js'
import type { StreamFrame as LiveFrame } from '../../patching/runs/run-stream-hub.js'
import type { CreateScheduleBody, ScheduleView } from '../../patching/schedules/schedule-schemas.js'
import type { CreateHoldBody, HoldListView, HostHoldsView } from '../../patching/holds/hold-schemas.js'
import type { CronOrPickerInput } from '../../patching/patch-cron.js'
import type { TargetType } from '../../patching/patch-targets.js'

export type PatchRun = Static<typeof PatchRunSchema>
export type PatchRunDetail = Static<typeof PatchRunDetailSchema>
export type PatchRunsPage = Static<typeof RunListReply>
export type PatchingDashboard = Static<typeof DashboardReply>
export type PreviewRun = Static<typeof PreviewReply>
export type TriggerBody = Static<typeof TriggerBodySchema>
export type TriggerReply = Static<typeof TriggerReplySchema>
export type ApproveReply = Static<typeof ApproveReplySchema>
export type Schedule = Static<typeof ScheduleView>
export type ScheduleBody = Static<typeof CreateScheduleBody>
export type HoldList = Static<typeof HoldListView>
export type HoldBody = Static<typeof CreateHoldBody>
export type HostHolds = Static<typeof HostHoldsView>

// Not exported by the server yet: the snapshot frame is built inline in run-stream-routes.ts, and
// the reply and view schemas below are module-private in their route files (stop in run-routes.ts,
// WindowView/CreateWindowBody/HostWindowView in window-routes.ts, ExemptionView/RebootReply in
// reboot-routes.ts, BulkBody/BatchView in bulk-routes.ts, Entry in audit-routes.ts, Policy/Assignment/
// Exclusion in policy-routes.ts). Each is written from the server fields
// it mirrors, reusing the exported pieces, until those schemas are exported.

/** The first frame of the run stream: the run as it is now. */
export interface SnapshotFrame {
  type: 'snapshot'
  patch_run_id: PatchRun['id']
  stage: PatchRun['status']
  shell_output: PatchRun['shell_output']
  error_message: string
}
export type StreamFrame = LiveFrame | SnapshotFrame

export interface StopReply {
  ok: boolean
  cancelled_via: string
}

export type WindowBody = CronOrPickerInput & { name: string; target_type: TargetType; target_id: string; duration_minutes: number }
export interface MaintenanceWindow {
  id: string
  name: string
  target_type: TargetType
  target_id: string
  cron: string
  duration_minutes: number
  timezone: string
  next_opening_at: string | null
}
interface WindowOpening {
  window_id: string
  name: string
  opens_at: string
  closes_at: string
}
export interface HostWindow {
  host_id: string
  has_windows: boolean
  open_now: boolean
  current: WindowOpening | null
  next: WindowOpening | null
}

export interface RebootExemption {
  host_id: string
  reason: string | null
  created_by_user_id: string | null
  created_at: string
}
export interface RebootReply {
  message: string
  patch_run_id: string
  run_at: string | null
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
  reboot: string
  concurrency: number
  created_by_user_id: string | null
  created_at: string
  finished_at: string | null
  summary: { total: number; pending: number; dispatched: number; completed: number; failed: number; skipped: number }
  items: Array<{
    host_id: string
    host_name: string | null
    status: string
    patch_run_id: string | null
    reason: string | null
    updated_at: string
  }>
}

export type { PatchAuditAction as AuditAction } from '../../patching/audit/patch-audit.js'
/** GET /api/v1/patching/audit's entry (the Entry schema in audit-routes.ts). */
export interface AuditEntry {
  id: string
  action: string
  user_id: string | null
  username: string | null
  run_id: string | null
  host_id: string | null
  policy_id: string | null
  details: Record<string, unknown> | null
  created_at: string
}
export interface AuditPage {
  entries: AuditEntry[]
  total: number
  limit: number
  offset: number
}

/** A policy (Policy in policy-routes.ts) and GET /patching/policies/{id} with its targets. */
export interface Policy {
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
export interface PolicyDetail extends Policy {
  assignments: Array<{ id: string; patch_policy_id: string; target_type: string; target_id: string }>
  exclusions: Array<{
    id: string
    patch_policy_id: string
    host_id: string
    hosts: { id: string; friendly_name: string; hostname: string | null }
  }>
}
