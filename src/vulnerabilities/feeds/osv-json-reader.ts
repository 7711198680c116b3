// OSV as plain JSON: one entry in a file (what osv.dev serves for one id, and the per-id files of the OSV
// repositories), or a JSON array of entries. A single file is read whole — it is one advisory, capped at
// MAX_OSV_ENTRY_BYTES; an array is streamed with stream-json's streamArray, which assembles one item at a
// time. In an array, an item that is not OSV is skipped and named by its index ("[12]"); in a single file it
// is the file's error. JSON that does not parse is the file's error either way.
import { streamArray } from 'stream-json/streamers/stream-array.js'
import type { FeedReadStats, FeedRecord } from '../feed-advisory.js'
import { FeedFormatError, reasonOf } from './feed-format-error.js'
import { contentError, openContent, type FeedSource } from './feed-source.js'
import { advisoryFromOsv, NotOsvEntry, type OsvMapping } from './osv-entry.js'
import { MAX_OSV_ENTRY_BYTES } from './osv-zip-reader.js'
import { countIgnoredEcosystems, recordSkipped } from './read-stats.js'

function tally(stats: FeedReadStats, mapped: OsvMapping): FeedRecord | null {
  countIgnoredEcosystems(stats, mapped.ignoredEcosystems)
  if (mapped.withdrawn) stats.withdrawn++
  return mapped.advisory ? { kind: 'advisory', advisory: mapped.advisory } : null
}

export async function* osvSingleRecords(source: FeedSource, stats: FeedReadStats): AsyncGenerator<FeedRecord> {
  const chunks: Buffer[] = []
  let size = 0
  const stream = openContent(source)
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > MAX_OSV_ENTRY_BYTES)
        throw new FeedFormatError('notOsv', source.name, `larger than ${MAX_OSV_ENTRY_BYTES / 1024 / 1024} MiB`, 'the file')
      chunks.push(chunk)
    }
  } catch (err) {
    throw contentError(source, err, 'unreadable')
  } finally {
    stream.destroy()
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(
      Buffer.concat(chunks)
        .toString('utf8')
        .replace(/^\uFEFF/, '')
    )
  } catch (err) {
    throw new FeedFormatError('badJson', source.name, reasonOf(err))
  }
  let mapped: OsvMapping
  try {
    mapped = advisoryFromOsv(parsed)
  } catch (err) {
    if (err instanceof NotOsvEntry) throw new FeedFormatError('notOsv', source.name, err.message, 'the file')
    throw err
  }
  const record = tally(stats, mapped)
  if (record) yield record
}

export async function* osvArrayRecords(source: FeedSource, stats: FeedReadStats): AsyncGenerator<FeedRecord> {
  const content = openContent(source)
  const items = content.pipe(streamArray.withParserAsStream())
  // pipe() does not forward errors: a read or gunzip failure must end the item stream too.
  content.on('error', (err) => items.destroy(err))
  try {
    for await (const item of items as AsyncIterable<{ key: number; value: unknown }>) {
      let mapped: OsvMapping
      try {
        mapped = advisoryFromOsv(item.value)
      } catch (err) {
        if (!(err instanceof NotOsvEntry)) throw err
        recordSkipped(stats, `[${item.key}]`, new FeedFormatError('notOsv', source.name, err.message, `[${item.key}]`).message)
        continue
      }
      const record = tally(stats, mapped)
      if (record) yield record
    }
  } catch (err) {
    throw contentError(source, err, 'badJson')
  } finally {
    content.destroy()
    items.destroy()
  }
}
