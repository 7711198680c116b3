// Alert destinations, routing rules and scheduled reports as /api/v1/notifications/* returns them.

export interface Destination {
  id: string
  channel_type: string
  display_name: string
  /** discord, slack or webhook (generic JSON) for webhooks, detected from the URL. */
  format?: string
  config?: Record<string, unknown>
  enabled: boolean
  created_at?: string
}

export interface RoutingRule {
  id: string
  destination_id: string
  destination_name?: string
  event_types: string[]
  min_severity: string
  host_group_ids: string[]
  enabled: boolean
}

export interface ScheduledReport {
  id: string
  name: string
  frequency: 'daily' | 'weekdays' | 'weekly' | 'monthly'
  /** weekly: days of the week, Sunday = 0 */
  days: number[]
  day_of_month: number | 'last' | null
  /** HH:MM in the server's time zone */
  time: string
  timezone: string
  sections: string[]
  destination_ids: string[]
  attach_csv: boolean
  enabled: boolean
  next_run_at: string | null
  last_run_at: string | null
}

/** The spec's recommended starter set first, then the other events the server emits. */
export const EVENT_TYPES: Array<[string, string]> = [
  ['host_went_down', 'Host went down'],
  ['host_came_up', 'Host came up'],
  ['container_stopped', 'Container stopped'],
  ['security_updates_available', 'Security updates available'],
  ['user_tfa_disabled', 'User disabled TFA'],
  ['account_locked', 'Account locked'],
  ['host_enrolled', 'Host enrolled'],
  ['host_deleted', 'Host deleted'],
  ['user_role_changed', 'User role changed']
]

export const SEVERITIES = ['informational', 'warning', 'error', 'critical'] as const

export const REPORT_SECTIONS: Array<[string, string]> = [
  ['open_alerts', 'Open alerts'],
  ['hosts_by_updates', 'Hosts by outstanding updates'],
  ['top_security_packages', 'Top outdated security packages']
]

export const isDiscordUrl = (url: string) => /^https:\/\/(www\.)?(discord|discordapp)\.com\/api\/webhooks\//.test(url)
export const isSlackUrl = (url: string) => /^https:\/\/hooks\.slack\.com\/services\//.test(url)
