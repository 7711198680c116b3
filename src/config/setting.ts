// What one setting is (where it is read from, how its raw text is checked, its default and help
// line) and the parsers that turn raw text into values. The table of settings is in src/config.ts.
import { invalidTargets, parseTargetList } from '../security/outbound-targets.js'

export class ConfigError extends Error {}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

/** `false` = use the socket address; otherwise what Fastify's `trustProxy` accepts. */
export type TrustProxy = boolean | number | string[]

export type Source = Record<string, string | undefined>

/** What a computed default may look at: the data folder is resolved first, the rest may depend on it. */
export interface DefaultContext {
  env: Source
  cwd: string
  dataDir: string
}

/** One setting: where it is read from, how it is checked, what it is when unset, and its help line. */
export class Setting<T> {
  readonly env: string
  readonly flag: string | undefined
  readonly describe: string
  /** Turns the raw text into the value, or throws an Error whose message completes "Invalid <setting>: ". */
  readonly parse: (raw: string, cwd: string) => T
  /** A plain value (shown in the packaged env file), or computed at load time (generated secrets, paths). */
  readonly default: T | ((at: DefaultContext) => T)
  /** Shown in the packaged env file instead of the default, for settings whose default is "unset". */
  readonly example: string | undefined

  constructor(spec: {
    env: string
    flag?: string
    describe: string
    parse: (raw: string, cwd: string) => T
    default: T | ((at: DefaultContext) => T)
    example?: string
  }) {
    this.env = spec.env
    this.flag = spec.flag
    this.describe = spec.describe
    this.parse = spec.parse
    this.default = spec.default
    this.example = spec.example
  }

  defaultAt(at: DefaultContext): T {
    return typeof this.default === 'function' ? (this.default as (at: DefaultContext) => T)(at) : this.default
  }

  /** The default as the env file writes it; empty when it is computed or unset. */
  shownDefault(): string {
    if (this.example !== undefined) return this.example
    const d: unknown = this.default
    if (typeof d === 'string' || typeof d === 'number' || typeof d === 'boolean') return String(d)
    if (Array.isArray(d)) return d.join(',')
    return ''
  }
}

export const int =
  (min: number, max: number) =>
  (raw: string): number => {
    if (!/^-?\d+$/.test(raw.trim())) throw new Error(`must be an integer between ${min} and ${max}`)
    const n = Number(raw)
    if (n < min || n > max) throw new Error(`must be an integer between ${min} and ${max}`)
    return n
  }

export const nonEmpty = (raw: string): string => {
  if (raw.trim() === '') throw new Error('must not be empty')
  return raw
}

export const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/** An absolute http(s) URL without a query string or fragment. */
function httpUrl(raw: string): URL {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    throw new Error('must be an absolute http:// or https:// URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('must start with http:// or https://')
  if (url.search || url.hash) throw new Error('must not contain a query string or fragment')
  return url
}

export function parseServerUrl(raw: string): string {
  const url = httpUrl(raw)
  // Agents join paths by string concatenation, so a trailing slash would give them `//api/v1`.
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '')
}

/**
 * An OpenID issuer URL, kept exactly as written (trimmed): discovery compares it with the issuer the
 * provider announces, and some providers' issuers end in "/" (Authentik) while others do not.
 */
export function parseIssuerUrl(raw: string): string {
  httpUrl(raw)
  return raw.trim()
}

export function parseTrustProxy(raw: string): TrustProxy {
  const v = raw.trim().toLowerCase()
  if (['', 'false', '0', 'off', 'no'].includes(v)) return false
  if (['true', 'on', 'yes'].includes(v)) return true
  if (/^\d+$/.test(v)) return Number(v) // number of proxy hops to trust
  // Comma-separated addresses/CIDRs of the proxies allowed to set X-Forwarded-For.
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}

export function parseDuration(raw: string): string {
  if (!/^\d+\s*[smhd]$/.test(raw.trim())) throw new Error('must look like 30m, 8h or 7d')
  return raw.trim().replace(/\s+/g, '')
}

export function parseBoolean(raw: string): boolean {
  const v = raw.trim().toLowerCase()
  if (['true', '1', 'yes', 'on'].includes(v)) return true
  if (['false', '0', 'no', 'off'].includes(v)) return false
  throw new Error('must be true or false')
}

export function parseAllowedTargets(raw: string): string[] {
  const entries = parseTargetList(raw)
  const invalid = invalidTargets(entries)
  if (invalid.length > 0) throw new Error(`not a host name, address or CIDR range: ${invalid.slice(0, 3).join(', ')}`)
  return entries
}

export const interval = int(1000, 86_400_000)
export const count = int(1, 10_000_000)

/** One row of the OIDC group → role mapping (src/oidc/role-mapping.ts applies it). */
export interface RoleMappingEntry {
  claim: string
  role: string
}

/** OIDC_ROLE_MAPPING: `group=role` pairs separated by commas (a group name may itself hold "="). */
export function parseRoleMapping(text: string): RoleMappingEntry[] {
  return text
    .split(',')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '')
    .map((pair) => {
      const at = pair.lastIndexOf('=')
      if (at <= 0 || at === pair.length - 1) throw new Error(`"${pair}" is not group=role`)
      return { claim: pair.slice(0, at).trim(), role: pair.slice(at + 1).trim() }
    })
}
