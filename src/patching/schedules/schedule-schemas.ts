// Patch schedules on the wire.
import { Type, type Static } from '@fastify/type-provider-typebox'
import { TargetType } from '../patch-targets.js'
import { CronOrPicker } from '../patch-cron.js'

const nullableString = Type.Union([Type.String(), Type.Null()])

const Scope = Type.Union([Type.Literal('security'), Type.Literal('all'), Type.Literal('packages')])
const Reboot = Type.Union([Type.Literal('never'), Type.Literal('after'), Type.Literal('if_required'), Type.Literal('window_end')])
/** The agent's own package-name rule (facts/patching.md §4), so a schedule never stores a name the agent drops. */
export const PACKAGE_NAME = Type.String({ pattern: '^[a-zA-Z0-9][a-zA-Z0-9._+-]*$', minLength: 1, maxLength: 256 })

export const CreateScheduleBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  target_type: TargetType,
  target_id: Type.String({ minLength: 1, maxLength: 64 }),
  ...CronOrPicker,
  scope: Scope,
  package_names: Type.Optional(Type.Array(PACKAGE_NAME, { maxItems: 100 })),
  reboot: Type.Optional(Reboot),
  notice_minutes: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 10_080, description: 'Send patch_window_upcoming this many minutes before' })
  ),
  require_pre_patch_hook: Type.Optional(
    Type.Boolean({ description: "Runs fail unless the agent reports the host's pre-patch hook (/etc/patchmon/pre-patch) exited 0" })
  ),
  enabled: Type.Optional(Type.Boolean())
})
export type CreateScheduleInput = Static<typeof CreateScheduleBody>
export const UpdateScheduleBody = Type.Partial(CreateScheduleBody)

export const ScheduleView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  target_type: TargetType,
  target_id: Type.String(),
  cron: Type.String(),
  timezone: Type.String(),
  scope: Scope,
  package_names: Type.Array(Type.String()),
  reboot: Reboot,
  notice_minutes: Type.Integer(),
  require_pre_patch_hook: Type.Boolean(),
  enabled: Type.Boolean(),
  next_run_at: nullableString,
  last_run_at: nullableString,
  last_result: nullableString,
  created_by_user_id: nullableString,
  created_at: Type.String(),
  updated_at: Type.String()
})
