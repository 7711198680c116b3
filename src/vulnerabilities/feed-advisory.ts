// What a vulnerability feed says, normalised: the seam between the feed readers (src/vulnerabilities/feeds/,
// which only parse files) and the importer and matcher (which only see these records). Every reader streams
// records one at a time so a large dump never sits in memory whole.
//
// One advisory id may come more than once in a feed: the Debian security tracker is grouped by source
// package, so a CVE that touches two packages arrives as two records (one per package). Its reader emits them
// as it meets them rather than holding the whole file to group them; the importer merges records that share
// an id (the union of their `affected`).

/** Distribution families as hosts report them (hosts.os_type lower-cased and grouped). */
export type Distro = 'debian' | 'ubuntu' | 'alpine' | 'rhel' | 'opensuse' | 'arch'

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'unknown'

/** A range of affected versions in the distribution's own version order. */
export interface AffectedRange {
  /** First affected version; null means from the beginning. */
  introduced: string | null
  /** First fixed version; null means no fix yet. */
  fixed: string | null
  /** Last affected version when the feed states that instead of a fix (OSV `last_affected`). */
  lastAffected: string | null
}

/** One package of an advisory in one distribution release. */
export interface FeedAffected {
  distro: Distro
  /**
   * The release as hosts report it in os_version, major part only: '12' (Debian bookworm), '22.04' (Ubuntu),
   * '3.19' (Alpine), '9' (RHEL family), '15.5' (openSUSE Leap); null when the advisory applies to every release
   * (Arch, rolling distributions).
   */
  release: string | null
  packageName: string
  /**
   * 'source' where the feed names source packages (Debian tracker; OSV Debian, Ubuntu, Alpine, Rocky Linux,
   * AlmaLinux, SUSE and openSUSE, whose OSV ecosystems are defined on source package names), else 'binary'
   * (OSV Red Hat, which names RPMs).
   */
  nameKind: 'source' | 'binary'
  ranges: AffectedRange[]
  /** Exact affected versions when the feed lists them (OSV `versions`), besides the ranges. */
  versions: string[]
  /** Severity for this package when the feed grades per package (the Debian tracker's urgency). */
  severity: Severity | null
}

export interface FeedAdvisory {
  /** The feed's own id: CVE-2024-1234, DSA-5600-1, ALSA-2024:1234, DEBIAN-CVE-2024-1234, ... */
  id: string
  /** The CVE ids the advisory covers (the id itself when it is a CVE); may be empty. */
  cveIds: string[]
  summary: string | null
  severity: Severity
  /** CVSS base score where the feed carries one (computed from the vector when only the vector is given). */
  cvssScore: number | null
  cvssVector: string | null
  /** ISO-8601 timestamps as the feed gives them. */
  published: string | null
  modified: string | null
  feed: 'osv' | 'debian-tracker'
  affected: FeedAffected[]
}

/** One entry of CISA's Known Exploited Vulnerabilities catalogue. */
export interface KnownExploitedEntry {
  cveId: string
  vendor: string | null
  product: string | null
  name: string | null
  /** YYYY-MM-DD */
  dateAdded: string
  dueDate: string | null
  knownRansomwareUse: boolean | null
}

export type FeedRecord = { kind: 'advisory'; advisory: FeedAdvisory } | { kind: 'known-exploited'; entry: KnownExploitedEntry }

export type FeedFormat = 'osv' | 'debian-tracker' | 'cisa-kev'

/** An entry a reader passed over, named so that the importer can report it. */
export interface SkippedEntry {
  /**
   * Where it is: the file's name inside an OSV zip, `[12]` for an item of an OSV array, `package/CVE-...` in
   * the Debian tracker, `vulnerabilities[3]` or `line 5` in the KEV catalogue.
   */
  entry: string
  reason: string
}

/**
 * What a reader passed over. An invalid entry inside a feed (a damaged file in an OSV zip, an array item that
 * is not OSV) is skipped and counted here, not fatal; a file that is not a feed at all throws FeedFormatError.
 * Filled in while `records` is iterated, complete once the iteration has ended.
 */
export interface FeedReadStats {
  skippedCount: number
  /** The first MAX_SKIPPED_LISTED skipped entries (skippedCount counts them all). */
  skippedEntries: SkippedEntry[]
  /**
   * Entries for places this server does not serve, counted by place: OSV affected[] ecosystems (npm, PyPI,
   * Ubuntu:Pro:FIPS-updates:22.04:LTS, ...) and Debian tracker releases ("debian-tracker:sid").
   */
  ignoredEcosystems: Record<string, number>
  /** Advisories the feed marks withdrawn (OSV `withdrawn`): not emitted. */
  withdrawn: number
}

export const MAX_SKIPPED_LISTED = 1000

/** A feed file opened for streaming; `records` may be iterated once. */
export interface FeedReader {
  format: FeedFormat
  records: AsyncIterable<FeedRecord>
  stats: FeedReadStats
}
