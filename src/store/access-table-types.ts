// Access control's tables (migration 0018): host-group limits of users and roles.
import type { Generated } from 'kysely'
import type { Flag } from './flag.js'

export interface UserHostGroupsTable {
  user_id: string
  host_group_id: string
}

export interface RoleHostGroupsTable {
  role_name: string
  host_group_id: string
}

export interface AccessTables {
  user_host_groups: UserHostGroupsTable
  role_host_groups: RoleHostGroupsTable
}

/** 1 = limited to the rows of user_host_groups / role_host_groups (possibly none left). */
export type HostScopedFlag = Generated<Flag>
