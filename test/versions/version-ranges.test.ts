// isAffected (src/versions/version-ranges.ts) with OSV's range semantics, in each scheme's own order, and
// versionSchemeFor. The type checks at the bottom keep versions/'s own copies of the feed's shapes (declared
// there so the folders do not import each other) the same as vulnerabilities/feed-advisory.ts.
import t from 'tap'
import { compareVersions, versionSchemeFor, type DistroFamily } from '../../src/versions/compare-versions.js'
import { isAffected, type VersionRange } from '../../src/versions/version-ranges.js'
import type { AffectedRange, Distro } from '../../src/vulnerabilities/feed-advisory.js'

const range = (introduced: string | null, fixed: string | null, lastAffected: string | null = null): AffectedRange => ({
  introduced,
  fixed,
  lastAffected
})

t.test('dpkg: introduced 0 up to a fixed version, where ~ and epochs decide', async (t) => {
  const ranges = [range('0', '2.36-9+deb12u4')]
  t.ok(isAffected('dpkg', '2.36-9+deb12u3', ranges, []), 'the release before the fix is affected')
  t.notOk(isAffected('dpkg', '2.36-9+deb12u4', ranges, []), 'the fixed version is not')
  t.ok(isAffected('dpkg', '2.36-9+deb12u4~bpo1', ranges, []), 'a ~ pre-release of the fix is still affected')
  t.notOk(isAffected('dpkg', '1:2.0-1', ranges, []), 'a higher epoch is past the fix')
  t.ok(isAffected('dpkg', '0.1', [range(null, '0.2')], []), 'introduced null also means from the start')
})

t.test('rpm: introduced and fixed EVRs, with a range that has no fix yet', async (t) => {
  const ranges = [range('0', '0:1.1.1k-12.el8_9'), range('1:3.0.7-1.el9', null)]
  t.ok(isAffected('rpm', '1.1.1k-9.el8_9', ranges, []), 'an older release is affected')
  t.notOk(isAffected('rpm', '1.1.1k-12.el8_9', ranges, []), 'the fix itself is not (epoch 0 written out or not)')
  t.notOk(isAffected('rpm', '3.0.7-1.el9', ranges, []), 'epoch 0 is below the introduced epoch 1 and past the first fix')
  t.ok(isAffected('rpm', '1:3.0.7-1.el9', ranges, []), 'the introduced version itself is affected')
  t.ok(isAffected('rpm', '1:9.9-1', ranges, []), 'with no fix and no last affected version, everything later is affected')
  t.notOk(isAffected('rpm', '1.2~rc1', [range('1.2', '1.3')], []), 'a ~ pre-release sorts before introduced')
})

t.test('apk: lastAffected is inclusive and suffixes order as Alpine has them', async (t) => {
  const ranges = [range('1.36.0-r0', null, '1.36.1-r15')]
  t.ok(isAffected('apk', '1.36.1-r15', ranges, []), 'the last affected version is affected')
  t.notOk(isAffected('apk', '1.36.1-r16', ranges, []), 'the next revision is not')
  t.notOk(isAffected('apk', '1.36.0_rc1-r0', ranges, []), 'a release candidate is before introduced')
  t.ok(isAffected('apk', '1.36.0_p1-r0', ranges, []), 'a _p patch release is after introduced')
})

t.test('pacman: several ranges, any of which may match', async (t) => {
  const ranges = [range('0', '1.2.3-1'), range('2.0-1', '2.0.5-1')]
  t.ok(isAffected('pacman', '1.2.2-3', ranges, []), 'in the first range')
  t.notOk(isAffected('pacman', '1.5-1', ranges, []), 'between the ranges')
  t.ok(isAffected('pacman', '2.0.4-2', ranges, []), 'in the second range')
  t.notOk(isAffected('pacman', '2.0.5-1', ranges, []), 'at the second fix')
  t.ok(isAffected('pacman', '2.0.5beta-1', ranges, []), 'a letter tail is a pre-release of the fix, still affected')
  t.notOk(isAffected('pacman', '1:1.0-1', ranges, []), 'a higher epoch is past both ranges')
})

t.test('explicit versions match by equality in the scheme order, with or without ranges', async (t) => {
  t.ok(isAffected('dpkg', '1.0-1', [], ['0.9-1', '1.0-1']))
  t.ok(isAffected('dpkg', '0:1.0-1', [], ['1.0-1']), 'epoch 0 written out is the same version')
  t.notOk(isAffected('dpkg', '1.0-2', [], ['1.0-1']))
  t.ok(isAffected('rpm', '1.0-1', [], ['1.0-1']))
  t.ok(isAffected('apk', '1.0-r1', [range('0', '0.5-r0')], ['1.0-r01']), 'listed, though outside the range')
  t.ok(isAffected('pacman', '1.0', [], ['1.0-3']), 'pacman ignores a pkgrel missing on one side')
  t.notOk(isAffected('pacman', '1.0', [], []), 'no ranges and no versions: never affected')
})

t.test('versionSchemeFor maps each distribution family to its order', async (t) => {
  const expected: Record<Distro, string> = {
    debian: 'dpkg',
    ubuntu: 'dpkg',
    rhel: 'rpm',
    opensuse: 'rpm',
    alpine: 'apk',
    arch: 'pacman'
  }
  for (const [distro, scheme] of Object.entries(expected)) t.equal(versionSchemeFor(distro as Distro), scheme, distro)
  t.equal(compareVersions(versionSchemeFor('debian'), '1.0~rc1', '1.0'), -1)
})

// Compile-time: the feed's Distro and AffectedRange are exactly versions/'s DistroFamily and VersionRange.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const distroSame: Same<Distro, DistroFamily> = true
const rangeSame: Same<AffectedRange, VersionRange> = true
t.ok(distroSame && rangeSame, 'the feed types and versions/ types are the same (checked by tsc)')
