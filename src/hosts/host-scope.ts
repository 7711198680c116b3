// The one place host-group scoping is enforced (issue 18 part 3; docs/access-control.md). Every
// query that reads or changes hosts, or rows that belong to a host, adds `inHostScope(<host id
// column>)` to its where clause; rows aimed at a host or a host group (holds, windows, schedules,
// policy assignments) add `targetInScope(...)`. The scope is the signed-in user's, computed once at
// authentication (http/request-host-scope.ts); outside a user's request (agents, timers) it is null
// and these conditions are always true. test/access/scoped-walk.test.ts walks every route as a
// limited user, so a query that forgets this shows up as a foreign host in some reply.
import { sql, type Expression, type SqlBool } from 'kysely'
import { currentHostScope, type HostScope } from '../http/request-host-scope.js'

export { currentHostScope, type HostScope }

const ALWAYS = sql<SqlBool>`1 = 1`
const NEVER = sql<SqlBool>`1 = 0`

/** The condition "this host id column names a host the current user may see". */
export function inHostScope(hostIdColumn: string, scope: HostScope = currentHostScope()): Expression<SqlBool> {
  if (scope === null) return ALWAYS
  if (scope.groupIds.length === 0) return NEVER
  return sql<SqlBool>`${sql.ref(hostIdColumn)} in (select host_id from host_group_memberships where host_group_id in (${sql.join(scope.groupIds)}))`
}

/** The condition "this host group id column names a group the current user may see". */
export function groupInScope(groupIdColumn: string, scope: HostScope = currentHostScope()): Expression<SqlBool> {
  if (scope === null) return ALWAYS
  if (scope.groupIds.length === 0) return NEVER
  return sql<SqlBool>`${sql.ref(groupIdColumn)} in (${sql.join(scope.groupIds)})`
}

/** For rows aimed at a host or a host group (`target_type` 'host' | 'host_group'). */
export function targetInScope(typeColumn: string, idColumn: string, scope: HostScope = currentHostScope()): Expression<SqlBool> {
  if (scope === null) return ALWAYS
  return sql<SqlBool>`((${sql.ref(typeColumn)} = 'host' and ${inHostScope(idColumn, scope)}) or (${sql.ref(typeColumn)} = 'host_group' and ${groupInScope(idColumn, scope)}))`
}

/** Whether the current user is limited to some host groups. */
export function isHostScoped(): boolean {
  return currentHostScope() !== null
}
