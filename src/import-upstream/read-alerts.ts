// Reads upstream's notification set-up (destinations, routing rules, scheduled reports) and patch
// policies. 1.4.x has none of these tables: each reader returns nothing there.
import type { UpstreamConnection } from './upstream-connection.js'

export interface UpstreamDestination {
  id: string
  channel_type: string
  display_name: string
  config_encrypted: string
  enabled: boolean | null
}

export interface UpstreamRoute {
  id: string
  destination_id: string
  event_types: unknown
  min_severity: string | null
  host_group_ids: unknown
  host_ids: unknown
  match_rules: unknown
  enabled: boolean | null
}

export interface UpstreamPolicy {
  id: string
  name: string
  description: string | null
  patch_delay_type: string
  delay_minutes: number | null
  fixed_time_utc: string | null
  timezone: string | null
  assignments: { target_type: string; target_id: string }[]
  exclusions: string[]
}

export async function readDestinations(conn: UpstreamConnection): Promise<UpstreamDestination[]> {
  if (!conn.has('notification_destinations')) return []
  return conn.query<UpstreamDestination & Record<string, unknown>>(
    'SELECT id, channel_type, display_name, config_encrypted, enabled FROM public.notification_destinations ORDER BY display_name'
  )
}

export async function readRoutes(conn: UpstreamConnection): Promise<UpstreamRoute[]> {
  if (!conn.has('notification_routes')) return []
  const matchRules = conn.has('notification_routes', 'match_rules') ? 'match_rules' : 'NULL AS match_rules'
  const hostIds = conn.has('notification_routes', 'host_ids') ? 'host_ids' : 'NULL AS host_ids'
  return conn.query<UpstreamRoute & Record<string, unknown>>(
    `SELECT id, destination_id, event_types, min_severity, host_group_ids, ${hostIds}, ${matchRules}, enabled FROM public.notification_routes ORDER BY id`
  )
}

export interface UpstreamScheduledReport {
  name: string
  cron_expr: string
  enabled: boolean | null
  destination_ids: unknown
  timezone: string | null
}

export async function readScheduledReports(conn: UpstreamConnection): Promise<UpstreamScheduledReport[]> {
  if (!conn.has('scheduled_reports')) return []
  const timezone = conn.has('scheduled_reports', 'timezone') ? 'timezone' : 'NULL AS timezone'
  return conn.query<UpstreamScheduledReport & Record<string, unknown>>(
    `SELECT name, cron_expr, enabled, destination_ids, ${timezone} FROM public.scheduled_reports ORDER BY name`
  )
}

export async function countPatchRuns(conn: UpstreamConnection): Promise<number> {
  if (!conn.has('patch_runs')) return 0
  const [row] = await conn.query<{ n: string }>('SELECT count(*) AS n FROM public.patch_runs')
  return Number(row?.n ?? 0)
}

export async function readPolicies(conn: UpstreamConnection): Promise<UpstreamPolicy[]> {
  if (!conn.has('patch_policies')) return []
  const policies = await conn.query<Omit<UpstreamPolicy, 'assignments' | 'exclusions'> & Record<string, unknown>>(
    `SELECT id, name, description, patch_delay_type, delay_minutes, fixed_time_utc, ${conn.has('patch_policies', 'timezone') ? 'timezone' : 'NULL AS timezone'}
       FROM public.patch_policies ORDER BY name`
  )
  const assignments = conn.has('patch_policy_assignments')
    ? await conn.query<{ patch_policy_id: string; target_type: string; target_id: string }>(
        'SELECT patch_policy_id, target_type, target_id FROM public.patch_policy_assignments'
      )
    : []
  const exclusions = conn.has('patch_policy_exclusions')
    ? await conn.query<{ patch_policy_id: string; host_id: string }>('SELECT patch_policy_id, host_id FROM public.patch_policy_exclusions')
    : []
  return policies.map((p) => ({
    ...p,
    assignments: assignments.filter((a) => a.patch_policy_id === p.id).map(({ target_type, target_id }) => ({ target_type, target_id })),
    exclusions: exclusions.filter((e) => e.patch_policy_id === p.id).map((e) => e.host_id)
  }))
}
