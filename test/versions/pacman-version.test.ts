// Arch's order (src/versions/pacman-version.ts) against libalpm's alpm_pkg_vercmp — the function pacman's
// `vercmp` prints — pair by pair.
import t, { type Test } from 'tap'
import { comparePacmanVersions } from '../../src/versions/pacman-version.js'
import { alpmMissing, alpmVercmp, type Pair } from './reference-tools.js'
import { allPairs, randomPairs, realDebianVersions, sortedNeighbours } from './version-corpus.js'

/** Corners: letter tails (pre-releases) against the end, separator counts, epochs, pkgrel present on one side
 * only, the VCS-style pkgvers AUR packages use, characters pacman has no rule for (~ ^ é are separators). */
const TRICKY = [
  '',
  'a',
  'A',
  'z',
  'Z',
  '1',
  '01',
  '1.0',
  '1.0a',
  '1.0A',
  '1.0alpha',
  '1.0beta',
  '1.0beta2',
  '1.0rc1',
  '1.0.0',
  '1.0.a',
  '1.0.alpha',
  '1.0.1',
  '1..0',
  '1.0.',
  '1.0..',
  '1_0',
  '1.0_1',
  '1.0~rc1',
  '1.0^1',
  '1.0é',
  '1.01',
  '1.001',
  '1.1',
  '1.9',
  '1.10',
  '1.0-1',
  '1.0-2',
  '1.0-1.1',
  '1.0-',
  '1-2-3',
  '1:1.0',
  ':1.0',
  '0:1.0',
  '01:1.0',
  '2:0.1-1',
  'a:1',
  '1.0+r1+gabc',
  '1.0.r12.gabcdef',
  '1.0.r9.gabc',
  '1.0.r10.g0',
  'r123.abc',
  'r99.abc',
  '20230101',
  '2023.01.01',
  '99999999999999999999',
  '100000000000000000000'
]

/** Behaviour pacman's manual and the AUR's pkgver conventions rely on, recorded as cases. */
const DOCUMENTED: [string, string, -1 | 0 | 1][] = [
  ['1.0a', '1.0', -1], // a letter tail is a pre-release
  ['1.0alpha', '1.0beta', -1],
  ['1.0', '1.0.1', -1],
  ['1.0.a', '1.0.1', -1],
  ['1.0', '1.0.a', -1], // ...but not after a separator: 1.0 < 1.0.a < 1.0.1
  ['1.0-1', '1.0-2', -1],
  ['1.0', '1.0-2', 0], // pkgrel counts only when both sides have one
  ['1:1.0', '2.0', 1], // the epoch wins
  ['1.0~rc1', '1.0', 1] // no tilde rule in pacman: ~ is just a separator
]

t.test('pacman: documented cases', async (t) => {
  for (const [a, b, expected] of DOCUMENTED) t.equal(comparePacmanVersions(a, b), expected, `${a} vs ${b}`)
})

t.test('pacman: the documented cases as libalpm answers them', { skip: alpmMissing() }, async (t) => {
  const answers = alpmVercmp(DOCUMENTED.map(([a, b]): Pair => [a, b]))
  t.same(
    answers,
    DOCUMENTED.map(([, , expected]) => expected)
  )
})

t.test('pacman: the hand-picked corners agree with libalpm', { skip: alpmMissing() }, async (t) => {
  checkAgainstAlpm(t, allPairs(TRICKY))
})

t.test('pacman: real version strings agree with libalpm', { skip: alpmMissing() }, async (t) => {
  const real = realDebianVersions()
  t.ok(real.length > 500, `found ${real.length} distinct real versions`)
  checkAgainstAlpm(t, [...sortedNeighbours(real, comparePacmanVersions, 3000), ...randomPairs(real, 2000, 40)])
})

function checkAgainstAlpm(t: Test, pairs: Pair[]): void {
  const answers = alpmVercmp(pairs)
  const wrong = pairs.flatMap(([a, b], i) => {
    const ours = comparePacmanVersions(a, b)
    return ours === answers[i] ? [] : [`${a} vs ${b}: ours ${ours}, libalpm ${answers[i]}`]
  })
  t.same(wrong.slice(0, 20), [], `${pairs.length - wrong.length} of ${pairs.length} pairs agree`)
}
