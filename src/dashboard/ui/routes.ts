// Every screen with its path, navigation label and the permission that shows it.
import type { FunctionComponent } from 'preact'
import { Overview } from './screens/overview'
import { HostsList } from './screens/hosts-list'
import { HostDetail } from './screens/host-detail'
import { HostGroups } from './screens/host-groups'
import { Packages } from './screens/packages'
import { lazyScreen } from './components/lazy-screen'
import { Integrations } from './screens/integrations'
import { AlertChannels } from './screens/alert-channels'
import { NotificationLogs } from './screens/notification-logs'
import { Users } from './screens/users'
import { Profile } from './screens/profile'
import { ServerSettings } from './screens/server-settings'
import { DiscordSettings } from './screens/discord-settings'
import { OidcSettings } from './screens/oidc-settings'
import { AuditLog } from './screens/audit-log'
import { UserSessions } from './screens/user-sessions'
import { Docker } from './screens/docker'
import { Repositories } from './screens/repositories'
import { Vulnerabilities } from './screens/vulnerabilities'

export interface Route {
  path: string
  title: string
  screen: FunctionComponent<{ params: Record<string, string> }>
  /** Shown in the navigation under this heading; routes without one are reached by links. */
  section?: 'Fleet' | 'Alerts' | 'Settings'
  permission?: string
}

const PATCHING = lazyScreen(() => import('./screens/patching').then((m) => m.Patching))
const PATCH_RUN = lazyScreen(() => import('./screens/patch-run').then((m) => m.PatchRun))
const BULK_BATCH = lazyScreen(() => import('./screens/bulk-patch').then((m) => m.BulkBatchPage))

export const ROUTES: Route[] = [
  { path: '/', title: 'Overview', screen: Overview, section: 'Fleet', permission: 'can_view_dashboard' },
  { path: '/hosts', title: 'Hosts', screen: HostsList, section: 'Fleet', permission: 'can_view_hosts' },
  { path: '/hosts/:id', title: 'Host', screen: HostDetail, permission: 'can_view_hosts' },
  { path: '/host-groups', title: 'Host groups', screen: HostGroups, section: 'Fleet', permission: 'can_view_hosts' },
  { path: '/packages', title: 'Packages', screen: Packages, section: 'Fleet', permission: 'can_view_packages' },
  { path: '/packages/:id', title: 'Package', screen: Packages, permission: 'can_view_packages' },
  { path: '/repositories', title: 'Repositories', screen: Repositories, section: 'Fleet', permission: 'can_view_hosts' },
  { path: '/repositories/:id', title: 'Repository', screen: Repositories, permission: 'can_view_hosts' },
  { path: '/docker', title: 'Docker', screen: Docker, section: 'Fleet', permission: 'can_view_hosts' },
  { path: '/vulnerabilities', title: 'Vulnerabilities', screen: Vulnerabilities, section: 'Fleet', permission: 'can_view_packages' },
  // Reading patch runs needs only can_view_hosts (as upstream); actions check can_manage_patching.
  // Loaded on first use: most visits never open them.
  { path: '/patching', title: 'Patching', screen: PATCHING, section: 'Fleet', permission: 'can_view_hosts' },
  { path: '/patching/runs/:id', title: 'Patch run', screen: PATCH_RUN, permission: 'can_view_hosts' },
  { path: '/patching/bulk/:id', title: 'Bulk patch', screen: BULK_BATCH, permission: 'can_view_hosts' },
  {
    path: '/alerts/notification-logs',
    title: 'Notification Logs',
    screen: NotificationLogs,
    section: 'Alerts',
    permission: 'can_view_notification_logs'
  },
  {
    path: '/settings/alert-channels',
    title: 'Alert Channels',
    screen: AlertChannels,
    section: 'Settings',
    permission: 'can_manage_notifications'
  },
  { path: '/settings/integrations', title: 'Integrations', screen: Integrations, section: 'Settings', permission: 'can_manage_settings' },
  { path: '/settings/users', title: 'Users', screen: Users, section: 'Settings', permission: 'can_view_users' },
  { path: '/settings/users/:id/sessions', title: 'User sessions', screen: UserSessions, permission: 'can_manage_users' },
  { path: '/settings/audit-log', title: 'Audit Log', screen: AuditLog, section: 'Settings', permission: 'can_view_audit_log' },
  { path: '/settings/server', title: 'Server Config', screen: ServerSettings, section: 'Settings', permission: 'can_manage_settings' },
  {
    path: '/settings/discord-auth',
    title: 'Discord Auth',
    screen: DiscordSettings,
    section: 'Settings',
    permission: 'can_manage_settings'
  },
  { path: '/settings/oidc', title: 'OpenID Connect', screen: OidcSettings, section: 'Settings', permission: 'can_manage_settings' },
  { path: '/settings/profile', title: 'Profile', screen: Profile }
]
