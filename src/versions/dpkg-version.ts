// Debian's version ordering, as `dpkg --compare-versions` applies it (deb-version(7)): [epoch:]upstream[-revision].
// Epochs compare as numbers; the upstream part and then the revision compare by dpkg's lexical rule, where
// each string alternates non-digit and digit runs: in a non-digit run `~` sorts before everything, even the
// end of the string, then letters, then every other character; digit runs compare as whole numbers.
//
// Invalid versions never throw. Where dpkg only warns (an upstream part that does not start with a digit, a
// character outside the allowed set) it still compares, and so do we, the same way. Where dpkg refuses to
// compare at all (an empty string, embedded spaces, a bad epoch, an empty upstream part or revision) the
// version sorts below every valid one and equal to every other such version: dpkg itself treats an empty
// version as earlier than any other for `lt`/`gt`, and the lowest place keeps a broken installed version
// visible to the vulnerability matcher instead of hiding it.

interface DpkgVersion {
  epoch: number
  /** Upstream part and revision as byte strings (one character per UTF-8 byte), which dpkg compares. */
  upstream: string
  revision: string
}

const INT_MAX = 2147483647

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39
const isLetter = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
/** C isspace in the C locale: what dpkg trims after the version and refuses inside it. */
const isSpace = (c: string): boolean => c === ' ' || (c >= '\t' && c <= '\r')

/** dpkg compares bytes: a non-ASCII character counts as its UTF-8 bytes (ASCII text is already that). */
const asBytes = (s: string): string => (/[^ -~]/.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s)

/** The version split into its parts, or null where dpkg refuses it (see the top of this file). */
export function parseDpkgVersion(text: string): DpkgVersion | null {
  // dpkg skips leading blanks (space, tab) and trailing white space; anything after inner space is an error.
  let start = 0
  while (start < text.length && (text[start] === ' ' || text[start] === '\t')) start++
  let end = start
  while (end < text.length && !isSpace(text[end] as string)) end++
  for (let i = end; i < text.length; i++) if (!isSpace(text[i] as string)) return null
  const version = text.slice(start, end)
  if (version === '') return null

  let epoch = 0
  let rest = version
  const colon = version.indexOf(':')
  if (colon >= 0) {
    // dpkg reads the epoch with strtol, which takes an optional sign; a negative epoch is refused.
    const epochText = version.slice(0, colon)
    if (!/^[+-]?\d+$/.test(epochText)) return null
    epoch = Number(epochText)
    if (epoch < 0 || epoch > INT_MAX) return null
    rest = version.slice(colon + 1)
    if (rest === '') return null
  }
  const hyphen = rest.lastIndexOf('-')
  const upstream = hyphen >= 0 ? rest.slice(0, hyphen) : rest
  const revision = hyphen >= 0 ? rest.slice(hyphen + 1) : ''
  if (upstream === '' || (hyphen >= 0 && revision === '')) return null
  return { epoch, upstream: asBytes(upstream), revision: asBytes(revision) }
}

/**
 * A character's weight in a non-digit run: `~` lowest, then the end of the string (0), letters by their code,
 * then everything else after the letters. Bytes from 0x80 come through C's signed char as negative numbers, so
 * dpkg's `c + 256` gives them their own value (128-255): after the letters, before ASCII punctuation.
 */
function weight(c: number): number {
  if (Number.isNaN(c) || isDigit(c)) return 0
  if (isLetter(c)) return c
  if (c === 0x7e) return -1
  return c >= 0x80 ? c : c + 256
}

/** dpkg's comparison of one upstream part or revision with another. */
function compareFragment(a: string, b: string): number {
  // charCodeAt past the end is NaN: the end of the string, which isDigit rejects and weight() counts as 0.
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const wa = weight(a.charCodeAt(i))
      const wb = weight(b.charCodeAt(j))
      if (wa !== wb) return wa - wb
      i++
      j++
    }
    while (a.charCodeAt(i) === 0x30) i++
    while (b.charCodeAt(j) === 0x30) j++
    // Digit runs without their leading zeros: the longer is the larger number, else the first differing digit.
    let firstDiff = 0
    while (isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j)
      i++
      j++
    }
    if (isDigit(a.charCodeAt(i))) return 1
    if (isDigit(b.charCodeAt(j))) return -1
    if (firstDiff !== 0) return firstDiff
  }
  return 0
}

/** -1, 0 or 1 as a is older than, the same as, or newer than b in Debian's order. */
export function compareDpkgVersions(a: string, b: string): -1 | 0 | 1 {
  const va = parseDpkgVersion(a)
  const vb = parseDpkgVersion(b)
  if (va === null || vb === null) return va === vb ? 0 : va === null ? -1 : 1
  const order =
    va.epoch !== vb.epoch ? va.epoch - vb.epoch : compareFragment(va.upstream, vb.upstream) || compareFragment(va.revision, vb.revision)
  return order < 0 ? -1 : order > 0 ? 1 : 0
}
