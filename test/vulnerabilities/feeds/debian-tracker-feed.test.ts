// issue 20: the Debian security tracker JSON, streamed into one advisory per (source package, CVE).
import t from 'tap'
import { join } from 'node:path'
import { openFeed } from '../../../src/vulnerabilities/feeds/open-feed.js'
import { allRecords, feedFolder, writeGzip, writeText } from './feed-files.js'

const TRACKER = {
  openssl: {
    'CVE-2024-5535': {
      description:
        'Issue summary: Calling the OpenSSL API function SSL_select_next_proto with an empty supported client protocols buffer may cause a crash or memory contents to be sent to the peer.',
      scope: 'remote',
      debianbug: 1074487,
      releases: {
        bookworm: {
          status: 'resolved',
          repositories: { bookworm: '3.0.15-1~deb12u1', 'bookworm-security': '3.0.14-1~deb12u2' },
          fixed_version: '3.0.14-1~deb12u2',
          urgency: 'not yet assigned'
        },
        bullseye: {
          status: 'resolved',
          repositories: { bullseye: '1.1.1w-0+deb11u1' },
          fixed_version: '1.1.1w-0+deb11u2',
          urgency: 'low**'
        },
        trixie: { status: 'resolved', repositories: { trixie: '3.3.2-1' }, fixed_version: '3.3.1-6', urgency: 'not yet assigned' },
        sid: { status: 'resolved', repositories: { sid: '3.3.2-1' }, fixed_version: '3.3.1-6', urgency: 'not yet assigned' }
      }
    },
    'TEMP-0000000-1A2B3C': {
      description: 'a temporary entry',
      releases: { bookworm: { status: 'undetermined', repositories: { bookworm: '3.0.15-1~deb12u1' }, urgency: 'unimportant' } }
    }
  },
  'linux-5.10': {
    'CVE-2024-5535': {
      description: 'not really the same CVE, but two packages may share one',
      releases: {
        bullseye: { status: 'open', repositories: { bullseye: '5.10.223-1' }, urgency: 'high', nodsa: 'Minor issue' },
        bookworm: { status: 'resolved', repositories: { bookworm: '5.10.223-1' }, fixed_version: '0', urgency: 'unimportant' }
      }
    },
    'CVE-2020-0001': {
      description: 'fixed everywhere before the packages existed',
      releases: { bookworm: { status: 'resolved', fixed_version: '0', urgency: 'unimportant' } }
    },
    'CVE-2021-0002': 'not an object'
  },
  zlib: {}
}

const EXPECTED = [
  {
    id: 'CVE-2024-5535',
    cveIds: ['CVE-2024-5535'],
    summary:
      'Issue summary: Calling the OpenSSL API function SSL_select_next_proto with an empty supported client protocols buffer may cause a crash or memory contents to be sent to the peer.',
    severity: 'low',
    cvssScore: null,
    cvssVector: null,
    published: null,
    modified: null,
    feed: 'debian-tracker',
    affected: [
      {
        distro: 'debian',
        release: '12',
        packageName: 'openssl',
        nameKind: 'source',
        ranges: [{ introduced: null, fixed: '3.0.14-1~deb12u2', lastAffected: null }],
        versions: [],
        severity: null
      },
      {
        distro: 'debian',
        release: '11',
        packageName: 'openssl',
        nameKind: 'source',
        ranges: [{ introduced: null, fixed: '1.1.1w-0+deb11u2', lastAffected: null }],
        versions: [],
        severity: 'low'
      },
      {
        distro: 'debian',
        release: '13',
        packageName: 'openssl',
        nameKind: 'source',
        ranges: [{ introduced: null, fixed: '3.3.1-6', lastAffected: null }],
        versions: [],
        severity: null
      }
    ]
  },
  {
    id: 'TEMP-0000000-1A2B3C',
    cveIds: [],
    summary: 'a temporary entry',
    severity: 'low',
    cvssScore: null,
    cvssVector: null,
    published: null,
    modified: null,
    feed: 'debian-tracker',
    affected: [
      {
        distro: 'debian',
        release: '12',
        packageName: 'openssl',
        nameKind: 'source',
        ranges: [{ introduced: null, fixed: null, lastAffected: null }],
        versions: [],
        severity: 'low'
      }
    ]
  },
  {
    id: 'CVE-2024-5535',
    cveIds: ['CVE-2024-5535'],
    summary: 'not really the same CVE, but two packages may share one',
    severity: 'high',
    cvssScore: null,
    cvssVector: null,
    published: null,
    modified: null,
    feed: 'debian-tracker',
    affected: [
      {
        distro: 'debian',
        release: '11',
        packageName: 'linux-5.10',
        nameKind: 'source',
        ranges: [{ introduced: null, fixed: null, lastAffected: null }],
        versions: [],
        severity: 'high'
      }
    ]
  }
]

t.test('the tracker JSON gives one advisory per (package, CVE) with an entry per served release', async (t) => {
  const dir = feedFolder(t)
  const text = JSON.stringify(TRACKER, null, 1)
  for (const file of [writeText(join(dir, 'json'), text), writeGzip(join(dir, 'json.gz'), text)]) {
    const reader = await openFeed(file)
    t.equal(reader.format, 'debian-tracker')
    t.strictSame(
      (await allRecords(reader)).map((r) => (r.kind === 'advisory' ? r.advisory : r)),
      EXPECTED,
      'resolved -> fixed, fixed_version 0 -> no entry, open and undetermined -> no fix, sid skipped'
    )
    t.strictSame(reader.stats.ignoredEcosystems, { 'debian-tracker:sid': 1 })
    t.equal(reader.stats.skippedCount, 1)
    t.match(reader.stats.skippedEntries[0], {
      entry: 'linux-5.10/CVE-2021-0002',
      reason: /does not have the shape of the Debian security tracker JSON/
    })
  }
})

t.test('a tracker file whose package level is not an object, or that is cut short, is an error naming the file', async (t) => {
  const dir = feedFolder(t)
  const badPackage = writeText(join(dir, 'bad-package.json'), '{"openssl": {"CVE-2024-1111": {"releases": {}}}, "zlib": [1]}')
  await t.rejects(allRecords(await openFeed(badPackage)), {
    name: 'FeedFormatError',
    message: `${badPackage} does not have the shape of the Debian security tracker JSON: the value of package "zlib" is not an object`
  })
  const full = JSON.stringify(TRACKER)
  const cut = writeText(join(dir, 'cut.json'), full.slice(0, full.length - 40))
  await t.rejects(allRecords(await openFeed(cut)), { name: 'FeedFormatError', message: new RegExp(`^${cut} is not valid JSON: `) })
})
