// issue 20: CISA's Known Exploited Vulnerabilities catalogue, as JSON and as CSV (and gzip of either).
import t from 'tap'
import { join } from 'node:path'
import { stringify } from 'csv-stringify/sync'
import { openFeed } from '../../../src/vulnerabilities/feeds/open-feed.js'
import { allRecords, feedFolder, writeGzip, writeText } from './feed-files.js'

const ROWS = [
  {
    cveID: 'CVE-2024-3400',
    vendorProject: 'Palo Alto Networks',
    product: 'PAN-OS',
    vulnerabilityName: 'Palo Alto Networks PAN-OS Command Injection Vulnerability',
    dateAdded: '2024-04-12',
    shortDescription: 'Palo Alto Networks PAN-OS GlobalProtect feature contains a command injection vulnerability, "quoted", with a comma.',
    requiredAction: 'Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.',
    dueDate: '2024-04-19',
    knownRansomwareCampaignUse: 'Unknown',
    notes: 'https://security.paloaltonetworks.com/CVE-2024-3400; https://nvd.nist.gov/vuln/detail/CVE-2024-3400',
    cwes: ['CWE-77']
  },
  {
    cveID: 'CVE-2023-4966',
    vendorProject: 'Citrix',
    product: 'NetScaler ADC and NetScaler Gateway',
    vulnerabilityName: 'Citrix NetScaler ADC and NetScaler Gateway Buffer Overflow Vulnerability',
    dateAdded: '2023-10-18',
    shortDescription: 'Citrix NetScaler ADC and NetScaler Gateway contain a buffer overflow vulnerability.',
    requiredAction: 'Apply mitigations per vendor instructions.',
    dueDate: '2023-11-08',
    knownRansomwareCampaignUse: 'Known',
    notes: '',
    cwes: ['CWE-119']
  },
  {
    cveID: 'not-a-cve',
    vendorProject: 'X',
    product: 'Y',
    vulnerabilityName: 'Z',
    dateAdded: '2024-01-01',
    dueDate: '2024-01-22',
    knownRansomwareCampaignUse: 'Unknown'
  },
  {
    cveID: 'CVE-2021-44228',
    vendorProject: 'Apache',
    product: 'Log4j2',
    vulnerabilityName: '',
    dateAdded: '2021-12-10',
    dueDate: '',
    knownRansomwareCampaignUse: ''
  }
]

const EXPECTED = [
  {
    cveId: 'CVE-2024-3400',
    vendor: 'Palo Alto Networks',
    product: 'PAN-OS',
    name: 'Palo Alto Networks PAN-OS Command Injection Vulnerability',
    dateAdded: '2024-04-12',
    dueDate: '2024-04-19',
    knownRansomwareUse: false
  },
  {
    cveId: 'CVE-2023-4966',
    vendor: 'Citrix',
    product: 'NetScaler ADC and NetScaler Gateway',
    name: 'Citrix NetScaler ADC and NetScaler Gateway Buffer Overflow Vulnerability',
    dateAdded: '2023-10-18',
    dueDate: '2023-11-08',
    knownRansomwareUse: true
  },
  {
    cveId: 'CVE-2021-44228',
    vendor: 'Apache',
    product: 'Log4j2',
    name: null,
    dateAdded: '2021-12-10',
    dueDate: null,
    knownRansomwareUse: null
  }
]

const catalogueJson = () =>
  JSON.stringify(
    {
      title: 'CISA Catalog of Known Exploited Vulnerabilities',
      catalogVersion: '2024.04.12',
      dateReleased: '2024-04-12T17:00:00.0000Z',
      count: ROWS.length,
      vulnerabilities: ROWS
    },
    null,
    2
  )

const COLUMNS = [
  'cveID',
  'vendorProject',
  'product',
  'vulnerabilityName',
  'dateAdded',
  'shortDescription',
  'requiredAction',
  'dueDate',
  'knownRansomwareCampaignUse',
  'notes',
  'cwes'
]
const catalogueCsv = () =>
  '\uFEFF' +
  stringify(
    ROWS.map((row) => ({ ...row, cwes: row.cwes?.join(', ') ?? '' })),
    { header: true, columns: COLUMNS, record_delimiter: 'windows' }
  )

t.test('the KEV catalogue reads the same from JSON, CSV and their gzip, with a bad row skipped and named', async (t) => {
  const dir = feedFolder(t)
  const files = {
    json: writeText(join(dir, 'known_exploited_vulnerabilities.json'), catalogueJson()),
    csv: writeText(join(dir, 'known_exploited_vulnerabilities.csv'), catalogueCsv()),
    jsonGz: writeGzip(join(dir, 'kev-json.gz'), catalogueJson()),
    csvGz: writeGzip(join(dir, 'kev-csv.gz'), catalogueCsv())
  }
  for (const [kind, file] of Object.entries(files)) {
    const reader = await openFeed(file)
    t.equal(reader.format, 'cisa-kev', kind)
    t.strictSame(
      await allRecords(reader),
      EXPECTED.map((entry) => ({ kind: 'known-exploited', entry })),
      kind
    )
    t.equal(reader.stats.skippedCount, 1, kind)
    const where = kind.startsWith('json') ? 'vulnerabilities[2]' : 'line 4'
    t.strictSame(
      reader.stats.skippedEntries,
      [{ entry: where, reason: `${file} does not have the shape of the CISA KEV catalogue: ${where}: cveID "not-a-cve" is not a CVE id` }],
      kind
    )
  }
})

t.test('a KEV JSON without its vulnerabilities list, and a CSV with a broken row, are errors naming the file', async (t) => {
  const dir = feedFolder(t)
  const noList = writeText(join(dir, 'kev.json'), JSON.stringify({ title: 'x', catalogVersion: '1', count: 0 }))
  await t.rejects(allRecords(await openFeed(noList)), {
    name: 'FeedFormatError',
    message: `${noList} does not have the shape of the CISA KEV catalogue: it has no "vulnerabilities" list`
  })
  const brokenCsv = writeText(
    join(dir, 'kev.csv'),
    'cveID,vendorProject,product,dateAdded\nCVE-2024-0001,a,b,2024-01-01\nCVE-2024-0002,a,"b\n'
  )
  await t.rejects(allRecords(await openFeed(brokenCsv)), {
    name: 'FeedFormatError',
    message: new RegExp(`^${brokenCsv} does not have the shape of the CISA KEV catalogue: `)
  })
})
