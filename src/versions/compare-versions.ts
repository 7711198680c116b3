// Version ordering. A package version means nothing outside its packaging family: 1.0~rc1 is older than 1.0 for
// dpkg and rpm, 1.0a is older than 1.0 for pacman but newer for apk, and 1.0 equals 1.0-2 for pacman only. So
// every comparison names its scheme, and each scheme reproduces its package manager exactly:
// - dpkg   (Debian, Ubuntu)   `dpkg --compare-versions`: epoch, upstream, revision; `~` before everything.
// - rpm    (RHEL family, openSUSE)   rpm ≥ 4.15 `rpm.vercmp`: epoch, version, release; `~` and `^`.
// - apk    (Alpine)   apk-tools 2.14/3: numbers, letter, _alpha.._p suffixes, ~hash, -rN.
// - pacman (Arch)   `vercmp`: epoch, pkgver, pkgrel (compared only when both have one).
// The rules, with what happens to text the tool would refuse, are at the top of each scheme's file. Nothing
// here throws: an invalid version gets a fixed place in the order instead (for dpkg and rpm, below every valid
// version). test/versions checks dpkg, rpm and pacman against the real programs, pair by pair.
import { compareApkVersions } from './apk-version.js'
import { compareDpkgVersions } from './dpkg-version.js'
import { comparePacmanVersions } from './pacman-version.js'
import { compareRpmVersions } from './rpm-version.js'
import type { VersionScheme } from './version-scheme.js'

export type { DistroFamily, VersionScheme } from './version-scheme.js'
export { versionSchemeFor } from './version-scheme.js'

const COMPARE: Record<VersionScheme, (a: string, b: string) => -1 | 0 | 1> = {
  dpkg: compareDpkgVersions,
  rpm: compareRpmVersions,
  apk: compareApkVersions,
  pacman: comparePacmanVersions
}

/** -1, 0 or 1 as version a is older than, the same as, or newer than version b in the scheme's order. */
export function compareVersions(scheme: VersionScheme, a: string, b: string): -1 | 0 | 1 {
  return COMPARE[scheme](a, b)
}
