// OSV per-ecosystem dumps: `<Ecosystem>/all.zip` from the OSV bucket, a zip holding one `<ID>.json` per
// advisory. Read with yauzl (maintained, no native code, bundles into the single executable): it reads the
// zip's central directory and then opens ONE entry's inflated stream at a time on request (lazyEntries), so the
// reader holds the entry list's cursor and one advisory's JSON, never the archive. A zip whose central
// directory cannot be found or read (truncated, damaged, not a zip) is a FeedFormatError; an entry that does
// not inflate, is not JSON or is not OSV is skipped and named in the stats (the importer reports those).
// A gzip-compressed zip is first gunzipped to a temporary file, since a zip needs random access.
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGunzip, inflateRawSync } from 'node:zlib'
import * as yauzl from 'yauzl'
import type { FeedReadStats, FeedRecord } from '../feed-advisory.js'
import { FeedFormatError, reasonOf } from './feed-format-error.js'
import type { FeedSource } from './feed-source.js'
import { advisoryFromOsv, NotOsvEntry } from './osv-entry.js'
import { countIgnoredEcosystems, recordSkipped } from './read-stats.js'

/** An entry larger than this is skipped rather than read into memory (real OSV entries are kilobytes). */
export const MAX_OSV_ENTRY_BYTES = 32 * 1024 * 1024

/**
 * The entry's bytes, inflated in one call: entries are small (capped at MAX_OSV_ENTRY_BYTES), and one
 * inflateRawSync costs far less than an inflate stream per entry, which dominated the reading time.
 */
async function readEntryText(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string> {
  if (entry.isEncrypted()) throw new Error('it is encrypted')
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)
    throw new Error(`compression method ${entry.compressionMethod} is not supported`)
  const stream = await zip.openReadStreamPromise(entry, { decodeFileData: false })
  const chunks: Buffer[] = []
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk)
  const stored = Buffer.concat(chunks)
  const data = entry.compressionMethod === 8 ? inflateRawSync(stored, { maxOutputLength: MAX_OSV_ENTRY_BYTES }) : stored
  if (data.length !== entry.uncompressedSize)
    throw new Error(`it holds ${data.length} bytes, not the ${entry.uncompressedSize} its header says`)
  return data.toString('utf8')
}

async function gunzipToTemp(source: FeedSource): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'patchmon-feed-'))
  const path = join(dir, 'feed.zip')
  const cleanup = () => rm(dir, { recursive: true, force: true })
  try {
    await pipeline(createReadStream(source.path), createGunzip(), createWriteStream(path))
  } catch (err) {
    await cleanup()
    throw new FeedFormatError('badGzip', source.name, reasonOf(err))
  }
  return { path, cleanup }
}

/**
 * Opens the zip's central directory and closes it again, so that a truncated or damaged archive is refused
 * when the feed is opened rather than on the first read. Costs one read of the end record.
 */
export async function checkZip(source: FeedSource): Promise<void> {
  try {
    const zip = await yauzl.openPromise(source.path, { lazyEntries: true, autoClose: false })
    zip.close()
  } catch (err) {
    throw new FeedFormatError('badZip', source.name, reasonOf(err))
  }
}

export async function* osvZipRecords(source: FeedSource, stats: FeedReadStats): AsyncGenerator<FeedRecord> {
  const unpacked = source.gzip ? await gunzipToTemp(source) : null
  let zip: yauzl.ZipFile | undefined
  try {
    try {
      zip = await yauzl.openPromise(unpacked?.path ?? source.path, { lazyEntries: true, autoClose: true, validateEntrySizes: true })
    } catch (err) {
      throw new FeedFormatError('badZip', source.name, reasonOf(err))
    }
    const entries = zip.eachEntry()
    for (;;) {
      let next: IteratorResult<yauzl.Entry>
      try {
        next = await entries.next()
      } catch (err) {
        throw new FeedFormatError('badZip', source.name, reasonOf(err))
      }
      if (next.done) break
      const entry = next.value
      const record = await recordOfEntry(zip, entry, source, stats)
      if (record) yield record
    }
  } finally {
    if (zip?.isOpen) zip.close()
    await unpacked?.cleanup()
  }
}

async function recordOfEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, source: FeedSource, stats: FeedReadStats): Promise<FeedRecord | null> {
  const name = entry.fileName
  if (name.endsWith('/')) return null
  if (!name.toLowerCase().endsWith('.json')) {
    recordSkipped(stats, name, 'not a .json file')
    return null
  }
  if (entry.uncompressedSize > MAX_OSV_ENTRY_BYTES) {
    recordSkipped(stats, name, `larger than ${MAX_OSV_ENTRY_BYTES / 1024 / 1024} MiB`)
    return null
  }
  let text: string
  try {
    text = await readEntryText(zip, entry)
  } catch (err) {
    recordSkipped(stats, name, `cannot be unpacked: ${reasonOf(err)}`)
    return null
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (err) {
    recordSkipped(stats, name, new FeedFormatError('badJson', `${source.name}: ${name}`, reasonOf(err)).message)
    return null
  }
  try {
    const mapped = advisoryFromOsv(parsed)
    countIgnoredEcosystems(stats, mapped.ignoredEcosystems)
    if (mapped.withdrawn) stats.withdrawn++
    return mapped.advisory ? { kind: 'advisory', advisory: mapped.advisory } : null
  } catch (err) {
    if (!(err instanceof NotOsvEntry)) throw err
    recordSkipped(stats, name, new FeedFormatError('notOsv', source.name, err.message, name).message)
    return null
  }
}
