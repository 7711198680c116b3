// issue 20: feeds that cannot be read fail with a FeedFormatError naming the file (and the entry where there
// is one); an invalid entry inside an otherwise good feed is skipped and named in the reader's stats.
import t from 'tap'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { openFeed } from '../../../src/vulnerabilities/feeds/open-feed.js'
import { allRecords, feedFolder, writeGzip, writeText, writeZip } from './feed-files.js'
import { DEBIAN_ENTRY, UBUNTU_ENTRY } from './osv-samples.js'

const UNKNOWN = (file: string, reason: string) =>
  `${file} is not a vulnerability feed this server reads (an OSV zip or JSON file, the Debian security tracker JSON, or the CISA KEV catalogue as JSON or CSV): ${reason}`

t.test('a truncated zip is refused when opened, naming the file', async (t) => {
  const dir = feedFolder(t)
  const whole = join(dir, 'all.zip')
  await writeZip(whole, [
    ['A.json', JSON.stringify(DEBIAN_ENTRY)],
    ['B.json', JSON.stringify(UBUNTU_ENTRY)]
  ])
  const bytes = readFileSync(whole)
  const cut = join(dir, 'cut.zip')
  writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)))
  await t.rejects(openFeed(cut), {
    name: 'FeedFormatError',
    kind: 'badZip',
    message: new RegExp(`^${cut} is not a readable zip archive \\(truncated or damaged\\): `)
  })
  // Under a different name the error names what the caller calls the file (an upload's own name).
  await t.rejects(openFeed(cut, { name: 'debian-all.zip' }), { message: /^debian-all\.zip is not a readable zip archive/ })
})

t.test('inside a zip, entries that are not JSON, not OSV or not .json are skipped and named; the rest is read', async (t) => {
  const path = join(feedFolder(t), 'all.zip')
  await writeZip(path, [
    ['DEBIAN-CVE-2024-6387.json', JSON.stringify(DEBIAN_ENTRY)],
    ['broken.json', '{"id": "DEBIAN-CVE-2024-0001", "modified": '],
    ['not-osv.json', JSON.stringify({ hello: 'world' })],
    ['no-modified.json', JSON.stringify({ id: 'DEBIAN-CVE-2024-0002' })],
    ['README.txt', 'not an advisory'],
    ['UBUNTU-CVE-2023-4911.json', JSON.stringify(UBUNTU_ENTRY)]
  ])
  const reader = await openFeed(path)
  const records = await allRecords(reader)
  t.strictSame(
    records.map((r) => (r.kind === 'advisory' ? r.advisory.id : r.kind)),
    ['DEBIAN-CVE-2024-6387', 'UBUNTU-CVE-2023-4911']
  )
  t.equal(reader.stats.skippedCount, 4)
  t.match(reader.stats.skippedEntries, [
    { entry: 'broken.json', reason: new RegExp(`^${path}: broken\\.json is not valid JSON: `) },
    { entry: 'not-osv.json', reason: `${path}: not-osv.json is not an OSV entry: it has no "id"` },
    { entry: 'no-modified.json', reason: `${path}: no-modified.json is not an OSV entry: DEBIAN-CVE-2024-0002 has no "modified" date` },
    { entry: 'README.txt', reason: 'not a .json file' }
  ])
})

t.test('a zip entry whose compressed data is damaged is skipped and named; the entries after it are read', async (t) => {
  const path = join(feedFolder(t), 'all.zip')
  await writeZip(path, [
    ['A.json', JSON.stringify(DEBIAN_ENTRY)],
    ['B.json', JSON.stringify(UBUNTU_ENTRY)],
    ['C.json', JSON.stringify({ ...DEBIAN_ENTRY, id: 'DEBIAN-CVE-2024-9999' })]
  ])
  const bytes = readFileSync(path)
  // B.json's local header: 30 fixed bytes, its name, its extra field, then the deflated data to spoil.
  const header = bytes.indexOf('B.json') - 30
  t.equal(bytes.readUInt32LE(header), 0x04034b50, 'the local file header of B.json')
  const dataStart = header + 30 + bytes.readUInt16LE(header + 26) + bytes.readUInt16LE(header + 28)
  bytes.fill(0xff, dataStart, dataStart + 16)
  writeFileSync(path, bytes)
  const reader = await openFeed(path)
  t.strictSame(
    (await allRecords(reader)).map((r) => (r.kind === 'advisory' ? r.advisory.id : r.kind)),
    ['DEBIAN-CVE-2024-6387', 'DEBIAN-CVE-2024-9999']
  )
  t.match(reader.stats.skippedEntries, [{ entry: 'B.json', reason: /^cannot be unpacked: / }])
  t.equal(reader.stats.skippedCount, 1)
})

