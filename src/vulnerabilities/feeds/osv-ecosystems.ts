// Which OSV ecosystems we serve, and the (distro, release) each one means. The ecosystem strings are those of
// the OSV schema's ecosystem list; the release is what hosts put in os_version (see FeedAffected.release):
//
//   Debian:12                                   -> debian 12          (source package names)
//   Ubuntu:22.04:LTS, Ubuntu:24.10              -> ubuntu 22.04, 24.10 (source package names)
//   Ubuntu:Pro:18.04:LTS                        -> ubuntu 18.04, marked `pro` (ESM fixes; see osv-entry.ts)
//   Alpine:v3.19                                -> alpine 3.19        (source package names)
//   Rocky Linux:9, AlmaLinux:9                  -> rhel 9             (source RPM names)
//   Red Hat:enterprise_linux:9::appstream       -> rhel 9             (RPM names)
//   openSUSE:Leap 15.5, openSUSE:Leap Micro 5.5 -> opensuse 15.5, 5.5 (source RPM names)
//   openSUSE:Tumbleweed                         -> opensuse, every release (rolling)
//   SUSE:Linux Enterprise Server 15 SP5         -> opensuse 15.5 (what SLES 15 SP5 has as VERSION_ID)
//
// Not served (counted by the readers, never emitted): every language ecosystem (npm, PyPI, ...), a bare
// "Debian" or "Red Hat" with no release, Debian/Alpine releases that are not numbers (sid, edge), Ubuntu's
// FIPS streams (Ubuntu:Pro:FIPS...:22.04:LTS: a separate kernel and library set), and Red Hat's extended
// update streams (rhel_eus, rhel_aus, rhel_e4s, rhel_tus: fixes on a minor-release branch whose versions
// differ from the main stream, so mixing them into "rhel 9" would misplace the fix).
import type { Distro } from '../feed-advisory.js'

export interface ServedEcosystem {
  distro: Distro
  release: string | null
  nameKind: 'source' | 'binary'
  /** Ubuntu Pro (ESM): the fix ships only to hosts attached to Ubuntu Pro. */
  pro: boolean
}

const served = (distro: Distro, release: string | null, nameKind: 'source' | 'binary', pro = false): ServedEcosystem => ({
  distro,
  release,
  nameKind,
  pro
})

/** "9", "9.4" -> "9": the RHEL family groups hosts by major release. */
function rhelMajor(version: string | undefined): string | null {
  return version !== undefined && /^\d+(\.\d+)*$/.test(version) ? version.split('.')[0]! : null
}

function ubuntu(rest: string[]): ServedEcosystem | null {
  const pro = rest[0] === 'Pro'
  const [release, lts, ...extra] = pro ? rest.slice(1) : rest
  if (release === undefined || !/^\d{2}\.\d{2}$/.test(release)) return null
  if (extra.length > 0 || (lts !== undefined && lts !== 'LTS')) return null
  return served('ubuntu', release, 'source', pro)
}

function redHat(rest: string[]): ServedEcosystem | null {
  const [product, version] = rest
  if (product !== 'enterprise_linux') return null
  const major = rhelMajor(version)
  return major === null ? null : served('rhel', major, 'binary')
}

/** "Linux Enterprise Server 15 SP5" -> "15.5", "Leap 15.5" -> "15.5", "Linux Enterprise Server 15" -> "15". */
function suseRelease(product: string): string | null {
  const servicePack = /\s(\d+) SP(\d+)(?:\s|$)/.exec(product)
  if (servicePack) return `${servicePack[1]}.${servicePack[2]}`
  const dotted = /\s(\d+\.\d+)(?:\s|$)/.exec(product)
  if (dotted) return dotted[1]!
  const major = /\s(\d+)$/.exec(product)
  return major ? major[1]! : null
}

function suse(product: string | undefined): ServedEcosystem | null {
  if (product === undefined) return null
  if (/^Tumbleweed\b/.test(product)) return served('opensuse', null, 'source')
  const release = suseRelease(` ${product}`)
  return release === null ? null : served('opensuse', release, 'source')
}

/** The distribution and release an OSV `affected[].package.ecosystem` string stands for, or null if we do not serve it. */
export function servedEcosystem(ecosystem: string): ServedEcosystem | null {
  const [family, ...rest] = ecosystem.split(':')
  const release = rest.join(':')
  switch (family) {
    case 'Debian':
      return /^\d+$/.test(release) ? served('debian', release, 'source') : null
    case 'Ubuntu':
      return ubuntu(rest)
    case 'Alpine':
      return /^v\d+\.\d+$/.test(release) ? served('alpine', release.slice(1), 'source') : null
    case 'Rocky Linux':
    case 'AlmaLinux': {
      const major = rhelMajor(release)
      return major === null ? null : served('rhel', major, 'source')
    }
    case 'Red Hat':
      return redHat(rest)
    case 'openSUSE':
    case 'SUSE':
      return suse(rest.length > 0 ? release : undefined)
    default:
      return null
  }
}
