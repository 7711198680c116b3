// IP allow-lists of integration and enrollment credentials: single addresses or CIDR ranges,
// IPv4 or IPv6. An IPv4-mapped IPv6 client (::ffff:192.0.2.1, what a dual-stack socket reports)
// is matched as the IPv4 address it carries.
import ipaddr from 'ipaddr.js'

type Parsed = ipaddr.IPv4 | ipaddr.IPv6
type Range = [Parsed, number]

/** Normalises an address; IPv4-mapped IPv6 becomes IPv4. */
function parseAddress(raw: string): Parsed | undefined {
  const trimmed = raw.trim().replace(/^\[|\]$/g, '')
  if (!ipaddr.isValid(trimmed)) return undefined
  const addr = ipaddr.parse(trimmed)
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) return (addr as ipaddr.IPv6).toIPv4Address()
  return addr
}

/** Parses one allow-list entry; undefined when it is neither an address nor a CIDR range. */
export function parseRange(entry: string): Range | undefined {
  const value = entry.trim()
  if (value === '') return undefined
  if (value.includes('/')) {
    try {
      const [addr, bits] = ipaddr.parseCIDR(value)
      if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
        return [(addr as ipaddr.IPv6).toIPv4Address(), bits - 96]
      }
      return [addr, bits]
    } catch {
      return undefined
    }
  }
  const addr = parseAddress(value)
  if (!addr) return undefined
  return [addr, addr.kind() === 'ipv4' ? 32 : 128]
}

/** Entries that are not valid addresses or ranges (empty result = the list is valid). */
export function invalidRanges(entries: readonly string[]): string[] {
  return entries.filter((e) => typeof e !== 'string' || parseRange(e) === undefined)
}

/** True when the list is empty (no restriction) or the client address falls in one entry. */
export function ipAllowed(clientIp: string, entries: readonly string[]): boolean {
  if (entries.length === 0) return true
  const client = parseAddress(clientIp)
  if (!client) return false
  for (const entry of entries) {
    const range = parseRange(entry)
    if (!range) continue
    const [net, bits] = range
    if (net instanceof ipaddr.IPv4 && client instanceof ipaddr.IPv4 && client.match(net, bits)) return true
    if (net instanceof ipaddr.IPv6 && client instanceof ipaddr.IPv6 && client.match(net, bits)) return true
  }
  return false
}
