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
  SnapshotFrame as SnapshotFrameSchema,
  StopReply as StopReplySchema,
  TriggerBody as TriggerBodySchema,
  TriggerReply as TriggerReplySchema
} from '../../patching/runs/run-schemas.js'
import type { StreamFrame as LiveFrame } from '../../patching/runs/run-stream-hub.js'
import type { CreateScheduleBody, ScheduleView } from '../../patching/schedules/schedule-schemas.js'
import type { CreateHoldBody, HoldListView, HostHoldsView } from '../../patching/holds/hold-schemas.js'
import type { CreateWindowBody, HostWindowView, WindowListView, WindowView } from '../../patching/windows/window-schemas.js'
import type { ExemptionListView, ExemptionView, RebootReply as RebootReplySchema } from '../../patching/reboots/reboot-schemas.js'
import type { BatchListView, BatchView, BulkBody as BulkBodySchema } from '../../patching/bulk/bulk-schemas.js'
import type { AuditEntry as AuditEntrySchema, AuditPage as AuditPageSchema } from '../../patching/audit/audit-schemas.js'
import type { Policy as PolicySchema, PolicyDetailView, PolicyListView } from '../../patching/policies/policy-schemas.js'
import type { CronOrPickerInput } from '../../patching/patch-cron.js'

export type PatchRun = Static<typeof PatchRunSchema>
export type PatchRunDetail = Static<typeof PatchRunDetailSchema>
export type PatchRunsPage = Static<typeof RunListReply>
export type PatchingDashboard = Static<typeof DashboardReply>
export type PreviewRun = Static<typeof PreviewReply>
export type TriggerBody = Static<typeof TriggerBodySchema>
export type TriggerReply = Static<typeof TriggerReplySchema>
export type ApproveReply = Static<typeof ApproveReplySchema>
export type StopReply = Static<typeof StopReplySchema>
/** The first frame of the run stream (the run as it is now), then the hub's live frames. */
export type SnapshotFrame = Static<typeof SnapshotFrameSchema>
export type StreamFrame = LiveFrame | SnapshotFrame

export type Schedule = Static<typeof ScheduleView>
export type ScheduleBody = Static<typeof CreateScheduleBody>
/** The `cron`-or-picker fields schedules and windows both take. */
export type { CronOrPickerInput }
export type HoldList = Static<typeof HoldListView>
export type HoldBody = Static<typeof CreateHoldBody>
export type HostHolds = Static<typeof HostHoldsView>

export type WindowBody = Static<typeof CreateWindowBody>
export type MaintenanceWindow = Static<typeof WindowView>
export type WindowList = Static<typeof WindowListView>
export type HostWindow = Static<typeof HostWindowView>

export type RebootExemption = Static<typeof ExemptionView>
export type RebootExemptionList = Static<typeof ExemptionListView>
export type RebootReply = Static<typeof RebootReplySchema>

export type BulkBody = Static<typeof BulkBodySchema>
export type BulkBatch = Static<typeof BatchView>
export type BulkBatchList = Static<typeof BatchListView>

export type { PatchAuditAction as AuditAction } from '../../patching/audit/patch-audit.js'
export type AuditEntry = Static<typeof AuditEntrySchema>
export type AuditPage = Static<typeof AuditPageSchema>

export type Policy = Static<typeof PolicySchema>
/** GET /patching/policies: each policy with its assignment and exclusion counts. */
export type PolicyListItem = Static<typeof PolicyListView>[number]
/** GET /patching/policies/{id}: the policy with its targets. */
export type PolicyDetail = Static<typeof PolicyDetailView>
