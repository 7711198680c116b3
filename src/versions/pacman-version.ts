// Arch Linux's version ordering, as pacman's `vercmp` applies it (alpm_pkg_vercmp): [epoch:]pkgver[-pkgrel].
// The epoch (0 when absent), then pkgver, then pkgrel compare with alpm's own segment comparison, an older
// relative of rpmvercmp without `~` and `^`:
// - strings are cut into runs of ASCII digits and runs of ASCII letters; other bytes separate them, and a
//   different number of separator bytes before a run decides on its own (1..0 > 1.0);
// - a digit run beats a letter run; digit runs compare as whole numbers, letter runs by their bytes;
// - when one string runs out first, the longer one is newer unless what it has left starts with a letter
//   (1.0 < 1.0.1, but 1.0a < 1.0: a letter tail marks a pre-release).
// pkgrel is compared only when both sides have one (1.0 equals 1.0-2). pacman compares every string, even
// an empty one, so nothing here is invalid.

interface PacmanVersion {
  epoch: string
  pkgver: string
  pkgrel: string | null
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9'
const isLetter = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
const isAlnum = (c: string): boolean => isDigit(c) || isLetter(c)

/** Split [epoch:]pkgver[-pkgrel]: the epoch is the leading digits before a colon, pkgrel follows the last hyphen. */
export function parsePacmanVersion(text: string): PacmanVersion {
  const epochMatch = /^(\d*):/.exec(text)
  const epoch = epochMatch ? epochMatch[1] || '0' : '0'
  const rest = epochMatch ? text.slice(epochMatch[0].length) : text
  const hyphen = rest.lastIndexOf('-')
  return hyphen >= 0 ? { epoch, pkgver: rest.slice(0, hyphen), pkgrel: rest.slice(hyphen + 1) } : { epoch, pkgver: rest, pkgrel: null }
}

function runEnd(s: string, start: number, test: (c: string) => boolean): number {
  let end = start
  while (end < s.length && test(s[end] as string)) end++
  return end
}

/**
 * alpm's segment comparison. Works on a "binary" string (one character per UTF-8 byte) because separator
 * lengths count bytes, as they do in C.
 */
function alpmSegmentCompare(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0
  let i = 0
  let j = 0
  let segmentEndA = 0
  let segmentEndB = 0
  while (i < a.length && j < b.length) {
    i = runEnd(a, i, (c) => !isAlnum(c))
    j = runEnd(b, j, (c) => !isAlnum(c))
    if (i >= a.length || j >= b.length) break
    const separatorsA = i - segmentEndA
    const separatorsB = j - segmentEndB
    if (separatorsA !== separatorsB) return separatorsA < separatorsB ? -1 : 1
    const numeric = isDigit(a[i] as string)
    const test = numeric ? isDigit : isLetter
    const endA = runEnd(a, i, test)
    const endB = runEnd(b, j, test)
    if (endB === j) return numeric ? 1 : -1
    let runA = a.slice(i, endA)
    let runB = b.slice(j, endB)
    if (numeric) {
      runA = runA.replace(/^0+/, '')
      runB = runB.replace(/^0+/, '')
      if (runA.length !== runB.length) return runA.length < runB.length ? -1 : 1
    }
    if (runA !== runB) return runA < runB ? -1 : 1
    i = segmentEndA = endA
    j = segmentEndB = endB
  }
  if (i >= a.length && j >= b.length) return 0
  // One side has something left: it is newer, unless that something starts with a letter.
  const restA = a[i] ?? ''
  const restB = b[j] ?? ''
  return (restA === '' && !isLetter(restB)) || isLetter(restA) ? -1 : 1
}

const asBytes = (s: string): string => Buffer.from(s, 'utf8').toString('latin1')

/** -1, 0 or 1 as a is older than, the same as, or newer than b in pacman's order. */
export function comparePacmanVersions(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0
  const va = parsePacmanVersion(asBytes(a))
  const vb = parsePacmanVersion(asBytes(b))
  const order = alpmSegmentCompare(va.epoch, vb.epoch) || alpmSegmentCompare(va.pkgver, vb.pkgver)
  if (order !== 0 || va.pkgrel === null || vb.pkgrel === null) return order
  return alpmSegmentCompare(va.pkgrel, vb.pkgrel)
}
