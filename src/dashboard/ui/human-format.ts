// Numbers and identifiers as people read them: sizes with one decimal and a unit, counts with
// thousands separators, and labels instead of raw keys (`can_*` permissions, event names).
import { EVENT_TYPES } from './notification-types'

/** A size the agent reports in GiB (e.g. 23.540576934814453) as `23.5 GiB` (or MiB/TiB). */
export function formatGiB(value: unknown): string {
  const gib = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
  if (!Number.isFinite(gib)) return '—'
  if (gib >= 1024) return `${(gib / 1024).toLocaleString(undefined, { maximumFractionDigits: 1 })} TiB`
  if (gib > 0 && gib < 1) return `${Math.round(gib * 1024).toLocaleString()} MiB`
  return `${gib.toLocaleString(undefined, { maximumFractionDigits: 1 })} GiB`
}

/** Seconds of uptime as `3 d 4 h` / `5 h 12 min`; text the agent already formatted passes through. */
export function formatUptime(value: unknown): string {
  const seconds = typeof value === 'number' ? value : /^\d+(\.\d+)?$/.test(String(value ?? '')) ? Number(value) : NaN
  if (!Number.isFinite(seconds)) return value === null || value === undefined || value === '' ? '—' : String(value)
  const d = Math.floor(seconds / 86400)
  const h = Math.floor((seconds % 86400) / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  if (d > 0) return `${d} d ${h} h`
  if (h > 0) return `${h} h ${m} min`
  return `${m} min`
}

const PERMISSION_LABELS: Record<string, string> = {
  can_view_dashboard: 'View the overview',
  can_view_hosts: 'View hosts',
  can_manage_hosts: 'Manage hosts',
  can_view_packages: 'View packages',
  can_manage_packages: 'Manage packages',
  can_view_users: 'View users',
  can_manage_users: 'Manage users',
  can_manage_superusers: 'Manage superadmins',
  can_view_reports: 'View reports',
  can_export_data: 'Export data',
  can_manage_settings: 'Manage settings',
  can_manage_notifications: 'Manage alert channels',
  can_view_notification_logs: 'View notification logs',
  can_manage_patching: 'Run and approve patches',
  can_view_audit_log: 'View the audit log'
}

/** Every permission a role can hold, in the order the role form lists them. */
export const PERMISSION_KEYS = Object.keys(PERMISSION_LABELS)

/** `can_manage_hosts` → `Manage hosts`; a key not in the list still reads as words. */
export function permissionLabel(key: string): string {
  const known = PERMISSION_LABELS[key]
  if (known) return known
  const words = key.replace(/^can_/, '').replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

const EVENT_LABELS = new Map(EVENT_TYPES)

/** `host_went_down` → `Host went down`; `*` → `All events`. */
export function eventLabel(key: string): string {
  if (key === '*') return 'All events'
  const known = EVENT_LABELS.get(key)
  if (known) return known
  const words = key.replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** Bytes in the largest unit that keeps the number at or above 1 (decimal units, as Docker shows them). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`
}
