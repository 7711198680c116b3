// The version orderings we compare exactly, one per packaging family. compare-versions.ts implements them.
export type VersionScheme = 'dpkg' | 'rpm' | 'apk' | 'pacman'

/**
 * The distribution families whose versions we order: the same names as `Distro` in
 * vulnerabilities/feed-advisory.ts, spelled out here because vulnerabilities/ imports versions/ and the
 * folders must not import each other (test/architecture/folder-cycles.test.ts). test/versions checks that
 * the two stay the same set.
 */
export type DistroFamily = 'debian' | 'ubuntu' | 'rhel' | 'opensuse' | 'alpine' | 'arch'

const SCHEME_OF: Record<DistroFamily, VersionScheme> = {
  debian: 'dpkg',
  ubuntu: 'dpkg',
  rhel: 'rpm',
  opensuse: 'rpm',
  alpine: 'apk',
  arch: 'pacman'
}

/** The version order a distribution's packages follow. */
export function versionSchemeFor(distro: DistroFamily): VersionScheme {
  return SCHEME_OF[distro]
}
