// A large synthetic OSV Debian all.zip, shaped like the real one (DEBIAN-CVE-* entries for Debian 11, 12 and
// 13 with ranges, versions lists, urgencies and a paragraph of details), for the memory test and the bench.
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { ZipFile } from 'yazl'

const URGENCIES = ['not yet assigned', 'low', 'medium', 'high', 'unimportant']
const WORDS = [
  'buffer',
  'overflow',
  'in',
  'the',
  'parser',
  'allows',
  'remote',
  'attackers',
  'to',
  'cause',
  'a',
  'denial',
  'of',
  'service',
  'via',
  'crafted',
  'input'
]

export function syntheticDebianEntry(index: number): object {
  const year = 2000 + (index % 25)
  const cve = `CVE-${year}-${String(10000 + index).padStart(5, '0')}`
  const name = `package${index % 3000}`
  const details = Array.from({ length: 40 + (index % 120) }, (_, i) => WORDS[(index + i) % WORDS.length]).join(' ')
  const release = (major: number) => ({
    package: { ecosystem: `Debian:${major}`, name, purl: `pkg:deb/debian/${name}?arch=source` },
    ranges: [
      {
        type: 'ECOSYSTEM',
        events: [{ introduced: '0' }, ...(index % 4 === 0 ? [] : [{ fixed: `${major}.${index % 50}-${index % 7}+deb${major}u1` }])]
      }
    ],
    versions: Array.from({ length: 5 + (index % 10) }, (_, i) => `${major}.${i}-${i % 3}`),
    ecosystem_specific: { urgency: URGENCIES[index % URGENCIES.length] }
  })
  return {
    id: `DEBIAN-${cve}`,
    modified: '2024-07-10T08:12:44Z',
    published: '2024-07-01T13:15:06Z',
    upstream: [cve],
    details,
    affected: [release(11), release(12), release(13)],
    schema_version: '1.7.0'
  }
}

/** Writes `count` synthetic entries to `path`, feeding yazl as its output drains so this writer stays small too. */
export async function writeSyntheticDebianZip(path: string, count: number): Promise<void> {
  const zip = new ZipFile()
  const file = createWriteStream(path)
  zip.outputStream.pipe(file)
  const closed = once(file, 'close')
  for (let index = 0; index < count; index++) {
    const entry = syntheticDebianEntry(index) as { id: string }
    zip.addBuffer(Buffer.from(JSON.stringify(entry, null, 2)), `${entry.id}.json`)
    // Let the output catch up every thousand entries: yazl keeps an entry's bytes until they are written.
    if (index % 1000 === 999) await new Promise((resolve) => setImmediate(resolve))
  }
  zip.end()
  await closed
}
