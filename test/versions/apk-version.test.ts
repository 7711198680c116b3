// Alpine's order (src/versions/apk-version.ts). apk-tools is not packaged for Debian, so these are recorded
// cases, written from the ordering apk-tools documents in apk-package(5) ("number{.number}...{letter}
// {_suffix{number}}...{~hash}{-r#}", suffix order alpha, beta, pre, rc, <none>, cvs, svn, git, hg, p) and
// from how apk-tools 2.14/3 compares token by token (a version that goes on is newer unless it goes on with a
// pre-release suffix; an invalid token sorts after the end). Each case is checked both ways round.
import t from 'tap'
import { compareApkVersions } from '../../src/versions/apk-version.js'

type Case = [string, string, -1 | 0 | 1]

const GROUPS: Record<string, Case[]> = {
  // "Each number component is a sequence of digits": numbers compare as numbers; more components is newer.
  numbers: [
    ['1', '2', -1],
    ['1.0', '1.1', -1],
    ['1.9', '1.10', -1],
    ['2.0', '10.0', -1],
    ['1.2.3', '1.2.3', 0],
    ['1.2.3', '1.2.4', -1],
    ['1.2', '1.2.0', -1],
    ['1.2.3', '1.2', 1],
    ['0', '0.0', -1],
    ['12345678901234567890', '9', 1],
    ['20240101', '20231231', 1],
    ['3.0.15', '3.0.9', 1]
  ],
  // Gentoo's rule, which apk keeps: a later component starting with 0 on either side compares as text.
  // The first number is always a number.
  'leading zeros': [
    ['1.01', '1.1', -1],
    ['1.001', '1.01', -1],
    ['1.010', '1.01', 1],
    ['1.0', '1.00', -1],
    ['1.05', '1.1', -1],
    ['1.05', '1.049', 1],
    ['1.10', '1.09', 1],
    ['1.2', '1.02', 1],
    ['01', '1', 0],
    ['001.0', '1.0', 0]
  ],
  // "The letter portion can follow only after end of all the numeric version components": one lower-case
  // letter, compared by character; a version that goes on with a letter is newer.
  letter: [
    ['1.0a', '1.0', 1],
    ['1.0a', '1.0b', -1],
    ['1a', '1b', -1],
    ['1.0z', '1.0.1', -1],
    ['1.0a', '1.0_p1', 1],
    ['1.0a', '1.0a_rc1', 1],
    ['1.2a', '1.2a-r1', -1],
    ['1.0_alpha', '1.0a', -1]
  ],
  // "The list of valid suffixes (and their sorting order) is: alpha, beta, pre, rc, <no suffix>, cvs, svn,
  // git, hg, p"; the number after a suffix compares as a number, a missing number first.
  suffixes: [
    ['1.0_alpha', '1.0_beta', -1],
    ['1.0_beta', '1.0_pre', -1],
    ['1.0_pre', '1.0_rc', -1],
    ['1.0_rc', '1.0', -1],
    ['1.0', '1.0_cvs', -1],
    ['1.0_cvs', '1.0_svn', -1],
    ['1.0_svn', '1.0_git', -1],
    ['1.0_git', '1.0_hg', -1],
    ['1.0_hg', '1.0_p', -1],
    ['1.0_alpha', '1.0', -1],
    ['1.0_p', '1.0', 1],
    ['1.0_rc1', '1.0_rc2', -1],
    ['1.0_rc9', '1.0_rc10', -1],
    ['1.0_rc', '1.0_rc0', -1],
    ['1.0_rc1', '1.0_rc01', 0],
    ['1.0_p1', '1.0_p2', -1],
    ['1.0_alpha1', '1.0_beta', -1],
    ['1.0_beta2', '1.0_alpha10', 1],
    ['1.0_rc1', '0.9', 1],
    ['2.0_rc1', '1.9_p9', 1],
    ['1.0.0_rc1', '1.0', 1],
    ['1.0_alpha_beta', '1.0_alpha', -1],
    ['1.0_p1_p2', '1.0_p1', 1],
    ['1.0_p1_rc1', '1.0_p1', -1],
    ['1.0_git20240101', '1.0_git20231231', 1],
    ['1.0_rc1', '1.0_rc1', 0]
  ],
  // "Finally an optional package build component -r{number} can follow": compared as a number; having one
  // is newer than not, and it counts only after everything before it is equal.
  revision: [
    ['1.0-r0', '1.0-r1', -1],
    ['1.0-r9', '1.0-r10', -1],
    ['1.0', '1.0-r0', -1],
    ['1.0-r1', '1.0.1-r0', -1],
    ['1.0_rc1-r5', '1.0-r0', -1],
    ['1.0_p1-r0', '1.0-r9', 1],
    ['1.0a-r0', '1.0-r5', 1],
    ['1.0-r01', '1.0-r1', 0],
    ['2.4.58-r0', '2.4.57-r3', 1],
    ['1.36.1-r5', '1.36.1-r15', -1]
  ],
  // "an optional {~hash} to indicate a commit hash": lower-case hex compared as text, before the revision.
  'commit hash': [
    ['1.0~abc', '1.0', 1],
    ['1.0~abc', '1.0~abd', -1],
    ['1.0~abc', '1.0~ab', 1],
    ['1.0~abc-r1', '1.0~abc-r0', 1],
    ['1.0~abc', '1.0-r0', 1],
    ['1.0_git20240101~abc', '1.0_git20240101', 1],
    ['1.0~0abc', '1.0~abc', -1]
  ],
  // Text outside the format: apk compares the valid tokens before it, and an invalid token sorts after the
  // end of a version, so a broken version is older than its valid prefix and equal to one broken at the same place.
  invalid: [
    ['1.0-foo', '1.0', -1],
    ['1.0_foo', '1.0', -1],
    ['1.0_foo', '0.9', 1],
    ['1.0-foo', '1.0-bar', 0],
    ['abc', 'def', 0],
    ['', '0', -1],
    ['', '', 0],
    ['1.0A', '1.0', -1],
    ['1.0ab', '1.0a', -1],
    ['1.0a1', '1.0a', -1],
    ['1.0.', '1.0', -1],
    ['1.0-r', '1.0', -1],
    ['1.0~', '1.0', -1],
    ['1.0-r1-r2', '1.0-r1', -1],
    ['1.0~abc_rc1', '1.0~abc', -1],
    ['1.0_', '1.0', -1]
  ]
}

for (const [group, cases] of Object.entries(GROUPS)) {
  t.test(`apk: ${group}`, async (t) => {
    for (const [a, b, expected] of cases) {
      t.equal(compareApkVersions(a, b), expected, `${a} vs ${b}`)
      t.equal(compareApkVersions(b, a), -expected || 0, `${b} vs ${a}`)
    }
  })
}

t.test('apk: at least 80 recorded cases', async (t) => {
  t.ok(Object.values(GROUPS).flat().length >= 80)
})

t.test('apk: a list of real Alpine versions sorts into release order', async (t) => {
  const released = ['2.4.57-r3', '2.4.58_rc1-r0', '2.4.58-r0', '2.4.58-r1', '2.4.58_p1-r0', '2.4.58a-r0', '2.4.58.1-r0']
  const shuffled = [...released].reverse()
  t.same(shuffled.sort(compareApkVersions), released)
})
