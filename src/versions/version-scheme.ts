// The version orderings we compare exactly, one per packaging family. compare-versions.ts implements them.
export type VersionScheme = 'dpkg' | 'rpm' | 'apk' | 'pacman'
