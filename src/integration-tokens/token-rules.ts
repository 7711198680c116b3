// The rules a credential's fields must follow, with the documented messages (facts:
// enrollment-and-scripts §2, integration-api §3). Pure functions: routes collect their issues and
// answer 400 {errors:[{msg,param,location}]}.
import type { ValidationIssue } from '../http/errors.js'
import { ERROR_MESSAGES } from '../http/error-messages.js'
import { invalidRanges } from '../security/ip-allow-list.js'

export const INTEGRATION_TYPES = ['proxmox-lxc', 'direct-host', 'api', 'gethomepage'] as const
export type IntegrationType = (typeof INTEGRATION_TYPES)[number]
export const DEFAULT_INTEGRATION_TYPE: IntegrationType = 'proxmox-lxc'

/**
 * Scope vocabulary: `get` and `delete` are enforced; put/patch/update are accepted without meaning.
 * `patching` (ours, issue 17): `get` reads patch runs (read-only; no action starts one).
 * `audit` (ours, issue 18): `get` reads the audit log.
 * `vulnerability` (ours, issue 20): `get` reads CVE exposure (fleet-wide and per host).
 */
export const SCOPE_RESOURCES = ['host', 'patching', 'audit', 'vulnerability'] as const
export const SCOPE_ACTIONS = ['get', 'put', 'patch', 'update', 'delete'] as const
/** The Ansible chapter says `host:read`; it is stored as `get`. */
const ACTION_ALIASES: Record<string, string> = { read: 'get' }

export type Scopes = Record<string, string[]>

const E = ERROR_MESSAGES.integrationTokens

const issue = (param: string, msg: string): ValidationIssue => ({ msg, param, location: 'body' })

export function integrationTypeOf(metadata: Record<string, unknown> | undefined): IntegrationType | undefined {
  const raw = metadata?.['integration_type']
  if (raw === undefined || raw === null || raw === '') return DEFAULT_INTEGRATION_TYPE
  return (INTEGRATION_TYPES as readonly unknown[]).includes(raw) ? (raw as IntegrationType) : undefined
}

/**
 * Normalises scopes ({resource: [actions]}): trims, maps `read` to `get`, drops duplicates.
 * Returns the issue instead when the shape or vocabulary is wrong or nothing is granted.
 */
export function normaliseScopes(raw: unknown): { scopes: Scopes } | { issue: ValidationIssue } {
  if (raw === undefined || raw === null) return { issue: issue('scopes', E.scopesRequired.message) }
  if (typeof raw !== 'object' || Array.isArray(raw)) return { issue: issue('scopes', E.scopesObject.message) }
  const scopes: Scopes = {}
  for (const [resource, actions] of Object.entries(raw as Record<string, unknown>)) {
    if (!Array.isArray(actions)) return { issue: issue('scopes', `Scopes for resource "${resource}" must be an array of actions`) }
    if (!actions.every((a) => typeof a === 'string')) return { issue: issue('scopes', E.actionsStrings.message) }
    if (!(SCOPE_RESOURCES as readonly string[]).includes(resource)) {
      return { issue: issue('scopes', `Unknown scope resource "${resource}" (known: ${SCOPE_RESOURCES.join(', ')})`) }
    }
    const normalised: string[] = []
    for (const action of actions as string[]) {
      const trimmed = action.trim().toLowerCase()
      const canonical = ACTION_ALIASES[trimmed] ?? trimmed
      if (!(SCOPE_ACTIONS as readonly string[]).includes(canonical)) {
        return { issue: issue('scopes', `Unknown action "${action}" for resource "${resource}" (known: ${SCOPE_ACTIONS.join(', ')})`) }
      }
      if (!normalised.includes(canonical)) normalised.push(canonical)
    }
    if (normalised.length > 0) scopes[resource] = normalised
  }
  if (Object.keys(scopes).length === 0) return { issue: issue('scopes', E.scopesRequired.message) }
  return { scopes }
}

const DATETIME_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/

/**
 * An expiry as ISO-8601 UTC. Accepts RFC 3339, a bare date, and the dashboard's `datetime-local`
 * form (`YYYY-MM-DDTHH:MM`, read as UTC). Null/"" clear it. Undefined when unparseable.
 */
export function parseExpiry(raw: string | null): string | null | undefined {
  if (raw === null || raw.trim() === '') return null
  const value = raw.trim()
  let candidate: string
  if (RFC3339.test(value)) candidate = value
  else if (DATETIME_LOCAL.test(value)) candidate = `${value}Z`
  else if (DATE_ONLY.test(value)) candidate = `${value}T00:00:00Z`
  else return undefined
  const ms = Date.parse(candidate)
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString()
}

export function ipRangeIssues(ranges: readonly string[]): ValidationIssue[] {
  return invalidRanges(ranges).map((bad) => issue('allowed_ip_ranges', `Invalid IP address or CIDR range: ${bad}`))
}
