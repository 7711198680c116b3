// What a vulnerability feed says, normalised: the seam between the feed readers (src/vulnerabilities/feeds/,
// which only parse files) and the importer and matcher (which only see these records). Every reader streams
// records one at a time so a large dump never sits in memory whole.

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
  /** 'source' where the feed names source packages (Debian tracker, OSV Debian and Ubuntu), else 'binary'. */
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

/** A feed file opened for streaming; `records` may be iterated once. */
export interface FeedReader {
  format: FeedFormat
  records: AsyncIterable<FeedRecord>
}
