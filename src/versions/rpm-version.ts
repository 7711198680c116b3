// RPM's version ordering as rpm 4.15 and later apply it (rpm.vercmp, rpmverCmp): [epoch:]version[-release].
// The epoch (0 when absent), then the version, then the release compare with rpmvercmp:
// - both strings are cut into runs of ASCII digits and runs of ASCII letters; everything else only separates
//   runs (so "1.0" and "1_0" are equal) and is skipped;
// - `~` sorts before anything, even the end of the string (1.0~rc1 < 1.0);
// - `^` sorts after the end of the string but before anything else (1.0 < 1.0^git1 < 1.0.1);
// - a digit run beats a letter run; digit runs compare as whole numbers, letter runs by their bytes;
// - when one string runs out first, the longer one is newer.
// A release present on one side only makes that side newer (rpm.vercmp("1.0", "1.0-1") is -1).
//
// Invalid versions never throw: rpm refuses only the empty string, which sorts below every other version
// here (so a broken installed version stays visible to the vulnerability matcher).

interface RpmVersion {
  epoch: string
  version: string
  release: string | null
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9'
const isLetter = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
const isSegmentStart = (c: string): boolean => isDigit(c) || isLetter(c) || c === '~' || c === '^'

/** Split [epoch:]version[-release]: the epoch is the leading digits before a colon, the release follows the last hyphen. */
export function parseRpmVersion(text: string): RpmVersion | null {
  if (text === '') return null
  const epochMatch = /^(\d*):/.exec(text)
  const epoch = epochMatch ? epochMatch[1] || '0' : '0'
  const rest = epochMatch ? text.slice(epochMatch[0].length) : text
  const hyphen = rest.lastIndexOf('-')
  return hyphen >= 0 ? { epoch, version: rest.slice(0, hyphen), release: rest.slice(hyphen + 1) } : { epoch, version: rest, release: null }
}

/** The run of characters from `start` that satisfy `test`. */
function runEnd(s: string, start: number, test: (c: string) => boolean): number {
  let end = start
  while (end < s.length && test(s[end] as string)) end++
  return end
}

/** Whole-number comparison of two digit runs of any length. */
function compareDigitRuns(a: string, b: string): number {
  const x = a.replace(/^0+/, '')
  const y = b.replace(/^0+/, '')
  if (x.length !== y.length) return x.length - y.length
  return x < y ? -1 : x > y ? 1 : 0
}

/** rpmvercmp: one version (or release, or epoch) string against another. */
export function rpmvercmp(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    while (i < a.length && !isSegmentStart(a[i] as string)) i++
    while (j < b.length && !isSegmentStart(b[j] as string)) j++
    const ca = a[i] ?? ''
    const cb = b[j] ?? ''
    if (ca === '~' || cb === '~') {
      if (ca !== '~') return 1
      if (cb !== '~') return -1
      i++
      j++
      continue
    }
    if (ca === '^' || cb === '^') {
      if (ca === '') return -1
      if (cb === '') return 1
      if (ca !== '^') return 1
      if (cb !== '^') return -1
      i++
      j++
      continue
    }
    if (ca === '' || cb === '') break
    const numeric = isDigit(ca)
    const test = numeric ? isDigit : isLetter
    const endA = runEnd(a, i, test)
    const endB = runEnd(b, j, test)
    // b has a run of the other kind here: a digit run is newer than a letter run.
    if (endB === j) return numeric ? 1 : -1
    const runA = a.slice(i, endA)
    const runB = b.slice(j, endB)
    const order = numeric ? compareDigitRuns(runA, runB) : runA < runB ? -1 : runA > runB ? 1 : 0
    if (order !== 0) return order < 0 ? -1 : 1
    i = endA
    j = endB
  }
  if (i >= a.length && j >= b.length) return 0
  return i >= a.length ? -1 : 1
}

/** -1, 0 or 1 as a is older than, the same as, or newer than b in RPM's order. */
export function compareRpmVersions(a: string, b: string): -1 | 0 | 1 {
  const va = parseRpmVersion(a)
  const vb = parseRpmVersion(b)
  if (va === null || vb === null) return va === vb ? 0 : va === null ? -1 : 1
  const order = rpmvercmp(va.epoch, vb.epoch) || rpmvercmp(va.version, vb.version)
  if (order !== 0) return order
  if (va.release !== null && vb.release !== null) return rpmvercmp(va.release, vb.release)
  return va.release === vb.release ? 0 : va.release === null ? -1 : 1
}
