// The Debian security tracker's JSON (security-tracker.debian.org/tracker/data/json, ~70 MB): one object
//   { "<source package>": { "<CVE-... or TEMP-...>": { "description", "scope", "debianbug",
//       "releases": { "<codename>": { "status", "fixed_version", "urgency", "repositories", "nodsa", ... } } } } }
// walked token by token (json-tokens.ts): the reader holds one (package, CVE) value at a time and emits it as
// one FeedAdvisory with one affected entry per release. The same CVE under two packages is two records with the
// same id (see feed-advisory.ts: the importer merges them).
//
// Mapping:
//   codename -> release: jessie 8, stretch 9, buster 10, bullseye 11, bookworm 12, trixie 13, forky 14, duke 15.
//     sid (unstable) and any codename we do not know are counted as ignored ("debian-tracker:sid"): unstable
//     has no release number a host reports, and a sid host moves daily, so a fixed version there says nothing
//     the host's own package versions do not.
//   status "resolved" + fixed_version: fixed in that version; fixed_version "0" means the release never had
//     the vulnerable code: no entry. "open": affected, no fix. "undetermined" (nobody has checked yet): also
//     affected with no fix — a possible false alarm is better than a silent miss, and the dashboard shows the
//     release has no fix yet either way. Any other status: no entry.
//   urgency -> the package's severity (unimportant and low -> low, medium, high; "not yet assigned",
//     "end-of-life" -> null; the tracker's trailing "**" marks a guess and is dropped); the advisory's
//   severity is the gravest of its releases', else 'unknown'. No CVSS, no dates in this feed.
//   description -> summary (one line, shortened); the key -> id, and cveIds when it is a CVE id.
// A (package, CVE) whose value is not an object is skipped and named ("package/CVE-..."); a file whose outer
// levels are not objects is not the tracker (FeedFormatError).
import type { FeedAdvisory, FeedAffected, FeedReadStats, FeedRecord, Severity } from '../feed-advisory.js'
import { FeedFormatError } from './feed-format-error.js'
import { contentError, openContent, type FeedSource } from './feed-source.js'
import { JsonTokens } from './json-tokens.js'
import { countIgnoredEcosystems, recordSkipped } from './read-stats.js'
import { graver, severityFromWord } from './severity.js'
import { summaryLine } from './summary-text.js'

export const DEBIAN_RELEASES: Readonly<Record<string, string>> = {
  jessie: '8',
  stretch: '9',
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
  duke: '15'
}

type Json = Record<string, unknown>
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

function affectedIn(packageName: string, release: string, entry: Json): FeedAffected | null {
  const status = entry.status
  const severity = severityFromWord(entry.urgency)
  const base = { distro: 'debian' as const, release, packageName, nameKind: 'source' as const, versions: [], severity }
  if (status === 'resolved') {
    const fixed = entry.fixed_version
    if (typeof fixed !== 'string' || fixed === '' || fixed === '0') return null
    return { ...base, ranges: [{ introduced: null, fixed, lastAffected: null }] }
  }
  if (status === 'open' || status === 'undetermined') return { ...base, ranges: [{ introduced: null, fixed: null, lastAffected: null }] }
  return null
}

/** One (package, CVE) of the tracker -> an advisory, or null when no release we serve is affected. */
export function advisoryFromTracker(packageName: string, id: string, value: Json, stats: FeedReadStats): FeedAdvisory | null {
  const releases = isObject(value.releases) ? value.releases : {}
  const affected: FeedAffected[] = []
  let severity: Severity | null = null
  for (const [codename, entry] of Object.entries(releases)) {
    const release = DEBIAN_RELEASES[codename]
    if (release === undefined) {
      countIgnoredEcosystems(stats, [`debian-tracker:${codename}`])
      continue
    }
    if (!isObject(entry)) continue
    const placed = affectedIn(packageName, release, entry)
    if (!placed) continue
    affected.push(placed)
    severity = graver(severity, placed.severity)
  }
  if (affected.length === 0) return null
  return {
    id,
    cveIds: /^CVE-\d{4}-\d{4,}$/.test(id) ? [id] : [],
    summary: summaryLine(typeof value.description === 'string' ? value.description : null),
    severity: severity ?? 'unknown',
    cvssScore: null,
    cvssVector: null,
    published: null,
    modified: null,
    feed: 'debian-tracker',
    affected
  }
}

const shapeError = (source: FeedSource, reason: string) => new FeedFormatError('badTracker', source.name, reason)

export async function* debianTrackerRecords(source: FeedSource, stats: FeedReadStats): AsyncGenerator<FeedRecord> {
  const tokens = new JsonTokens(openContent(source))
  try {
    if ((await tokens.next())?.name !== 'startObject') throw shapeError(source, 'the top level is not an object')
    for (;;) {
      const packageKey = await tokens.expect()
      if (packageKey.name === 'endObject') break
      if (packageKey.name !== 'keyValue') throw shapeError(source, 'unexpected token at the package level')
      const packageName = packageKey.value
      const packageStart = await tokens.expect()
      if (packageStart.name !== 'startObject') throw shapeError(source, `the value of package "${packageName}" is not an object`)
      for (;;) {
        const idKey = await tokens.expect()
        if (idKey.name === 'endObject') break
        if (idKey.name !== 'keyValue') throw shapeError(source, `unexpected token inside package "${packageName}"`)
        const value = await tokens.value(await tokens.expect())
        if (!isObject(value)) {
          recordSkipped(
            stats,
            `${packageName}/${idKey.value}`,
            new FeedFormatError('badTracker', source.name, `${packageName}/${idKey.value} is not an object`).message
          )
          continue
        }
        const advisory = advisoryFromTracker(packageName, idKey.value, value, stats)
        if (advisory) yield { kind: 'advisory', advisory }
      }
    }
    if ((await tokens.next()) !== null) throw shapeError(source, 'text follows the top-level object')
  } catch (err) {
    if (err instanceof FeedFormatError) throw err
    throw contentError(source, err, 'badJson')
  } finally {
    tokens.close()
  }
}
