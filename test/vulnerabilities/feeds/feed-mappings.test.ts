// issue 20: the tables the readers map through — OSV ecosystems to (distro, release), CVSS vectors to base
// scores (published vector -> score pairs), severity words and score bands.
import t from 'tap'
import { cvssBaseScore } from '../../../src/vulnerabilities/feeds/cvss-score.js'
import { servedEcosystem } from '../../../src/vulnerabilities/feeds/osv-ecosystems.js'
import { severityFromScore, severityFromWord } from '../../../src/vulnerabilities/feeds/severity.js'

t.test('OSV ecosystems map to the distro and release hosts report, or to nothing', async (t) => {
  const table: [string, ReturnType<typeof servedEcosystem>][] = [
    ['Debian:12', { distro: 'debian', release: '12', nameKind: 'source', pro: false }],
    ['Debian:11', { distro: 'debian', release: '11', nameKind: 'source', pro: false }],
    ['Ubuntu:22.04:LTS', { distro: 'ubuntu', release: '22.04', nameKind: 'source', pro: false }],
    ['Ubuntu:24.10', { distro: 'ubuntu', release: '24.10', nameKind: 'source', pro: false }],
    ['Ubuntu:Pro:18.04:LTS', { distro: 'ubuntu', release: '18.04', nameKind: 'source', pro: true }],
    ['Alpine:v3.19', { distro: 'alpine', release: '3.19', nameKind: 'source', pro: false }],
    ['Alpine:v3.20', { distro: 'alpine', release: '3.20', nameKind: 'source', pro: false }],
    ['Rocky Linux:9', { distro: 'rhel', release: '9', nameKind: 'source', pro: false }],
    ['Rocky Linux:8', { distro: 'rhel', release: '8', nameKind: 'source', pro: false }],
    ['AlmaLinux:9', { distro: 'rhel', release: '9', nameKind: 'source', pro: false }],
    ['AlmaLinux:8', { distro: 'rhel', release: '8', nameKind: 'source', pro: false }],
    ['Red Hat:enterprise_linux:9::appstream', { distro: 'rhel', release: '9', nameKind: 'binary', pro: false }],
    ['Red Hat:enterprise_linux:8::baseos', { distro: 'rhel', release: '8', nameKind: 'binary', pro: false }],
    ['Red Hat:enterprise_linux:9', { distro: 'rhel', release: '9', nameKind: 'binary', pro: false }],
    ['openSUSE:Leap 15.5', { distro: 'opensuse', release: '15.5', nameKind: 'source', pro: false }],
    ['openSUSE:Leap Micro 5.5', { distro: 'opensuse', release: '5.5', nameKind: 'source', pro: false }],
    ['openSUSE:Tumbleweed', { distro: 'opensuse', release: null, nameKind: 'source', pro: false }],
    ['SUSE:Linux Enterprise Server 15 SP5', { distro: 'opensuse', release: '15.5', nameKind: 'source', pro: false }],
    ['SUSE:Linux Enterprise Server 12 SP5', { distro: 'opensuse', release: '12.5', nameKind: 'source', pro: false }],
    ['SUSE:Linux Enterprise Module for Basesystem 15 SP6', { distro: 'opensuse', release: '15.6', nameKind: 'source', pro: false }],
    ['SUSE:Linux Enterprise Server 15', { distro: 'opensuse', release: '15', nameKind: 'source', pro: false }],
    ['SUSE:Linux Enterprise Micro 5.5', { distro: 'opensuse', release: '5.5', nameKind: 'source', pro: false }],
    ['Debian', null],
    ['Debian:sid', null],
    ['Alpine:edge', null],
    ['Ubuntu:Pro:FIPS-updates:22.04:LTS', null],
    ['Ubuntu:Pro:FIPS:20.04:LTS', null],
    ['Ubuntu:22.04:ESM', null],
    ['Red Hat', null],
    ['Red Hat:rhel_eus:9.2::baseos', null],
    ['Red Hat:rhel_aus:8.4::appstream', null],
    ['SUSE', null],
    ['openSUSE', null],
    ['npm', null],
    ['PyPI', null],
    ['Go', null],
    ['Maven:https://maven.google.com', null],
    ['Wolfi', null]
  ]
  for (const [ecosystem, expected] of table) t.strictSame(servedEcosystem(ecosystem), expected, ecosystem)
})

t.test('CVSS base scores match the published scores of their vectors', async (t) => {
  // FIRST's CVSS v3.1 examples document, NVD's scores for well-known CVEs, and FIRST's v4.0 calculator.
  const published: [string, number, string][] = [
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5, 'CVE-2014-0160 Heartbleed'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'CVE-2014-6271 Shellshock'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1, 'CVE-2013-1937 phpMyAdmin reflected XSS'],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4, 'CVE-2013-0375 MySQL stored SQL injection'],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 3.1, 'CVE-2014-3566 POODLE'],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', 9.9, 'CVE-2012-1516 VMware guest to host escape'],
    ['CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 6.8, 'CVE-2014-2005 Sophos login screen bypass'],
    ['CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 7.8, 'CVE-2009-0658 Adobe Acrobat buffer overflow'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10, 'CVE-2021-44228 Log4Shell'],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8, 'CVE-2023-4911 Looney Tunables'],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'a CVSS 3.0 vector'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O', 9.8, 'temporal metrics do not change the base score'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3, 'CVSS 4.0, network, no privileges'],
    ['CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.5, 'CVSS 4.0, local, low privileges'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 0, 'CVSS 4.0, no impact'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U', 9.3, 'threat metrics do not change the base score']
  ]
  for (const [vector, score, what] of published) t.equal(cvssBaseScore(vector), score, `${what}: ${vector}`)
})

t.test('vectors that are incomplete, repeat a metric, use an undefined value or another version score nothing', async (t) => {
  for (const vector of [
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H',
    'CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H',
    'AV:N/AC:L/Au:N/C:P/I:P/A:P',
    'CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P',
    'not a vector',
    ''
  ])
    t.equal(cvssBaseScore(vector), null, JSON.stringify(vector))
})

t.test('scores fall into the CVSS bands and severity words into our grades', async (t) => {
  t.strictSame([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(severityFromScore), [
    'low',
    'low',
    'low',
    'medium',
    'medium',
    'high',
    'high',
    'critical',
    'critical'
  ])
  const words: [unknown, string | null][] = [
    ['critical', 'critical'],
    ['Important', 'high'],
    ['HIGH', 'high'],
    ['high', 'high'],
    ['Moderate', 'medium'],
    ['medium', 'medium'],
    ['medium**', 'medium'],
    ['low', 'low'],
    ['negligible', 'low'],
    ['unimportant', 'low'],
    ['not yet assigned', null],
    ['end-of-life', null],
    ['', null],
    [3, null],
    [undefined, null]
  ]
  for (const [word, grade] of words) t.equal(severityFromWord(word), grade, String(word))
})
