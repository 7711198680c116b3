// Error messages of custom roles and host-group scoping (issue 18 parts 2-3; src/users/role-*.ts,
// src/users/scope-*.ts, src/hosts/host-scope.ts): part of the one table, ERROR_MESSAGES in error-messages.ts.
import { entry } from './error-entry.js'

export const ACCESS_ERROR_MESSAGES = {
  access: {
    roleName: entry('Role name is required (letters, digits, _ and -; max 64 characters)', 400, 'validation'),
    permissions: entry('permissions must be a list of known permission names', 400, 'validation'),
    hostGroupIds: entry('host_group_ids must be null (every host) or a list of host group ids', 400, 'validation'),
    roleNotFound: entry('Role not found', 404),
    roleExists: entry('A role with this name already exists', 409),
    builtinRoleImmutable: entry('Cannot modify built-in role permissions', 400),
    roleInUse: entry('Role is in use', 409, 'error+message', 'Give its {count} user(s) another role before deleting it'),
    grantBeyondAuthor: entry(
      'Insufficient permissions',
      403,
      'error+message',
      'This grants permissions your role does not hold ({permissions})'
    ),
    scopeBeyondAuthor: entry('Insufficient permissions', 403, 'error+message', 'This grants access to hosts outside your own host groups'),
    scopedCannotCreateGroups: entry(
      'Insufficient permissions',
      403,
      'error+message',
      'A user limited to host groups cannot create host groups'
    ),
    scopedCannotCreateTokens: entry(
      'Insufficient permissions',
      403,
      'error+message',
      'A user limited to host groups cannot create integration or enrollment tokens'
    ),
    policyBeyondScope: entry(
      'Insufficient permissions',
      403,
      'error+message',
      'This policy also applies to hosts outside your host groups'
    ),
    scopedHostNeedsGroup: entry('Choose one of your host groups for the new host', 400)
  }
}
