// Whether a version lies in a feed's affected ranges, with OSV's semantics: a range covers
// introduced <= v < fixed, or introduced <= v <= lastAffected; introduced "0" (or null) means from the start;
// a range with neither fixed nor lastAffected covers everything from introduced on. The explicit `versions`
// list matches by equality in the scheme's order (so 1:1.0 matches 1.0 under dpkg only when the epochs agree).
import { compareVersions } from './compare-versions.js'
import type { VersionScheme } from './version-scheme.js'

/**
 * One affected range: the same shape as AffectedRange in vulnerabilities/feed-advisory.ts (declared here so
 * versions/ does not import vulnerabilities/, which imports it; test/versions checks the two agree).
 */
export interface VersionRange {
  introduced: string | null
  fixed: string | null
  lastAffected: string | null
}

function inRange(scheme: VersionScheme, version: string, range: VersionRange): boolean {
  const fromStart = range.introduced === null || range.introduced === '0'
  if (!fromStart && compareVersions(scheme, version, range.introduced as string) < 0) return false
  if (range.fixed !== null) return compareVersions(scheme, version, range.fixed) < 0
  if (range.lastAffected !== null) return compareVersions(scheme, version, range.lastAffected) <= 0
  return true
}

/** True when `version` lies in any range (introduced ≤ v < fixed, or ≤ lastAffected) or equals one of `versions`. */
export function isAffected(scheme: VersionScheme, version: string, ranges: VersionRange[], versions: string[]): boolean {
  return ranges.some((range) => inRange(scheme, version, range)) || versions.some((v) => compareVersions(scheme, version, v) === 0)
}
