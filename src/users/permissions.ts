// Permission flags and the built-in roles (facts: notifications-and-auth §C1).
export const PERMISSIONS = [
  'can_view_dashboard',
  'can_view_hosts',
  'can_manage_hosts',
  'can_view_packages',
  'can_manage_packages',
  'can_view_users',
  'can_manage_users',
  'can_manage_superusers',
  'can_view_reports',
  'can_export_data',
  'can_manage_settings',
  'can_manage_notifications',
  'can_view_notification_logs',
  'can_manage_patching',
  /** Read the audit log and export it (issue 18). */
  'can_view_audit_log'
] as const

export type Permission = (typeof PERMISSIONS)[number]

// Teaches the session guards (http/session-auth.ts) these names without http/ importing users/.
declare module '../http/session-auth.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merges the names in
  interface KnownPermissions extends Record<Permission, true> {}
}

const VIEWS: Permission[] = ['can_view_dashboard', 'can_view_hosts', 'can_view_packages', 'can_view_reports']

export const BUILTIN_ROLES: Record<string, { description: string; permissions: Permission[] }> = {
  superadmin: { description: 'Everything, including managing other superadmins', permissions: [...PERMISSIONS] },
  admin: { description: 'Everything except managing superadmins', permissions: PERMISSIONS.filter((p) => p !== 'can_manage_superusers') },
  host_manager: {
    description: 'Hosts, packages, patching, reports and notifications; no users or settings',
    permissions: [...VIEWS, 'can_manage_hosts', 'can_manage_packages', 'can_export_data', 'can_manage_notifications', 'can_manage_patching']
  },
  readonly: { description: 'View the dashboard, hosts, packages and reports', permissions: [...VIEWS] },
  user: { description: 'Views and exports', permissions: [...VIEWS, 'can_export_data'] }
}

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value)
}
