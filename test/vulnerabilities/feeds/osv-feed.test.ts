// issue 20: OSV feeds (per-ecosystem all.zip dumps, single entries, arrays) read into normalised advisories.
import t from 'tap'
import { join } from 'node:path'
import type { FeedAdvisory } from '../../../src/vulnerabilities/feed-advisory.js'
import { openFeed } from '../../../src/vulnerabilities/feeds/open-feed.js'
import { allRecords, feedFolder, writeGzip, writeText, writeZip } from './feed-files.js'
import {
  ALMA_ENTRY,
  ALPINE_ENTRY,
  DEBIAN_ENTRY,
  NPM_ENTRY,
  RED_HAT_ENTRY,
  SUSE_ENTRY,
  UBUNTU_ENTRY,
  WITHDRAWN_ENTRY
} from './osv-samples.js'

const open = (introduced: string | null, fixed: string | null) => ({ introduced, fixed, lastAffected: null })

const DEBIAN: FeedAdvisory = {
  id: 'DEBIAN-CVE-2024-6387',
  cveIds: ['CVE-2024-6387'],
  summary:
    "A security regression (CVE-2006-5051) was discovered in OpenSSH's server (sshd). There is a race condition which can lead sshd to handle some signals in an unsafe manner.",
  severity: 'high',
  cvssScore: null,
  cvssVector: null,
  published: '2024-07-01T13:15:06Z',
  modified: '2024-07-10T08:12:44Z',
  feed: 'osv',
  affected: [
    {
      distro: 'debian',
      release: '12',
      packageName: 'openssh',
      nameKind: 'source',
      ranges: [open(null, '1:9.2p1-2+deb12u3')],
      versions: ['1:9.2p1-2', '1:9.2p1-2+deb12u1', '1:9.2p1-2+deb12u2'],
      severity: 'high'
    },
    {
      distro: 'debian',
      release: '13',
      packageName: 'openssh',
      nameKind: 'source',
      ranges: [open(null, '1:9.7p1-7')],
      versions: [],
      severity: null
    }
  ]
}

const UBUNTU: FeedAdvisory = {
  id: 'UBUNTU-CVE-2023-4911',
  cveIds: ['CVE-2023-4911'],
  summary: 'Looney Tunables: local privilege escalation in the glibc ld.so',
  severity: 'high',
  cvssScore: 7.8,
  cvssVector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H',
  published: '2023-10-03T18:15:00Z',
  modified: '2024-02-01T12:00:00Z',
  feed: 'osv',
  affected: [
    {
      distro: 'ubuntu',
      release: '22.04',
      packageName: 'glibc',
      nameKind: 'source',
      ranges: [open(null, '2.35-0ubuntu3.4')],
      versions: ['2.35-0ubuntu3', '2.35-0ubuntu3.1'],
      severity: null
    },
    {
      distro: 'ubuntu',
      release: '18.04',
      packageName: 'glibc',
      nameKind: 'source',
      ranges: [open(null, '2.27-3ubuntu1.6+esm1')],
      versions: [],
      severity: null
    },
    {
      distro: 'ubuntu',
      release: '23.10',
      packageName: 'glibc',
      nameKind: 'source',
      ranges: [open(null, null)],
      versions: [],
      severity: null
    }
  ]
}

const ALPINE: FeedAdvisory = {
  id: 'ALPINE-CVE-2023-5678',
  cveIds: ['CVE-2023-5678'],
  summary: 'Generating excessively long X9.42 DH keys can be very slow.',
  severity: 'unknown',
  cvssScore: null,
  cvssVector: null,
  published: null,
  modified: '2024-03-01T00:00:00Z',
  feed: 'osv',
  affected: [
    {
      distro: 'alpine',
      release: '3.19',
      packageName: 'openssl',
      nameKind: 'source',
      ranges: [open(null, '3.1.4-r1')],
      versions: [],
      severity: null
    }
  ]
}

const ALMA: FeedAdvisory = {
  id: 'ALSA-2024:0627',
  cveIds: ['CVE-2023-4408', 'CVE-2023-5517'],
  summary: 'Important: bind security update',
  severity: 'high',
  cvssScore: null,
  cvssVector: null,
  published: '2024-02-01T00:00:00Z',
  modified: '2024-02-05T10:00:00Z',
  feed: 'osv',
  affected: [
    {
      distro: 'rhel',
      release: '9',
      packageName: 'bind',
      nameKind: 'source',
      ranges: [open(null, '32:9.16.23-14.el9_3.4')],
      versions: [],
      severity: null
    }
  ]
}

const RED_HAT: FeedAdvisory = {
  id: 'RHSA-2024:1234',
  cveIds: ['CVE-2024-0001'],
  summary: 'Moderate: curl security update',
  severity: 'medium',
  cvssScore: 6.1,
  cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N',
  published: '2024-03-11T00:00:00Z',
  modified: '2024-03-12T00:00:00Z',
  feed: 'osv',
  affected: [
    {
      distro: 'rhel',
      release: '9',
      packageName: 'curl',
      nameKind: 'binary',
      ranges: [open(null, '0:7.76.1-29.el9_4')],
      versions: [],
      severity: null
    }
  ]
}

