// A large synthetic OSV Debian all.zip, shaped like the real one (DEBIAN-CVE-* entries for Debian 11, 12 and
// 13 with ranges, versions lists, urgencies and a paragraph of details), for the memory test and the bench.
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { Readable } from 'node:stream'
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

const syntheticCveId = (index: number) => `CVE-${2000 + (index % 25)}-${String(10000 + index).padStart(5, '0')}`

export function syntheticDebianEntry(index: number): object {
  const cve = syntheticCveId(index)
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

/**
 * Writes `count` synthetic entries to `path`. Each entry's JSON is made only when yazl reaches it
 * (addReadStreamLazy), so the writer holds one entry at a time too; addBuffer would deflate and hold them all.
 */
export async function writeSyntheticDebianZip(path: string, count: number): Promise<void> {
  const zip = new ZipFile()
  const file = createWriteStream(path)
  zip.outputStream.pipe(file)
  const closed = once(file, 'close')
  for (let index = 0; index < count; index++) {
    const id = `DEBIAN-${syntheticCveId(index)}`
    zip.addReadStreamLazy(`${id}.json`, (cb) =>
      cb(null, Readable.from([Buffer.from(JSON.stringify(syntheticDebianEntry(index), null, 2))]))
    )
  }
  zip.end()
  await closed
}
