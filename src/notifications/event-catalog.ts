// Every event a routing rule can name, with its severity and how it reads as a notice. The spec's
// names are canonical; upstream's names are accepted as aliases when rules are written.
import type { AppEventMap, Severity } from '../events/app-events.js'
import type { AlertNotice, NoticeField } from './notice.js'
import { PATCH_RUN_RENDERERS } from './patch-run-notices.js'

export type NotifiableEvent =
  | Exclude<keyof AppEventMap, 'settings_changed' | 'host_credentials_regenerated' | 'host_report_ingested' | 'host_packages_changed'>
  | 'test'

export const EVENT_ALIASES: Record<string, NotifiableEvent> = {
  host_down: 'host_went_down',
  host_recovered: 'host_came_up',
  host_security_updates_exceeded: 'security_updates_available'
}

export interface RenderedEvent {
  severity: Severity
  title: string
  message: string
  fields: NoticeField[]
  hostId?: string
  referenceId?: string
}

type Renderers = { [K in Exclude<NotifiableEvent, 'test'>]: (p: AppEventMap[K]) => RenderedEvent }

const field = (name: string, value: string | number | null | undefined, inline = true): NoticeField => ({
  name,
  value: value === null || value === undefined || value === '' ? '-' : String(value),
  inline
})

const RENDERERS: Renderers = {
  host_went_down: (p) => ({
    severity: 'error',
    title: `Host Down: ${p.hostName}`,
    message: `The PatchMon agent on ${p.hostName} has not reported for longer than the expected ${Math.round(p.thresholdSeconds / 60)} minutes (update interval plus grace period). Last report: ${p.lastUpdate ?? 'never'}.`,
    fields: [
      field('Host', p.hostName),
      field('Last seen', p.lastUpdate ?? 'never'),
      field('Threshold', `${Math.round(p.thresholdSeconds / 60)} min`)
    ],
    hostId: p.hostId
  }),
  host_came_up: (p) => ({
    severity: 'informational',
    title: `Host Up: ${p.hostName}`,
    message: `The PatchMon agent on ${p.hostName} is reporting again.`,
    fields: [field('Host', p.hostName), field('Status', 'up'), field('Down since', p.downSince ?? 'unknown')],
    hostId: p.hostId
  }),
  container_stopped: (p) => ({
    severity: 'warning',
    title: `Container Stopped: ${p.container} on ${p.hostName}`,
    message: `Container ${p.container} (${p.image}) on ${p.hostName} changed from ${p.oldStatus} to ${p.newStatus}.`,
    fields: [
      field('Host', p.hostName),
      field('Container', p.container),
      field('Image', p.image),
      field('Old status', p.oldStatus),
      field('New status', p.newStatus)
    ],
    hostId: p.hostId
  }),
  security_updates_available: (p) => ({
    severity: 'warning',
    title: `Security Updates Available: ${p.hostName}`,
    message: `${p.hostName} has ${p.securityCount} security update${p.securityCount === 1 ? '' : 's'} outstanding (was ${p.previousCount}).`,
    fields: [
      field('Host', p.hostName),
      field('Security updates', p.securityCount),
      field('Previously', p.previousCount),
      field('Packages', p.packages.slice(0, 20).join(', ') + (p.packages.length > 20 ? ` and ${p.packages.length - 20} more` : ''), false)
    ],
    hostId: p.hostId
  }),
  user_tfa_disabled: (p) => ({
    severity: 'warning',
    title: `Two-Factor Authentication Disabled: ${p.username}`,
    message: `Two-factor authentication was turned off for user ${p.username}.`,
    fields: [field('User', p.username)],
    referenceId: p.userId
  }),
  account_locked: (p) => ({
    severity: 'warning',
    title: `Account Locked: ${p.username}`,
    message: `Sign-in for ${p.username} is locked after ${p.failures} failed attempts from ${p.ip}, until ${p.lockedUntil}.`,
    fields: [
      field('User', p.username),
      field('IP address', p.ip),
      field('Failed attempts', p.failures),
      field('Locked until', p.lockedUntil)
    ]
  }),
  user_role_changed: (p) => ({
    severity: 'informational',
    title: `User Role Changed: ${p.username}`,
    message: `The role of ${p.username} changed from ${p.oldRole} to ${p.newRole}.`,
    fields: [field('User', p.username), field('Old role', p.oldRole), field('New role', p.newRole)],
    referenceId: p.userId
  }),
  host_enrolled: (p) => ({
    severity: 'informational',
    title: `Host Enrolled: ${p.hostName}`,
    message: `${p.hostName} was enrolled with token ${p.tokenName}.`,
    fields: [field('Host', p.hostName), field('Token', p.tokenName)],
    hostId: p.hostId
  }),
  host_deleted: (p) => ({
    severity: 'informational',
    title: `Host Deleted: ${p.hostName}`,
    message: `${p.hostName} was deleted from PatchMon.`,
    fields: [field('Host', p.hostName)],
    referenceId: p.hostId
  }),
  patch_window_upcoming: (p) => ({
    severity: 'informational',
    title: `Patching Soon: ${p.scheduleName}`,
    message: `Patch schedule ${p.scheduleName} runs on ${p.targetType === 'host' ? 'host' : 'host group'} ${p.targetName} in ${p.minutesBefore} minutes (${p.runAt}).`,
    fields: [
      field(p.targetType === 'host' ? 'Host' : 'Host group', p.targetName),
      field('Runs at', p.runAt),
      field('Updates', p.scope === 'security' ? 'security only' : p.scope === 'all' ? 'all' : 'listed packages')
    ],
    ...(p.hostId ? { hostId: p.hostId } : { referenceId: p.scheduleId })
  }),
  known_exploited_vulnerability: (p) => ({
    severity: 'critical',
    title: `Known Exploited Vulnerability: ${p.cveId} on ${p.hostName}`,
    message: `${p.hostName} runs ${p.packageName} ${p.installedVersion}, affected by ${p.cveId}${p.vulnerabilityName ? ` (${p.vulnerabilityName})` : ''}, which CISA lists as exploited in the wild since ${p.dateAdded}. ${p.fixedVersion ? `Fixed in ${p.fixedVersion}.` : 'No fix is known yet.'}`,
    fields: [
      field('Host', p.hostName),
      field('CVE', p.cveId),
      field('Package', p.packageName),
      field('Installed', p.installedVersion),
      field('Fixed in', p.fixedVersion ?? 'no fix yet')
    ],
    hostId: p.hostId
  }),
  ...PATCH_RUN_RENDERERS
}

