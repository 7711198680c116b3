// Resolve, check, then connect to the address that was checked. The connector resolves the host
// name once, checks EVERY address it resolved to against the outbound policy, and hands undici's
// own connector the first address instead of the name, so a DNS answer that changes between the
// check and the connection (DNS rebinding) cannot reach a blocked address. TLS still verifies the
// certificate against the name: undici takes the SNI server name from the original `host`.
import { lookup } from 'node:dns/promises'
import type buildConnector from 'undici/types/connector'
import { decideAddress, parseTargetAddress, TargetBlockedError, type TargetPolicy } from '../security/outbound-targets.js'

/** All addresses a name resolves to (tests pass a stub). */
export type Resolver = (hostname: string) => Promise<string[]>

export const systemResolver: Resolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address)

export interface PinnedTarget {
  address: string
  internal: boolean
}

/** Resolves and checks a host; throws TargetBlockedError when any address is not allowed. */
export async function resolveAllowed(hostname: string, policy: TargetPolicy, resolve: Resolver): Promise<PinnedTarget> {
  const host = hostname.replace(/^\[|\]$/g, '')
  const literal = parseTargetAddress(host)
  const addresses = literal ? [host] : await resolve(host)
  if (addresses.length === 0) throw new TargetBlockedError(host)
  let internal = false
  for (const address of addresses) {
    const decision = decideAddress(host, address, policy)
    if (!decision.allowed) throw new TargetBlockedError(host)
    internal ||= decision.internal
  }
  return { address: addresses[0] as string, internal }
}

export interface GuardOptions {
  base: buildConnector.connector
  policy: () => Promise<TargetPolicy>
  resolve: () => Resolver
  /** Told what each connection was pinned to (the caller keeps whether the host is internal). */
  onPinned: (hostname: string, target: PinnedTarget) => void
}

export function guardedConnector(options: GuardOptions): buildConnector.connector {
  return (connectOptions, callback) => {
    const hostname = connectOptions.hostname
    options
      .policy()
      .then((policy) => resolveAllowed(hostname, policy, options.resolve()))
      .then(
        (target) => {
          options.onPinned(hostname, target)
          options.base({ ...connectOptions, hostname: target.address }, callback)
        },
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), null)
      )
  }
}
