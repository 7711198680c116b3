// RPM's order (src/versions/rpm-version.ts) against the real rpm's rpm.vercmp, pair by pair, plus the
// comparison vectors rpm documents in its own test suite (tests/rpmvercmp.at), recorded here as cases.
import t, { type Test } from 'tap'
import { compareRpmVersions, rpmvercmp } from '../../src/versions/rpm-version.js'
import { rpmMissing, rpmVercmp, type Pair } from './reference-tools.js'
import { allPairs, randomPairs, realDebianVersions, sortedNeighbours } from './version-corpus.js'

/** rpm's documented rpmvercmp vectors: [a, b, expected]. */
const RPM_VECTORS: [string, string, -1 | 0 | 1][] = [
  // plain numbers and dotted segments
  ['1.0', '1.0', 0],
  ['1.0', '2.0', -1],
  ['2.0', '1.0', 1],
  ['2.0.1', '2.0.1', 0],
  ['2.0', '2.0.1', -1],
  ['2.0.1', '2.0', 1],
  ['4.999.9', '5.0', -1],
  ['5.0', '4.999.9', 1],
  ['20101121', '20101121', 0],
  ['20101121', '20101122', -1],
  ['20101122', '20101121', 1],
  // letters after numbers: a longer string wins, letters compare by bytes
  ['2.0.1a', '2.0.1a', 0],
  ['2.0.1a', '2.0.1', 1],
  ['2.0.1', '2.0.1a', -1],
  ['5.5p1', '5.5p1', 0],
  ['5.5p1', '5.5p2', -1],
  ['5.5p2', '5.5p1', 1],
  ['5.5p10', '5.5p10', 0],
  ['5.5p1', '5.5p10', -1],
  ['5.5p10', '5.5p1', 1],
  ['5.5p2', '5.6p1', -1],
  ['5.6p1', '5.5p2', 1],
  ['5.6p1', '6.5p1', -1],
  ['6.5p1', '5.6p1', 1],
  ['10b2', '10a1', 1],
  ['10a2', '10b2', -1],
  ['1.0aa', '1.0aa', 0],
  ['1.0a', '1.0aa', -1],
  ['1.0aa', '1.0a', 1],
  // a number beats letters; a trailing letter segment still makes a longer version newer
  ['10xyz', '10.1xyz', -1],
  ['10.1xyz', '10xyz', 1],
  ['xyz10', 'xyz10', 0],
  ['xyz10', 'xyz10.1', -1],
  ['xyz10.1', 'xyz10', 1],
  ['xyz.4', 'xyz.4', 0],
  ['xyz.4', '8', -1],
  ['8', 'xyz.4', 1],
  ['xyz.4', '2', -1],
  ['2', 'xyz.4', 1],
  ['6.0.rc1', '6.0', 1],
  ['6.0', '6.0.rc1', -1],
  // leading zeros do not count
  ['10.0001', '10.0001', 0],
  ['10.0001', '10.1', 0],
  ['10.1', '10.0001', 0],
  ['10.0001', '10.0039', -1],
  ['10.0039', '10.0001', 1],
  // separators only separate
  ['2_0', '2_0', 0],
  ['2.0', '2_0', 0],
  ['2_0', '2.0', 0],
  ['a', 'a', 0],
  ['a+', 'a+', 0],
  ['a+', 'a_', 0],
  ['a_', 'a+', 0],
  ['+a', '+a', 0],
  ['+a', '_a', 0],
  ['_a', '+a', 0],
  ['+_', '+_', 0],
  ['_+', '+_', 0],
  ['_+', '_', 0],
  ['+', '_', 0],
  ['_', '+', 0],
  // tilde: before everything, even the end
  ['1.0~rc1', '1.0~rc1', 0],
  ['1.0~rc1', '1.0', -1],
  ['1.0', '1.0~rc1', 1],
  ['1.0~rc1', '1.0~rc2', -1],
  ['1.0~rc2', '1.0~rc1', 1],
  ['1.0~rc1~git123', '1.0~rc1~git123', 0],
  ['1.0~rc1~git123', '1.0~rc1', -1],
  ['1.0~rc1', '1.0~rc1~git123', 1],
  // caret: after the end, before anything else
  ['1.0^', '1.0^', 0],
  ['1.0^', '1.0', 1],
  ['1.0', '1.0^', -1],
  ['1.0^git1', '1.0^git1', 0],
  ['1.0^git1', '1.0', 1],
  ['1.0', '1.0^git1', -1],
  ['1.0^git1', '1.0^git2', -1],
  ['1.0^git2', '1.0^git1', 1],
  ['1.0^git1', '1.01', -1],
  ['1.01', '1.0^git1', 1],
  ['1.0^20160101', '1.0^20160101', 0],
  ['1.0^20160101', '1.0.1', -1],
  ['1.0.1', '1.0^20160101', 1],
  ['1.0^20160101^git1', '1.0^20160101^git1', 0],
  ['1.0^20160102', '1.0^20160101^git1', 1],
  ['1.0^20160101^git1', '1.0^20160102', -1],
  ['1.0~rc1^git1', '1.0~rc1^git1', 0],
  ['1.0~rc1^git1', '1.0~rc1', 1],
  ['1.0~rc1', '1.0~rc1^git1', -1],
  ['1.0^git1~pre', '1.0^git1~pre', 0],
  ['1.0^git1', '1.0^git1~pre', 1],
  ['1.0^git1~pre', '1.0^git1', -1]
]

