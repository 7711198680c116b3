// Provider groups → PatchMon role. The mapping is a list of { claim value, role }, first match wins,
// so an admin orders it from the most to the least privileged. The claim may be a dotted path
// (Keycloak puts realm roles in `realm_access.roles`) holding a string array or a single string.

import type { RoleMappingEntry } from '../config/setting.js'

export type { RoleMappingEntry }

/** The values of the group claim, or undefined when the claims do not carry it. */
export function groupsOf(claims: Record<string, unknown>, claimName: string): string[] | undefined {
  let value: unknown = claims
  for (const part of claimName.split('.')) {
    if (typeof value !== 'object' || value === null || !(part in value)) return undefined
    value = (value as Record<string, unknown>)[part]
  }
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string')
  return undefined
}

export function mappedRole(groups: readonly string[], mapping: readonly RoleMappingEntry[]): string | undefined {
  return mapping.find((entry) => groups.includes(entry.claim))?.role
}
