// Alpine's version ordering, as apk-tools 2.14 and 3 apply it (apk-package(5)):
//   number{.number}...{letter}{_suffix{number}}...{~hash}{-r#}
// Both versions are read as a sequence of tokens, compared pairwise while both have a token of the same kind:
// - the first number and every suffix number and revision compare as whole numbers;
// - a later number (after a dot) compares as a whole number too, unless either side starts with 0: then the
//   digits compare as text (Gentoo's rule, so 1.01 < 1.1 and 1.001 < 1.01);
// - the letter by its character; suffixes in the order alpha < beta < pre < rc < (none) < cvs < svn < git <
//   hg < p; the commit hash as text.
// When the kinds differ, or one side ends, the comparison stops there: a version that goes on is newer, except
// when it goes on with a pre-release suffix (alpha, beta, pre, rc); otherwise the side whose next token comes
// later in the format (letter < suffix < hash < revision < end) is older, so 1.0 < 1.0a < ... and 1.0-r1 > 1.0.
//
// Invalid text is compared as apk compares it: tokens up to the first invalid one count, and an invalid token
// sorts after the end of a version (so 1.0-foo < 1.0, and two versions that go wrong at the same token are
// equal). Nothing throws.

/** Token kinds in the order the format allows them; the order also decides when two versions part ways. */
const enum Kind {
  InitialDigit,
  Digit,
  Letter,
  Suffix,
  SuffixNumber,
  CommitHash,
  Revision,
  End,
  Invalid
}

interface Token {
  kind: Kind
  text: string
  /** Suffix rank: alpha 0 ... rc 3, (none would be 4), cvs 5 ... p 9. */
  suffix: number
}

const SUFFIXES = ['alpha', 'beta', 'pre', 'rc', '', 'cvs', 'svn', 'git', 'hg', 'p']
const PRE_RELEASE_BELOW = SUFFIXES.indexOf('')

/** Reads tokens off the version one at a time, each checked against the kind before it. */
class Tokens {
  private pos = 0
  private previous: Kind = Kind.InitialDigit
  constructor(private readonly text: string) {}

  private take(pattern: RegExp): string {
    pattern.lastIndex = this.pos
    const match = pattern.exec(this.text)
    const taken = match ? match[0] : ''
    this.pos += taken.length
    return taken
  }

  private token(kind: Kind, text = '', suffix = 0): Token {
    this.previous = kind
    return { kind, text, suffix }
  }

  first(): Token {
    const digits = this.take(/\d*/y)
    return this.token(digits === '' ? Kind.Invalid : Kind.InitialDigit, digits)
  }

  next(): Token {
    if (this.pos >= this.text.length) return this.token(Kind.End)
    const c = this.text[this.pos] as string
    const previous = this.previous
    if (c >= 'a' && c <= 'z' && previous <= Kind.Digit) {
      this.pos++
      return this.token(Kind.Letter, c)
    }
    if (c === '.' && previous <= Kind.Digit) {
      this.pos++
      const digits = this.take(/\d*/y)
      return this.token(digits === '' ? Kind.Invalid : Kind.Digit, digits)
    }
    if (c >= '0' && c <= '9' && previous === Kind.Suffix) return this.token(Kind.SuffixNumber, this.take(/\d+/y))
    if (c === '_' && previous <= Kind.SuffixNumber) {
      this.pos++
      const suffix = SUFFIXES.indexOf(this.take(/[a-z]*/y))
      return suffix < 0 || suffix === PRE_RELEASE_BELOW ? this.token(Kind.Invalid) : this.token(Kind.Suffix, '', suffix)
    }
    if (c === '~' && previous < Kind.CommitHash) {
      this.pos++
      const hash = this.take(/[0-9a-f]*/y)
      return this.token(hash === '' ? Kind.Invalid : Kind.CommitHash, hash)
    }
    if (c === '-' && previous < Kind.Revision && this.text[this.pos + 1] === 'r') {
      this.pos += 2
      const digits = this.take(/\d*/y)
      return this.token(digits === '' ? Kind.Invalid : Kind.Revision, digits)
    }
    return this.token(Kind.Invalid)
  }
}

const sign = (n: number): -1 | 0 | 1 => (n < 0 ? -1 : n > 0 ? 1 : 0)
const compareText = (a: string, b: string): -1 | 0 | 1 => (a < b ? -1 : a > b ? 1 : 0)

/** Whole-number comparison of digit strings (apk reads 64-bit numbers; longer runs, never seen in real versions, still compare exactly here). */
function compareNumbers(a: string, b: string): -1 | 0 | 1 {
  const x = a.replace(/^0+/, '')
  const y = b.replace(/^0+/, '')
  return x.length !== y.length ? sign(x.length - y.length) : compareText(x, y)
}

function compareTokens(a: Token, b: Token): -1 | 0 | 1 {
  switch (a.kind) {
    case Kind.Digit:
      return a.text.startsWith('0') || b.text.startsWith('0') ? compareText(a.text, b.text) : compareNumbers(a.text, b.text)
    case Kind.InitialDigit:
    case Kind.SuffixNumber:
    case Kind.Revision:
      return compareNumbers(a.text, b.text)
    case Kind.Suffix:
      return sign(a.suffix - b.suffix)
    default:
      return compareText(a.text, b.text)
  }
}

/** -1, 0 or 1 as a is older than, the same as, or newer than b in Alpine's order. */
export function compareApkVersions(a: string, b: string): -1 | 0 | 1 {
  const ta = new Tokens(a)
  const tb = new Tokens(b)
  let x = ta.first()
  let y = tb.first()
  while (x.kind === y.kind && x.kind < Kind.End) {
    const order = compareTokens(x, y)
    if (order !== 0) return order
    x = ta.next()
    y = tb.next()
  }
  if (x.kind === y.kind) return 0
  if (x.kind === Kind.Suffix && x.suffix < PRE_RELEASE_BELOW) return -1
  if (y.kind === Kind.Suffix && y.suffix < PRE_RELEASE_BELOW) return 1
  return x.kind > y.kind ? -1 : 1
}