/** Corners of the epoch:version-release split and of the segment rules, in RHEL-style and odd strings. */
const TRICKY = [
  '~',
  '~~',
  '^',
  '0',
  '00',
  '1',
  '1.0',
  '1.0~rc1',
  '1.0~rc1~git1',
  '1.0^git1',
  '1.0^git1^1',
  '1.0^git1~1',
  '1.0.1',
  '1.0a',
  '1.0.a',
  '1a',
  '1.a',
  'a',
  'A',
  'Z',
  'z',
  'ab',
  'abc',
  'abd',
  '1.0_1',
  '1..0',
  '1.01',
  '1.001',
  '1.10',
  '1.9',
  '2.0',
  '2.0.0',
  '9',
  '10',
  '0:1.0',
  '1:1.0',
  ':1.0',
  '01:1.0',
  '1:',
  '1.0-1',
  '1.0-1.el9',
  '1.0-1.el9_2',
  '1.0-1.fc38',
  '1.0-',
  '1.0-0',
  '1.0-1~rc',
  '1.0-1^p',
  '2:1.0-1',
  'a:1',
  '1:a:1',
  '1.0-1-1',
  '-1',
  '-',
  '1.0é',
  '5.3.28-10.el9',
  '5.3.28-10.el9_0.1',
  '0.9.1-2.20230101git1234abc',
  '1.0.0-1.module+el8.1.0+4408+2c8b3b4b',
  '99999999999999999999',
  '100000000000000000000',
  '1++',
  '+'
]

t.test('rpm: the documented rpmvercmp vectors hold for our rpmvercmp and for the whole comparison', async (t) => {
  for (const [a, b, expected] of RPM_VECTORS) {
    t.equal(rpmvercmp(a, b), expected, `rpmvercmp(${a}, ${b})`)
    t.equal(compareRpmVersions(a, b), expected, `compareRpmVersions(${a}, ${b})`)
  }
})

t.test('rpm: the documented vectors as the installed rpm answers them', { skip: rpmMissing() }, async (t) => {
  const answers = rpmVercmp(RPM_VECTORS.map(([a, b]): Pair => [a, b]))
  const wrong = RPM_VECTORS.flatMap(([a, b, expected], i) =>
    answers[i] === expected ? [] : [`${a} vs ${b}: recorded ${expected}, rpm ${answers[i]}`]
  )
  t.same(wrong, [], `${RPM_VECTORS.length - wrong.length} of ${RPM_VECTORS.length} recorded vectors match rpm`)
})

t.test('rpm: the hand-picked corners agree with rpm.vercmp', { skip: rpmMissing() }, async (t) => {
  checkAgainstRpm(t, allPairs(TRICKY))
})

t.test('rpm: real version strings agree with rpm.vercmp', { skip: rpmMissing() }, async (t) => {
  const real = realDebianVersions()
  t.ok(real.length > 500, `found ${real.length} distinct real versions`)
  checkAgainstRpm(t, [...sortedNeighbours(real, compareRpmVersions, 3000), ...randomPairs(real, 2000, 30)])
})

t.test('rpm: the empty string, which rpm refuses, sorts below every version', async (t) => {
  t.equal(compareRpmVersions('', '~'), -1)
  t.equal(compareRpmVersions('0', ''), 1)
  t.equal(compareRpmVersions('', ''), 0)
})

function checkAgainstRpm(t: Test, pairs: Pair[]): void {
  const answers = rpmVercmp(pairs)
  const wrong = pairs.flatMap(([a, b], i) => {
    const ours = compareRpmVersions(a, b)
    return ours === answers[i] ? [] : [`${a} vs ${b}: ours ${ours}, rpm ${answers[i]}`]
  })
  t.same(wrong.slice(0, 20), [], `${pairs.length - wrong.length} of ${pairs.length} pairs agree`)
}
