// What a provider sends: an alert (one event) or a scheduled report. Stored as JSON in the
// delivery log so a delivery can be attempted again after a restart exactly as first rendered.
import type { Severity } from '../events/app-events.js'

export interface NoticeField {
  name: string
  value: string
  inline?: boolean
}

export interface AlertNotice {
  kind: 'alert'
  eventType: string
  severity: Severity
  title: string
  message: string
  fields: NoticeField[]
  /** Link into the dashboard, when the server URL is known. */
  link?: string
  timestamp: string
}

export interface ReportNotice {
  kind: 'report'
  subject: string
  html: string
  /** Plain-text rendering (ntfy, Gotify, Slack, e-mail text part). */
  text: string
  csv?: { filename: string; content: string }
  timestamp: string
}

export type Notice = AlertNotice | ReportNotice

export const SEVERITY_RANK: Record<Severity, number> = { informational: 1, warning: 2, error: 3, critical: 4 }
export const SEVERITIES = Object.keys(SEVERITY_RANK) as Severity[]

export function severityRank(severity: string): number {
  return SEVERITY_RANK[severity as Severity] ?? 1
}

export function noticeTitle(notice: Notice): string {
  return notice.kind === 'alert' ? notice.title : notice.subject
}

export function noticeSeverity(notice: Notice): Severity {
  return notice.kind === 'alert' ? notice.severity : 'informational'
}
