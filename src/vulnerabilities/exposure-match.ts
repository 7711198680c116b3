// The matching rule: which of a host's packages an advisory's affected entries hit, which version
// fixes it, and whether that fix is installable now. Pure: the queries feed it rows, the service
// stores what it returns. Version order is the versions module's (exact dpkg/rpm/apk/pacman rules).
import { compareVersions, versionSchemeFor } from '../versions/compare-versions.js'
import { isAffected } from '../versions/version-ranges.js'
import type { AffectedRange, Distro, Severity } from './feed-advisory.js'
import { feedPackageName } from './host-distro.js'

export interface HostPackageVersions {
  /** The binary package the host has: what exposure rows name. */
  name: string
  /** The source package it was built from, when the agent reported it (host_packages.source_name). */
  sourceName?: string | null
  currentVersion: string
  availableVersion: string | null
}

/** One affected row with its advisory's fields (exposure-queries.ts affectedRowsFor). */
export interface AffectedCandidate {
  advisoryId: string
  packageName: string
  ranges: AffectedRange[]
  versions: string[]
  packageSeverity: string | null
  severity: string
  cvssScore: number | null
  cveIds: string[]
  feedId: string
}

/**
 * - available: the version the host's repositories offer is no longer affected ("fix available now");
 * - not_installable: a fixed version exists upstream but the host cannot install it yet;
 * - none: the feed knows no fix ("no fix yet").
 */
export type FixStatus = 'available' | 'not_installable' | 'none'

export interface Exposure {
  packageName: string
  cveId: string
  advisoryId: string
  installedVersion: string
  availableVersion: string | null
  fixedVersion: string | null
  fixStatus: FixStatus
  severity: Severity
  cvssScore: number | null
}

/**
 * Distributions whose feeds name source packages (docs/vulnerabilities.md "Source and binary package
 * names"): Debian's tracker and OSV for Debian, Ubuntu, Alpine, the RHEL family and SUSE.
 */
const SOURCE_NAMED = new Set<Distro>(['debian', 'ubuntu', 'alpine', 'rhel', 'opensuse'])

/**
 * The feed names a host package answers to: its source name when the agent reported one and the
 * distribution's feeds name source packages, and its binary name (today's rule: a binary named like its
 * source, `openssl`, or a feed that names binaries). A binary that shares a name with an unrelated
 * source package is not a real case on these distributions, so the binary name is always kept.
 */
export function feedNamesOf(distro: Distro, pkg: Pick<HostPackageVersions, 'name' | 'sourceName'>): string[] {
  const binary = feedPackageName(distro, pkg.name)
  const source = pkg.sourceName && SOURCE_NAMED.has(distro) ? pkg.sourceName : null
  return source === null || source === binary ? [binary] : [source, binary]
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, unknown: 0 }

function asSeverity(value: string | null): Severity | null {
  return value !== null && value in SEVERITY_RANK ? (value as Severity) : null
}

/** The lowest fixed version above the installed one: the upgrade that ends the exposure. */
function fixedVersionFor(distro: Distro, installed: string, ranges: AffectedRange[]): string | null {
  const scheme = versionSchemeFor(distro)
  let best: string | null = null
  for (const range of ranges) {
    if (range.fixed === null || compareVersions(scheme, installed, range.fixed) >= 0) continue
    if (best === null || compareVersions(scheme, range.fixed, best) < 0) best = range.fixed
  }
  return best
}

/** Whether the record's exposure `a` says more than `b` for the same (package, CVE): fix known, then severity. */
function better(a: Exposure, b: Exposure): boolean {
  if ((a.fixedVersion !== null) !== (b.fixedVersion !== null)) return a.fixedVersion !== null
  return SEVERITY_RANK[a.severity] > SEVERITY_RANK[b.severity]
}

/**
 * Every (package, CVE) the host is exposed to, named by the binary package the host has. `candidates`
 * are the affected rows for the host's distro and release whose package name is one of the host's feed
 * names (feedNamesOf; already filtered by the query).
 */
export function matchExposures(distro: Distro, packages: HostPackageVersions[], candidates: AffectedCandidate[]): Exposure[] {
  const scheme = versionSchemeFor(distro)
  const byFeedName = new Map<string, AffectedCandidate[]>()
  for (const candidate of candidates) {
    const list = byFeedName.get(candidate.packageName)
    if (list) list.push(candidate)
    else byFeedName.set(candidate.packageName, [candidate])
  }
  const found = new Map<string, Exposure>()
  for (const pkg of packages) {
    if (!pkg.currentVersion) continue
    const matching = feedNamesOf(distro, pkg).flatMap((feedName) => byFeedName.get(feedName) ?? [])
    for (const candidate of matching) {
      if (!isAffected(scheme, pkg.currentVersion, candidate.ranges, candidate.versions)) continue
      const fixedVersion = fixedVersionFor(distro, pkg.currentVersion, candidate.ranges)
      const availableFixes =
        pkg.availableVersion !== null && !isAffected(scheme, pkg.availableVersion, candidate.ranges, candidate.versions)
      const fixStatus: FixStatus = availableFixes ? 'available' : fixedVersion !== null ? 'not_installable' : 'none'
      const severity = asSeverity(candidate.packageSeverity) ?? asSeverity(candidate.severity) ?? 'unknown'
      for (const cveId of candidate.cveIds.length > 0 ? candidate.cveIds : [candidate.feedId]) {
        const exposure: Exposure = {
          packageName: pkg.name,
          cveId,
          advisoryId: candidate.advisoryId,
          installedVersion: pkg.currentVersion,
          availableVersion: pkg.availableVersion,
          fixedVersion,
          fixStatus,
          severity,
          cvssScore: candidate.cvssScore
        }
        const key = `${pkg.name}\u0000${cveId}`
        const previous = found.get(key)
        if (!previous || better(exposure, previous)) found.set(key, exposure)
      }
    }
  }
  return [...found.values()]
}