const SUSE: FeedAdvisory = {
  id: 'SUSE-SU-2024:0001-1',
  cveIds: ['CVE-2023-7104'],
  summary: 'Security update for sqlite3',
  severity: 'critical',
  cvssScore: 9.3,
  cvssVector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
  published: '2024-01-02T00:00:00Z',
  modified: '2024-01-02T00:00:00Z',
  feed: 'osv',
  affected: [
    {
      distro: 'opensuse',
      release: '15.5',
      packageName: 'sqlite3',
      nameKind: 'source',
      ranges: [open(null, '3.44.0-150000.3.23.1')],
      versions: [],
      severity: null
    }
  ]
}

const ENTRIES = [DEBIAN_ENTRY, UBUNTU_ENTRY, ALPINE_ENTRY, ALMA_ENTRY, RED_HAT_ENTRY, SUSE_ENTRY, NPM_ENTRY, WITHDRAWN_ENTRY]
const EXPECTED = [DEBIAN, UBUNTU, ALPINE, ALMA, RED_HAT, SUSE]
const EXPECTED_IGNORED = { 'Ubuntu:Pro:FIPS-updates:22.04:LTS': 1, 'Alpine:edge': 1, 'Red Hat:rhel_eus:9.2::baseos': 1, npm: 1 }

const zipEntries = (): [string, string][] => ENTRIES.map((entry) => [`${entry.id}.json`, JSON.stringify(entry, null, 2)])

t.test('an OSV all.zip is read entry by entry into normalised advisories, with unserved ecosystems counted', async (t) => {
  const path = join(feedFolder(t), 'all.zip')
  await writeZip(path, zipEntries())
  const reader = await openFeed(path)
  t.equal(reader.format, 'osv')
  t.strictSame(
    await allRecords(reader),
    EXPECTED.map((advisory) => ({ kind: 'advisory', advisory }))
  )
  t.strictSame(reader.stats, { skippedCount: 0, skippedEntries: [], ignoredEcosystems: EXPECTED_IGNORED, withdrawn: 1 })
})

t.test('the same zip gzip-compressed, a JSON array, its gzip, and single entries give the same advisories', async (t) => {
  const dir = feedFolder(t)
  const zipPath = join(dir, 'all.zip')
  await writeZip(zipPath, zipEntries())
  const { readFileSync } = await import('node:fs')
  const array = JSON.stringify(ENTRIES)
  const files = [
    writeGzip(join(dir, 'all.zip.gz'), readFileSync(zipPath)),
    writeText(join(dir, 'entries.json'), array),
    writeGzip(join(dir, 'entries.json.gz'), array)
  ]
  for (const file of files) {
    const reader = await openFeed(file)
    t.strictSame(
      await allRecords(reader),
      EXPECTED.map((advisory) => ({ kind: 'advisory', advisory })),
      file
    )
    t.strictSame(reader.stats.ignoredEcosystems, EXPECTED_IGNORED, file)
    t.equal(reader.stats.withdrawn, 1, file)
  }
  // The name does not decide the format: a single entry saved as ".txt", another gzip-compressed.
  const single = await openFeed(writeText(join(dir, 'advisory.txt'), `\uFEFF\n  ${JSON.stringify(DEBIAN_ENTRY)}`))
  t.strictSame(await allRecords(single), [{ kind: 'advisory', advisory: DEBIAN }])
  const singleGz = await openFeed(writeGzip(join(dir, 'ubuntu'), JSON.stringify(UBUNTU_ENTRY)))
  t.strictSame(await allRecords(singleGz), [{ kind: 'advisory', advisory: UBUNTU }])
})

t.test('ranges: several introduced/fixed pairs, last_affected, versions only, non-ECOSYSTEM ranges ignored', async (t) => {
  const entry = {
    id: 'DEBIAN-CVE-2021-0002',
    modified: '2024-01-01T00:00:00Z',
    summary: 'x'.repeat(600),
    affected: [
      {
        package: { ecosystem: 'Debian:11', name: 'linux' },
        ranges: [
          { type: 'GIT', repo: 'https://example.invalid/linux.git', events: [{ introduced: 'abc' }, { fixed: 'def' }] },
          {
            type: 'ECOSYSTEM',
            events: [{ introduced: '5.10.1-1' }, { fixed: '5.10.2-1' }, { introduced: '5.10.5-1' }, { last_affected: '5.10.9-1' }]
          }
        ]
      },
      { package: { ecosystem: 'Debian:12', name: 'linux' }, versions: ['6.1.1-1'] },
      { package: { ecosystem: 'Debian:10', name: 'linux' }, ranges: [{ type: 'GIT', events: [{ introduced: '0' }] }] }
    ]
  }
  const reader = await openFeed(writeText(join(feedFolder(t), 'entry.json'), JSON.stringify(entry)))
  const [record] = await allRecords(reader)
  t.ok(record && record.kind === 'advisory')
  if (!record || record.kind !== 'advisory') return
  t.equal(record.advisory.summary?.length, 500, 'the summary is cut to 500 characters')
  t.ok(record.advisory.summary?.endsWith('…'))
  t.strictSame(
    record.advisory.affected.map((a) => [a.release, a.ranges, a.versions]),
    [
      [
        '11',
        [
          { introduced: '5.10.1-1', fixed: '5.10.2-1', lastAffected: null },
          { introduced: '5.10.5-1', fixed: null, lastAffected: '5.10.9-1' }
        ],
        []
      ],
      ['12', [], ['6.1.1-1']]
    ],
    'an entry with neither ECOSYSTEM ranges nor versions (Debian:10 here) says nothing we can match and is left out'
  )
})