t.test('an OSV array item that is not OSV is skipped by its index; a single file that is not OSV is an error', async (t) => {
  const dir = feedFolder(t)
  const array = writeText(
    join(dir, 'entries.json'),
    JSON.stringify([DEBIAN_ENTRY, 42, { id: 'X-1', modified: '2024-01-01', affected: 'all' }])
  )
  const reader = await openFeed(array)
  t.equal((await allRecords(reader)).length, 1)
  t.strictSame(reader.stats.skippedEntries, [
    { entry: '[1]', reason: `${array}: [1] is not an OSV entry: it is not a JSON object` },
    { entry: '[2]', reason: `${array}: [2] is not an OSV entry: X-1: "affected" is not a list` }
  ])
  const single = writeText(join(dir, 'one.json'), JSON.stringify({ id: 7, modified: '2024-01-01' }))
  await t.rejects(allRecords(await openFeed(single)), {
    name: 'FeedFormatError',
    message: `${single}: the file is not an OSV entry: it has no "id"`
  })
})

t.test('invalid JSON is an error naming the file, in a single entry, in an array and gzip-compressed', async (t) => {
  const dir = feedFolder(t)
  const files = [
    writeText(join(dir, 'single.json'), '{"id": "DEBIAN-CVE-2024-1", "modified": "2024-01-01", }'),
    writeText(join(dir, 'array.json'), `[${JSON.stringify(DEBIAN_ENTRY)}, {"id": ]`),
    writeGzip(join(dir, 'array.json.gz'), `[${JSON.stringify(DEBIAN_ENTRY)}, {"id": ]`)
  ]
  for (const file of files)
    await t.rejects(
      allRecords(await openFeed(file)),
      { name: 'FeedFormatError', kind: 'badJson', message: new RegExp(`^${file} is not valid JSON: `) },
      file
    )
})

t.test('a gzip stream that is damaged or cut short is an error naming the file', async (t) => {
  const dir = feedFolder(t)
  const gz = gzipSync(JSON.stringify(Array.from({ length: 200 }, () => DEBIAN_ENTRY)))
  const cut = join(dir, 'cut.json.gz')
  writeFileSync(cut, gz.subarray(0, gz.length - 200))
  await t.rejects(allRecords(await openFeed(cut)), {
    name: 'FeedFormatError',
    kind: 'badGzip',
    message: new RegExp(`^${cut} is not valid gzip data: `)
  })
  const garbage = join(dir, 'garbage.gz')
  writeFileSync(garbage, Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.alloc(64, 0x55)]))
  await t.rejects(openFeed(garbage), { name: 'FeedFormatError', message: new RegExp(`^${garbage} `) })
})

t.test('content that is no feed we read is refused when opened, saying what it looked like', async (t) => {
  const dir = feedFolder(t)
  const cases: [string, string | Buffer, string][] = [
    ['empty', '', 'the file is empty'],
    ['binary', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01]), 'it is neither a zip archive, JSON, nor CSV with the KEV columns'],
    ['text', 'hello, world\n', 'it is neither a zip archive, JSON, nor CSV with the KEV columns'],
    ['csv', 'name,version\nopenssl,3.0\n', 'it is neither a zip archive, JSON, nor CSV with the KEV columns'],
    ['object', '{"hosts": [1, 2, 3]}', 'a JSON object that is neither an OSV entry, the Debian tracker package map nor the KEV catalogue']
  ]
  for (const [name, content, reason] of cases) {
    const path = join(dir, name)
    writeFileSync(path, content)
    await t.rejects(openFeed(path), { name: 'FeedFormatError', kind: 'unknownFormat', message: UNKNOWN(path, reason) }, name)
  }
  const gzText = writeGzip(join(dir, 'text.gz'), 'hello, world\n')
  await t.rejects(
    openFeed(gzText),
    { message: UNKNOWN(gzText, 'it is neither a zip archive, JSON, nor CSV with the KEV columns') },
    'gzip of text'
  )
  const missing = join(dir, 'missing.zip')
  await t.rejects(openFeed(missing), {
    name: 'FeedFormatError',
    kind: 'unreadable',
    message: new RegExp(`^cannot read the feed file ${missing}: ENOENT`)
  })
})
