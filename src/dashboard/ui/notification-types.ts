// Alert destinations, routing rules and scheduled reports as /api/v1/notifications/* returns them:
// the server's response schemas, imported as types only (the bundle gains no server code).
import type { Static } from 'typebox'
import type { DestinationView, RouteView } from '../../notifications/notification-schemas.js'
import type { ReportView } from '../../reports/report-schemas.js'
import type { Frequency } from '../../reports/schedule.js'

export type Destination = Static<typeof DestinationView>

export type RoutingRule = Static<typeof RouteView>

/** ReportView sends the frequency as plain text; it is always one the server accepted (Frequency). */
export type ScheduledReport = Omit<Static<typeof ReportView>, 'frequency'> & { frequency: Frequency }

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
  ['user_role_changed', 'User role changed'],
  ['patch_run_started', 'Patch run started'],
  ['patch_run_completed', 'Patch run completed'],
  ['patch_run_failed', 'Patch run failed'],
  ['patch_run_approved', 'Patch run approved'],
  ['patch_run_cancelled', 'Patch run cancelled'],
  ['patch_window_upcoming', 'Patch schedule upcoming'],
  ['known_exploited_vulnerability', 'Known exploited vulnerability']
]

export const SEVERITIES = ['informational', 'warning', 'error', 'critical'] as const

export const REPORT_SECTIONS: Array<[string, string]> = [
  ['open_alerts', 'Open alerts'],
  ['hosts_by_updates', 'Hosts by outstanding updates'],
  ['top_security_packages', 'Top outdated security packages'],
  ['top_cves', 'CVEs exposing the most hosts']
]

export const isDiscordUrl = (url: string) => /^https:\/\/(www\.)?(discord|discordapp)\.com\/api\/webhooks\//.test(url)
export const isSlackUrl = (url: string) => /^https:\/\/hooks\.slack\.com\/services\//.test(url)
