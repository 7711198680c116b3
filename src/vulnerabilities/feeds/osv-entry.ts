// One OSV entry (https://ossf.github.io/osv-schema/) -> one FeedAdvisory. Used by every OSV reader (zip, single
// file, array); it sees one parsed entry at a time.
//
// Fields read:
//   id, modified (both required: an object without them is not OSV), published, withdrawn (withdrawn entries
//   are not emitted), aliases + upstream + id -> cveIds (CVE-YYYY-N ids only, also the one inside
//   DEBIAN-CVE-... / UBUNTU-CVE-... ids), summary (else details) -> summary, one line, at most SUMMARY_MAX
//   characters (summary-text.ts).
//   severity[]: CVSS_V3 first, then CVSS_V4: the vector's base score (a bare number is taken as the score);
//   the advisory's severity is the band of that score, else database_specific.severity (Red Hat, AlmaLinux,
//   Rocky: "Important", ...), else the Ubuntu priority (severity type "Ubuntu"), else the gravest per-package
//   severity, else 'unknown'.
//   affected[]: package.ecosystem -> (distro, release) by osv-ecosystems.ts (other ecosystems are counted and
//   dropped); ranges of type ECOSYSTEM -> AffectedRange (introduced "0" -> null; a range still open at its
//   end has no fix); `versions` as given; ecosystem_specific.urgency (Debian), else database_specific or
//   per-package severity[] words -> the package's severity.
//   Entries that land on the same (distro, release, package) — SUSE lists one package under every product of
//   a service pack, Red Hat under baseos and appstream — are merged. An Ubuntu Pro (ESM) entry is dropped
//   when the same release also has a standard entry for the package: the standard fix is the one every host
//   can install, and two fixes for one release would make every version between them look affected.
import type { AffectedRange, FeedAdvisory, FeedAffected, Severity } from '../feed-advisory.js'
import { cvssBaseScore } from './cvss-score.js'
import { servedEcosystem, type ServedEcosystem } from './osv-ecosystems.js'
import { graver, severityFromScore, severityFromWord } from './severity.js'
import { summaryLine } from './summary-text.js'

/** An object that is not an OSV entry; `message` says why. */
export class NotOsvEntry extends Error {}

export interface OsvMapping {
  /** null when no affected package is one we serve, or the entry is withdrawn. */
  advisory: FeedAdvisory | null
  withdrawn: boolean
  /** The ecosystems of affected[] entries that were dropped, one per entry. */
  ignoredEcosystems: string[]
}

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const stringOr = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null)
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])

const CVE_ID = /CVE-\d{4}-\d{4,}/

function cveIdsOf(entry: Json, id: string): string[] {
  const ids = new Set<string>()
  for (const candidate of [id, ...list(entry.aliases), ...list(entry.upstream)]) {
    if (typeof candidate !== 'string') continue
    const cve = CVE_ID.exec(candidate)?.[0]
    if (cve) ids.add(cve)
  }
  return [...ids]
}

const summaryOf = (entry: Json) => summaryLine(stringOr(entry.summary) ?? stringOr(entry.details))

interface Scored {
  score: number | null
  vector: string | null
}

/** The CVSS score of a severity[] list: CVSS_V3 before CVSS_V4. */
function cvssOf(severity: unknown[]): Scored {
  for (const type of ['CVSS_V3', 'CVSS_V4']) {
    for (const item of severity) {
      if (!isObject(item) || item.type !== type || typeof item.score !== 'string') continue
      const text = item.score.trim()
      if (/^\d+(\.\d+)?$/.test(text)) return { score: Number(text), vector: null }
      const score = cvssBaseScore(text)
      if (score !== null) return { score, vector: text }
    }
  }
  return { score: null, vector: null }
}

/** The severity word of a severity[] list ("Ubuntu" priority), or a CVSS band. */
function wordOf(severity: unknown[]): Severity | null {
  for (const item of severity) if (isObject(item) && item.type === 'Ubuntu') return severityFromWord(item.score)
  const { score } = cvssOf(severity)
  return score === null ? null : severityFromScore(score)
}

/** ECOSYSTEM ranges -> AffectedRange: each `introduced` opens a range, `fixed` / `last_affected` close it. */
function rangesOf(ranges: unknown[]): AffectedRange[] {
  const out: AffectedRange[] = []
  for (const range of ranges) {
    if (!isObject(range) || range.type !== 'ECOSYSTEM') continue
    let open: AffectedRange | null = null
    for (const event of list(range.events)) {
      if (!isObject(event)) continue
      if (typeof event.introduced === 'string') {
        if (open) out.push(open)
        open = { introduced: event.introduced === '0' ? null : event.introduced, fixed: null, lastAffected: null }
      } else if (typeof event.fixed === 'string' || typeof event.last_affected === 'string') {
        const closed: AffectedRange = open ?? { introduced: null, fixed: null, lastAffected: null }
        if (typeof event.fixed === 'string') closed.fixed = event.fixed
        else closed.lastAffected = event.last_affected as string
        out.push(closed)
        open = null
      }
    }
    if (open) out.push(open)
  }
  return out
}

