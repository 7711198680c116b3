// TypeBox schemas of the patch-run routes, declared once (validation, types, serialisation, OpenAPI).
// Request bodies are lenient as upstream's encoding/json is (unknown keys ignored); the handlers
// turn wrong values into upstream's exact 400 messages.
import { Type, type Static } from '@fastify/type-provider-typebox'

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()])
const NullableStrings = Type.Union([Type.Array(Type.String()), Type.Null()])

const runFields = {
  id: Type.String(),
  host_id: Type.String(),
  job_id: Type.String(),
  patch_type: Type.String(),
  package_name: Nullable(Type.String()),
  package_names: NullableStrings,
  status: Type.String(),
  shell_output: Type.String(),
  output_truncated: Type.Boolean({ description: 'Only the last part of the output is kept (size cap)' }),
  error_message: Nullable(Type.String()),
  started_at: Type.String({ description: 'RFC 3339, "" when not started' }),
  completed_at: Type.String(),
  scheduled_at: Type.String({ description: 'Set when a policy or schedule delayed the run' }),
  created_at: Type.String(),
  updated_at: Type.String(),
  run_at: Type.String({ description: 'When the run is (or was) due' }),
  triggered_by_username: Nullable(Type.String()),
  trigger_source: Type.String({ description: 'user, approval, schedule, bulk or api' }),
  dry_run: Type.Boolean(),
  packages_affected: NullableStrings,
  validation_run_id: Nullable(Type.String()),
  policy_id: Nullable(Type.String()),
  policy_name: Nullable(Type.String()),
  options: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  schedule_id: Nullable(Type.String()),
  bulk_id: Nullable(Type.String()),
  pre_patch_hook: Type.Union([Type.Object({ exit_code: Type.Number(), output: Type.String() }), Type.Null()]),
  reboot_required: Type.Union([Type.Boolean(), Type.Null()]),
  hosts: Type.Object({ id: Type.String(), friendly_name: Type.String(), hostname: Nullable(Type.String()) })
}

export const PatchRun = Type.Object(runFields)

export const PatchRunDetail = Type.Object({
  ...runFields,
  policy_snapshot: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  approved_by_username: Nullable(Type.String()),
  hosts: Type.Object({
    id: Type.String(),
    friendly_name: Type.String(),
    hostname: Nullable(Type.String()),
    awaiting_post_patch_report_run_id: Nullable(Type.String()),
    last_update: Nullable(Type.String())
  })
})
export type PatchRunDetail = Static<typeof PatchRunDetail>

export const RunIdParams = Type.Object({ id: Type.String({ maxLength: 64 }) })

export const TriggerBody = Type.Object(
  {
    host_id: Type.Optional(Type.Unknown()),
    patch_type: Type.Optional(Type.Unknown()),
    package_name: Type.Optional(Type.Unknown()),
    package_names: Type.Optional(Type.Unknown()),
    dry_run: Type.Optional(Type.Boolean()),
    pending_approval: Type.Optional(Type.Boolean()),
    schedule_override: Type.Optional(Type.String({ maxLength: 32 })),
    reboot: Type.Optional(Type.Union([Type.Literal('never'), Type.Literal('after'), Type.Literal('if_required')]))
  },
  { additionalProperties: true }
)
export type TriggerBody = Static<typeof TriggerBody>

export const TriggerReply = Type.Object({
  message: Type.String(),
  patch_run_id: Type.String(),
  job_id: Type.String(),
  run_at: Type.String(),
  queued: Type.Boolean(),
  pending_approval: Type.Optional(Type.Boolean()),
  agent_connected: Type.Boolean({ description: 'Ours: false = the run waits until the agent connects (it is not lost)' })
})

export const ApproveBody = Type.Union([
  Type.Object({ schedule_override: Type.Optional(Type.String({ maxLength: 32 })) }, { additionalProperties: true }),
  Type.Null()
])

export const ApproveReply = Type.Object({
  message: Type.String(),
  patch_run_id: Type.String(),
  validation_run_id: Type.String(),
  run_at: Type.String()
})

/** The statuses the patching dashboard counts (upstream's summary fields, facts §2.2). */
export const SUMMARY_STATUSES = [
  'queued',
  'running',
  'completed',
  'failed',
  'cancelled',
  'timed_out',
  'agent_disconnected',
  'pending_validation',
  'pending_approval',
  'validated'
] as const

const summaryFields = Object.fromEntries(['total_runs', ...SUMMARY_STATUSES].map((k) => [k, Type.Integer()]))
export const DashboardReply = Type.Object({
  summary: Type.Object(summaryFields),
  recent_runs: Type.Array(PatchRun),
  active_runs: Type.Array(PatchRun)
})

export const RunListQuery = Type.Object({
  limit: Type.Optional(Type.String({ maxLength: 16 })),
  offset: Type.Optional(Type.String({ maxLength: 16 })),
  host_id: Type.Optional(Type.String({ maxLength: 64 })),
  status: Type.Optional(Type.String({ maxLength: 32 })),
  patch_type: Type.Optional(Type.String({ maxLength: 32 })),
  sort_by: Type.Optional(Type.String({ maxLength: 32 })),
  sort_dir: Type.Optional(Type.String({ maxLength: 8 }))
})
export type RunListQuery = Static<typeof RunListQuery>

export const RunListReply = Type.Object({
  runs: Type.Array(PatchRun),
  pagination: Type.Object({ total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer(), pages: Type.Integer() })
})

export const PreviewReply = Type.Object({
  host_id: Type.String(),
  host_name: Type.String(),
  run_at_iso: Type.String(),
  policy_name: Type.String(),
  policy_id: Type.String(),
  patch_delay_type: Type.String()
})

export const AgentOutputBody = Type.Object(
  {
    stage: Type.String({ maxLength: 64 }),
    output: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    error_message: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    pre_patch_hook: Type.Optional(
      Type.Union([
        Type.Object({ exit_code: Type.Integer(), output: Type.Optional(Type.String()) }, { additionalProperties: true }),
        Type.Null()
      ])
    ),
    reboot_required: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    packages_affected: Type.Optional(Type.Union([Type.Array(Type.String({ maxLength: 256 }), { maxItems: 10_000 }), Type.Null()]))
  },
  { additionalProperties: true }
)
export type AgentOutputBody = Static<typeof AgentOutputBody>

/** POST .../runs/{id}/stop. */
export const StopReply = Type.Object({ ok: Type.Boolean(), cancelled_via: Type.String() })

/** The first frame of GET .../runs/{id}/stream: the run as it is now (the hub's frames follow). */
export const SnapshotFrame = Type.Object({
  type: Type.Literal('snapshot'),
  patch_run_id: Type.String(),
  stage: Type.String({ description: "The run's status" }),
  shell_output: Type.String(),
  error_message: Type.String({ description: '"" when none' })
})
export type SnapshotFrame = Static<typeof SnapshotFrame>
