// Which addresses a notification may be sent to (SSRF defence). A destination URL is typed by a
// user with can_manage_notifications, and the server sits inside the operator's network: without
// a policy it could be made to POST to the cloud metadata service (169.254.169.254), to services
// bound to loopback, or across the LAN, and to show their replies back.
//
// Default: public unicast addresses only. The operator widens it with an allow-list of host names,
// addresses and CIDR ranges, and with one switch for homelab LAN targets (a local ntfy or Gotify):
// private IPv4 ranges, IPv6 unique-local and carrier-grade NAT (Tailscale). Loopback, link-local
// (metadata) and the other special ranges stay blocked unless allow-listed one by one.
import ipaddr from 'ipaddr.js'
import { parseRange, ipAllowed } from './ip-allow-list.js'

export interface TargetPolicy {
  /** Private IPv4 ranges, IPv6 unique-local and 100.64/10 (PATCHMON_NOTIFY_ALLOW_PRIVATE_NETWORKS). */
  allowPrivateNetworks: boolean
  /** Host names (`ntfy.lan`, `.home.arpa` for a suffix), addresses and CIDR ranges always allowed. */
  allowedTargets: string[]
}

export const PUBLIC_ONLY: TargetPolicy = { allowPrivateNetworks: false, allowedTargets: [] }

/** public: the internet; lan: private ranges; internal: loopback, link-local, special ranges. */
export type AddressClass = 'public' | 'lan' | 'internal'

const LAN_RANGES = new Set(['private', 'uniqueLocal', 'carrierGradeNat'])

/** Normalises an address (brackets, IPv4-mapped IPv6 to IPv4); undefined when it is not one. */
export function parseTargetAddress(raw: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const value = raw.replace(/^\[|\]$/g, '')
  if (!ipaddr.isValid(value)) return undefined
  const addr = ipaddr.parse(value)
  if (addr instanceof ipaddr.IPv6 && addr.isIPv4MappedAddress()) return addr.toIPv4Address()
  return addr
}

export function classifyAddress(raw: string): AddressClass {
  const addr = parseTargetAddress(raw)
  if (!addr) return 'internal'
  const range = addr.range()
  // NAT64, 6to4 and Teredo addresses carry an IPv4 address that may be internal: never "public".
  if (range === 'unicast') return 'public'
  return LAN_RANGES.has(range) ? 'lan' : 'internal'
}

function normaliseHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
}

/** True when the host name itself is on the allow-list (exactly, or under a `.suffix` entry). */
export function hostAllowListed(host: string, policy: TargetPolicy): boolean {
  const name = normaliseHost(host)
  return policy.allowedTargets.some((entry) => {
    const e = normaliseHost(entry.trim())
    if (e === '' || parseRange(e)) return false
    return e.startsWith('.') ? name.endsWith(e) : name === e
  })
}

function addressAllowListed(address: string, policy: TargetPolicy): boolean {
  const ranges = policy.allowedTargets.filter((entry) => parseRange(entry) !== undefined)
  // ipAllowed treats an empty list as "no restriction"; here an empty list allows nothing.
  return ranges.length > 0 && ipAllowed(address, ranges)
}

export interface TargetDecision {
  allowed: boolean
  /** Not a public address: its replies are never shown back or logged. */
  internal: boolean
}

/** The decision for one address that `host` resolved to (or that `host` is). */
export function decideAddress(host: string, address: string, policy: TargetPolicy): TargetDecision {
  const kind = classifyAddress(address)
  if (kind === 'public') return { allowed: true, internal: false }
  const allowed = (kind === 'lan' && policy.allowPrivateNetworks) || hostAllowListed(host, policy) || addressAllowListed(address, policy)
  return { allowed, internal: true }
}

/** Entries that are neither host names nor addresses/CIDR ranges (empty = valid list). */
export function invalidTargets(entries: readonly string[]): string[] {
  const hostName = /^\.?(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i
  return entries.filter((entry) => parseRange(entry) === undefined && !hostName.test(entry.trim()))
}

/** Comma- or space-separated list (env var) to entries. */
export function parseTargetList(raw: string): string[] {
  return raw
    .split(/[\s,]+/)
    .map((e) => e.trim())
    .filter(Boolean)
}

export class TargetBlockedError extends Error {
  readonly code = 'PATCHMON_TARGET_BLOCKED'

  constructor(host: string) {
    super(
      `destination ${normaliseHost(host)} is a loopback, link-local or private address, which the outbound policy blocks (allow it with PATCHMON_NOTIFY_ALLOWED_TARGETS or the notify_allowed_targets setting)`
    )
    this.name = 'TargetBlockedError'
  }
}
