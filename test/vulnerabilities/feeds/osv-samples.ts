// OSV entries in the shapes their publishers use (fields as in the OSV schema and the per-distribution
// converters: Debian's DEBIAN-CVE-*, Ubuntu's UBUNTU-CVE-*, Alpine, AlmaLinux ALSA, Red Hat RHSA, SUSE-SU),
// trimmed to what the reader looks at plus a few fields it must ignore.

export const DEBIAN_ENTRY = {
  id: 'DEBIAN-CVE-2024-6387',
  modified: '2024-07-10T08:12:44Z',
  published: '2024-07-01T13:15:06Z',
  upstream: ['CVE-2024-6387'],
  details:
    "A security regression (CVE-2006-5051) was discovered in OpenSSH's server (sshd).\n There is a race condition which can lead sshd to handle some signals in an unsafe manner.",
  affected: [
    {
      package: { ecosystem: 'Debian:12', name: 'openssh', purl: 'pkg:deb/debian/openssh?arch=source' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:9.2p1-2+deb12u3' }] }],
      ecosystem_specific: { urgency: 'high' },
      versions: ['1:9.2p1-2', '1:9.2p1-2+deb12u1', '1:9.2p1-2+deb12u2']
    },
    {
      package: { ecosystem: 'Debian:13', name: 'openssh' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:9.7p1-7' }] }],
      ecosystem_specific: { urgency: 'not yet assigned' }
    }
  ],
  schema_version: '1.7.0'
}

export const UBUNTU_ENTRY = {
  id: 'UBUNTU-CVE-2023-4911',
  modified: '2024-02-01T12:00:00Z',
  published: '2023-10-03T18:15:00Z',
  upstream: ['CVE-2023-4911'],
  summary: 'Looney Tunables: local privilege escalation in the glibc ld.so',
  details: 'A buffer overflow was discovered in the GNU C Library dynamic loader.',
  severity: [
    { type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H' },
    { type: 'Ubuntu', score: 'high' }
  ],
  affected: [
    {
      package: { ecosystem: 'Ubuntu:22.04:LTS', name: 'glibc' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.35-0ubuntu3.4' }] }],
      versions: ['2.35-0ubuntu3', '2.35-0ubuntu3.1']
    },
    {
      package: { ecosystem: 'Ubuntu:Pro:22.04:LTS', name: 'glibc' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.35-0ubuntu3.4+esm1' }] }]
    },
    {
      package: { ecosystem: 'Ubuntu:Pro:18.04:LTS', name: 'glibc' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.27-3ubuntu1.6+esm1' }] }]
    },
    {
      package: { ecosystem: 'Ubuntu:Pro:FIPS-updates:22.04:LTS', name: 'glibc' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.35-0ubuntu3.4+fips1' }] }]
    },
    {
      package: { ecosystem: 'Ubuntu:23.10', name: 'glibc' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }]
    }
  ]
}

export const ALPINE_ENTRY = {
  id: 'ALPINE-CVE-2023-5678',
  modified: '2024-03-01T00:00:00Z',
  upstream: ['CVE-2023-5678'],
  details: 'Generating excessively long X9.42 DH keys can be very slow.',
  affected: [
    {
      package: { ecosystem: 'Alpine:v3.19', name: 'openssl' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.1.4-r1' }] }]
    },
    {
      package: { ecosystem: 'Alpine:edge', name: 'openssl' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.1.4-r1' }] }]
    }
  ]
}

export const ALMA_ENTRY = {
  id: 'ALSA-2024:0627',
  modified: '2024-02-05T10:00:00Z',
  published: '2024-02-01T00:00:00Z',
  aliases: ['CVE-2023-4408', 'CVE-2023-5517'],
  summary: 'Important: bind security update',
  database_specific: { severity: 'Important' },
  affected: [
    {
      package: { ecosystem: 'AlmaLinux:9', name: 'bind' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '32:9.16.23-14.el9_3.4' }] }]
    }
  ]
}

export const RED_HAT_ENTRY = {
  id: 'RHSA-2024:1234',
  modified: '2024-03-12T00:00:00Z',
  published: '2024-03-11T00:00:00Z',
  upstream: ['CVE-2024-0001'],
  summary: 'Moderate: curl security update',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N' }],
  affected: [
    {
      package: { ecosystem: 'Red Hat:enterprise_linux:9::baseos', name: 'curl' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '0:7.76.1-29.el9_4' }] }]
    },
    {
      package: { ecosystem: 'Red Hat:enterprise_linux:9::appstream', name: 'curl' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '0:7.76.1-29.el9_4' }] }]
    },
    {
      package: { ecosystem: 'Red Hat:rhel_eus:9.2::baseos', name: 'curl' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '0:7.76.1-23.el9_2.5' }] }]
    }
  ]
}

export const SUSE_ENTRY = {
  id: 'SUSE-SU-2024:0001-1',
  modified: '2024-01-02T00:00:00Z',
  published: '2024-01-02T00:00:00Z',
  aliases: [],
  related: ['CVE-2023-7104'],
  upstream: ['CVE-2023-7104'],
  summary: 'Security update for sqlite3',
  severity: [{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }],
  affected: [
    {
      package: { ecosystem: 'SUSE:Linux Enterprise Server 15 SP5', name: 'sqlite3' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.44.0-150000.3.23.1' }] }],
      ecosystem_specific: { binaries: [{ 'libsqlite3-0': '3.44.0-150000.3.23.1' }] }
    },
    {
      package: { ecosystem: 'SUSE:Linux Enterprise Module for Basesystem 15 SP5', name: 'sqlite3' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.44.0-150000.3.23.1' }] }]
    },
    {
      package: { ecosystem: 'openSUSE:Leap 15.5', name: 'sqlite3' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.44.0-150000.3.23.1' }] }]
    }
  ]
}

export const NPM_ENTRY = {
  id: 'GHSA-xxxx-yyyy-zzzz',
  modified: '2024-01-01T00:00:00Z',
  aliases: ['CVE-2024-9999'],
  affected: [
    { package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.3.1' }] }] }
  ]
}

export const WITHDRAWN_ENTRY = {
  id: 'DEBIAN-CVE-2020-0001',
  modified: '2024-01-01T00:00:00Z',
  withdrawn: '2024-01-01T00:00:00Z',
  affected: [{ package: { ecosystem: 'Debian:12', name: 'x' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] }]
}
