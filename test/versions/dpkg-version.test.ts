// Debian's order (src/versions/dpkg-version.ts) against the real `dpkg --compare-versions`, pair by pair.
import t, { type Test } from 'tap'
import { compareDpkgVersions } from '../../src/versions/dpkg-version.js'
import { dpkgConfirms, dpkgMissing, dpkgRelation, type Pair } from './reference-tools.js'
import { allPairs, randomPairs, realDebianVersions, sortedNeighbours } from './version-corpus.js'

/** Hand-picked corners of the rules: `~` around the end, epochs, letters against digits and punctuation,
 * leading zeros, missing and odd revisions, hyphens and colons inside the upstream part, huge numbers, and the
 * characters dpkg only warns about (it still compares them). The empty string is dpkg's "no version". */
const TRICKY = [
  '',
  '~',
  '~~',
  '~~a',
  '~a',
  '0~',
  '0',
  '00',
  '0.0',
  '1',
  '01',
  '1.0',
  '1.00',
  '1.0.0',
  '1.0~',
  '1.0~~',
  '1.0~~a',
  '1.0~a',
  '1.0~rc1',
  '1.0~rc1-1',
  '1.0~rc10',
  '1.0~rc2',
  '1.0-0',
  '1.0-1',
  '1.0-01',
  '1.0-1~bpo12+1',
  '1.0-1+b1',
  '1.0-1.1',
  '1.0-a',
  '1.0-A',
  '1.0-+',
  '1.0-~',
  '1.0-1-1',
  '1.0+dfsg',
  '1.0+dfsg-1',
  '1.0+',
  '1.0.',
  '1.0a',
  '1.0A',
  '1.0z',
  '1.0Z',
  '1.0aa',
  '1.0a1',
  '1.0.a',
  '1:0',
  '0:1.0',
  '00:1.0',
  '1:1.0',
  '2:0.1',
  '10:1',
  '1:1:1',
  '1:1.0-1:2',
  '1.2.3+really1.2.2',
  '2.30-1ubuntu1~22.04',
  '9',
  '10',
  '99999999999999999999',
  '100000000000000000000',
  '1.0é',
  'a1',
  'A',
  '+1:1',
  '2147483647:1'
]

/** Versions dpkg refuses outright (it stops with an error): ours puts them below every valid version. */
const REFUSED = [' ', '1 0', 'a:1', ':1', '-1:1', '1:', '1.0-', '-1', '2147483648:1', '1:-1']

t.test('dpkg: the hand-picked corners agree with dpkg --compare-versions', { skip: dpkgMissing() }, async (t) => {
  checkAgainstDpkg(t, allPairs(TRICKY))
})

t.test('dpkg: real versions from this machine agree with dpkg --compare-versions', { skip: dpkgMissing() }, async (t) => {
  const real = realDebianVersions()
  t.ok(real.length > 500, `found ${real.length} distinct real versions`)
  checkAgainstDpkg(t, [...sortedNeighbours(real, compareDpkgVersions, 1200), ...randomPairs(real, 300, 20)])
})

t.test('dpkg: versions dpkg refuses sort below every valid one and equal to each other', { skip: dpkgMissing() }, async (t) => {
  for (const bad of REFUSED) {
    t.equal(dpkgRelation(bad, '0'), 'error', `dpkg refuses ${JSON.stringify(bad)}`)
    t.equal(compareDpkgVersions(bad, '~~'), -1, `${JSON.stringify(bad)} < ~~`)
    t.equal(compareDpkgVersions('0', bad), 1, `0 > ${JSON.stringify(bad)}`)
    t.equal(compareDpkgVersions(bad, 'a:1'), 0, `${JSON.stringify(bad)} = another refused version`)
  }
  t.equal(compareDpkgVersions('', '~'), -1, 'the empty string is below everything, as dpkg has it for lt')
})

t.test('dpkg: white space around a version is ignored, as dpkg does', async (t) => {
  t.equal(compareDpkgVersions('  1.0-1\n', '1.0-1'), 0)
  t.equal(compareDpkgVersions('\t1:2', '1:2'), 0)
})

function checkAgainstDpkg(t: Test, pairs: Pair[]): void {
  const ours = pairs.map(([a, b]) => compareDpkgVersions(a, b))
  const confirmed = dpkgConfirms(pairs, ours)
  const wrong = pairs.flatMap(([a, b], i) => (confirmed[i] ? [] : [`${a} vs ${b}: ours ${ours[i]}, dpkg ${dpkgRelation(a, b)}`]))
  t.same(wrong.slice(0, 20), [], `${pairs.length - wrong.length} of ${pairs.length} pairs agree`)
}