function packageSeverity(affected: Json): Severity | null {
  const ecosystemSpecific = isObject(affected.ecosystem_specific) ? affected.ecosystem_specific : {}
  const databaseSpecific = isObject(affected.database_specific) ? affected.database_specific : {}
  return (
    severityFromWord(ecosystemSpecific.urgency) ??
    severityFromWord(ecosystemSpecific.severity) ??
    severityFromWord(databaseSpecific.severity) ??
    wordOf(list(affected.severity))
  )
}

interface Placed {
  ecosystem: ServedEcosystem
  affected: FeedAffected
}

const placeKey = (a: FeedAffected) => `${a.distro}\u0000${a.release ?? ''}\u0000${a.nameKind}\u0000${a.packageName}`
const rangeKey = (r: AffectedRange) => `${r.introduced ?? ''}\u0000${r.fixed ?? ''}\u0000${r.lastAffected ?? ''}`

/** Merges entries for the same place; drops Ubuntu Pro entries where a standard one exists. */
function mergePlaced(placed: Placed[]): FeedAffected[] {
  const standard = new Set(placed.filter((p) => !p.ecosystem.pro).map((p) => placeKey(p.affected)))
  const merged = new Map<string, FeedAffected>()
  for (const { ecosystem, affected } of placed) {
    const key = placeKey(affected)
    if (ecosystem.pro && standard.has(key)) continue
    const known = merged.get(key)
    if (!known) {
      merged.set(key, affected)
      continue
    }
    const ranges = new Set(known.ranges.map(rangeKey))
    for (const range of affected.ranges) if (!ranges.has(rangeKey(range))) known.ranges.push(range)
    for (const version of affected.versions) if (!known.versions.includes(version)) known.versions.push(version)
    known.severity = graver(known.severity, affected.severity)
  }
  return [...merged.values()]
}

/** Maps one parsed OSV entry; throws NotOsvEntry when the value is not an OSV entry at all. */
export function advisoryFromOsv(entry: unknown): OsvMapping {
  if (!isObject(entry)) throw new NotOsvEntry('it is not a JSON object')
  const id = stringOr(entry.id)
  if (id === null) throw new NotOsvEntry('it has no "id"')
  if (stringOr(entry.modified) === null) throw new NotOsvEntry(`${id} has no "modified" date`)
  if (entry.affected !== undefined && !Array.isArray(entry.affected)) throw new NotOsvEntry(`${id}: "affected" is not a list`)
  if (stringOr(entry.withdrawn) !== null) return { advisory: null, withdrawn: true, ignoredEcosystems: [] }

  const ignoredEcosystems: string[] = []
  const placed: Placed[] = []
  for (const affected of list(entry.affected)) {
    if (!isObject(affected) || !isObject(affected.package)) continue
    const ecosystemName = stringOr(affected.package.ecosystem)
    const packageName = stringOr(affected.package.name)
    if (ecosystemName === null || packageName === null) continue
    const ecosystem = servedEcosystem(ecosystemName)
    if (ecosystem === null) {
      ignoredEcosystems.push(ecosystemName)
      continue
    }
    const ranges = rangesOf(list(affected.ranges))
    const versions = list(affected.versions).filter((v): v is string => typeof v === 'string')
    if (ranges.length === 0 && versions.length === 0) continue
    placed.push({
      ecosystem,
      affected: {
        distro: ecosystem.distro,
        release: ecosystem.release,
        packageName,
        nameKind: ecosystem.nameKind,
        ranges,
        versions,
        severity: packageSeverity(affected)
      }
    })
  }
  if (placed.length === 0) return { advisory: null, withdrawn: false, ignoredEcosystems }

  const affected = mergePlaced(placed)
  const severityList = list(entry.severity)
  const { score, vector } = cvssOf(severityList)
  const databaseSpecific = isObject(entry.database_specific) ? entry.database_specific : {}
  const severity =
    (score !== null ? severityFromScore(score) : null) ??
    severityFromWord(databaseSpecific.severity) ??
    wordOf(severityList) ??
    affected.reduce<Severity | null>((worst, a) => graver(worst, a.severity), null) ??
    'unknown'
  return {
    advisory: {
      id,
      cveIds: cveIdsOf(entry, id),
      summary: summaryOf(entry),
      severity,
      cvssScore: score,
      cvssVector: vector,
      published: stringOr(entry.published),
      modified: stringOr(entry.modified),
      feed: 'osv',
      affected
    },
    withdrawn: false,
    ignoredEcosystems
  }
}
