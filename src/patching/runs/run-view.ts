// How a patch_runs row reads on the wire (facts/patching.md §3 "Run object keys"): ISO timestamps,
// "" for an absent time, JSON columns parsed, the host's names and the triggering user's name.
import type { PatchRunRow } from '../../store/database-types.js'

export interface HostRef {
  id: string
  friendly_name: string
  hostname: string | null
  last_update: string | null
}

export interface PatchRunView {
  id: string
  host_id: string
  job_id: string
  patch_type: string
  package_name: string | null
  package_names: string[] | null
  status: string
  shell_output: string
  output_truncated: boolean
  error_message: string | null
  started_at: string
  completed_at: string
  scheduled_at: string
  created_at: string
  updated_at: string
  run_at: string
  triggered_by_username: string | null
  trigger_source: string
  dry_run: boolean
  packages_affected: string[] | null
  validation_run_id: string | null
  policy_id: string | null
  policy_name: string | null
  options: Record<string, unknown> | null
  schedule_id: string | null
  bulk_id: string | null
  pre_patch_hook: { exit_code: number; output: string } | null
  reboot_required: boolean | null
  hosts: { id: string; friendly_name: string; hostname: string | null }
}

export function parseJson<T>(text: string | null): T | null {
  if (text === null || text === '') return null
  try {
    return JSON.parse(text) as T
  } catch {
    return null
  }
}

const time = (value: string | null): string => value ?? ''

export function runView(row: PatchRunRow, host: HostRef | undefined, triggeredBy: string | null): PatchRunView {
  return {
    id: row.id,
    host_id: row.host_id,
    job_id: row.job_id,
    patch_type: row.patch_type,
    package_name: row.package_name,
    package_names: parseJson<string[]>(row.package_names),
    status: row.status,
    shell_output: row.shell_output,
    output_truncated: row.output_truncated === 1,
    error_message: row.error_message,
    started_at: time(row.started_at),
    completed_at: time(row.completed_at),
    scheduled_at: time(row.scheduled_at),
    created_at: row.created_at,
    updated_at: row.updated_at,
    run_at: row.run_at,
    triggered_by_username: triggeredBy,
    trigger_source: row.trigger_source,
    dry_run: row.dry_run === 1,
    packages_affected: parseJson<string[]>(row.packages_affected),
    validation_run_id: row.validation_run_id,
    policy_id: row.policy_id,
    policy_name: row.policy_name,
    options: parseJson<Record<string, unknown>>(row.options),
    schedule_id: row.schedule_id,
    bulk_id: row.bulk_id,
    pre_patch_hook: parseJson<{ exit_code: number; output: string }>(row.pre_patch_hook),
    reboot_required: row.reboot_required === null ? null : row.reboot_required === 1,
    hosts: { id: row.host_id, friendly_name: host?.friendly_name ?? '', hostname: host?.hostname ?? null }
  }
}