export const NOTIFIABLE_EVENTS = [...Object.keys(RENDERERS), 'test'] as NotifiableEvent[]

/** Canonical event name for a rule's input (spec name, upstream alias or "*"), or undefined. */
export function canonicalEventName(name: string): NotifiableEvent | '*' | undefined {
  if (name === '*') return '*'
  if ((NOTIFIABLE_EVENTS as string[]).includes(name)) return name as NotifiableEvent
  return EVENT_ALIASES[name]
}

export function renderEvent<K extends Exclude<NotifiableEvent, 'test'>>(name: K, payload: AppEventMap[K]): RenderedEvent {
  return (RENDERERS[name] as (p: AppEventMap[K]) => RenderedEvent)(payload)
}

export function alertNotice(eventType: NotifiableEvent, rendered: RenderedEvent, now: Date, serverUrl: string | null): AlertNotice {
  const hostLink = rendered.hostId && serverUrl ? `${serverUrl.replace(/\/+$/, '')}/hosts/${rendered.hostId}` : undefined
  return {
    kind: 'alert',
    eventType,
    severity: rendered.severity,
    title: rendered.title,
    message: rendered.message,
    fields: rendered.fields,
    ...(hostLink ? { link: hostLink } : {}),
    timestamp: now.toISOString()
  }
}

export const TEST_EVENT: RenderedEvent = {
  severity: 'informational',
  title: 'PatchMon test notification',
  message: 'This is a test message from PatchMon notification settings.',
  fields: []
}
