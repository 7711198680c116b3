// Which feed distribution and release a host is, from what its agent reports: os-release NAME in
// hosts.os_type ("Debian GNU/Linux", "Ubuntu", "Rocky Linux", ...) and VERSION in hosts.os_version
// ("12 (bookworm)", "22.04.3 LTS (Jammy Jellyfish)", "9.4 (Blue Onyx)", "3.20.3", "15.5").
import type { Distro } from './feed-advisory.js'

export interface HostDistro {
  distro: Distro
  /** The release as feeds key it (feed-advisory.ts FeedAffected.release); null for rolling distributions. */
  release: string | null
}

/** NAME patterns, most specific first ("Red Hat" before any generic match). */
const FAMILIES: [RegExp, Distro][] = [
  [/ubuntu/i, 'ubuntu'],
  [/debian/i, 'debian'],
  [/alpine/i, 'alpine'],
  [/suse/i, 'opensuse'],
  [/arch/i, 'arch'],
  [/rocky|alma|red hat|rhel|centos|oracle/i, 'rhel']
]

/** How many numeric parts of VERSION name a release: Debian 12, RHEL 9; Ubuntu 22.04, Alpine 3.20, Leap 15.5. */
const RELEASE_PARTS: Record<Distro, number> = { debian: 1, rhel: 1, ubuntu: 2, alpine: 2, opensuse: 2, arch: 0 }

export function hostDistro(osType: string | null, osVersion: string | null): HostDistro | null {
  if (!osType) return null
  const family = FAMILIES.find(([pattern]) => pattern.test(osType))
  if (!family) return null
  const distro = family[1]
  const parts = RELEASE_PARTS[distro]
  if (parts === 0) return { distro, release: null }
  const numbers = /^\s*(\d+(?:\.\d+)*)/.exec(osVersion ?? '')?.[1]?.split('.')
  if (!numbers || numbers.length < parts) return null
  return { distro, release: numbers.slice(0, parts).join('.') }
}

/**
 * The name a feed would use for a reported package. dnf/yum report `name.arch` (agent-protocol.md);
 * feeds name the package without the architecture.
 */
export function feedPackageName(distro: Distro, reportedName: string): string {
  if (distro !== 'rhel' && distro !== 'opensuse') return reportedName
  return reportedName.replace(/\.(x86_64|aarch64|i686|noarch|ppc64le|s390x|armv7hl|src)$/, '')
}
