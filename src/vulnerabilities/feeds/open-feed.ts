// The one way into the feed readers: open a file, tell its format from its content, and hand back a reader
// that streams normalised records (src/vulnerabilities/feed-advisory.ts). No database and no network here.
import type { FeedFormat, FeedReader, FeedRecord } from '../feed-advisory.js'
import { detectFormat, type DetectedFormat } from './detect-format.js'
import { FeedFormatError } from './feed-format-error.js'
import { isGzip, readContentHead, readRawHead, type FeedSource } from './feed-source.js'
import { debianTrackerRecords } from './debian-tracker-reader.js'
import { kevCsvRecords, kevJsonRecords } from './kev-reader.js'
import { osvArrayRecords, osvSingleRecords } from './osv-json-reader.js'
import { checkZip, osvZipRecords } from './osv-zip-reader.js'
import { emptyStats } from './read-stats.js'

export { FeedFormatError } from './feed-format-error.js'

export interface OpenFeedOptions {
  /** The name errors and skipped entries use (an upload's original file name); the path by default. */
  name?: string
}

const FORMAT_OF: Record<DetectedFormat, FeedFormat> = {
  'osv-zip': 'osv',
  'osv-json': 'osv',
  'osv-array': 'osv',
  'debian-tracker': 'debian-tracker',
  'kev-json': 'cisa-kev',
  'kev-csv': 'cisa-kev'
}

/**
 * Opens a feed file, detecting its format from the content (not the name); throws FeedFormatError naming the
 * file and why. Content that turns out broken part-way (JSON cut short, a damaged gzip stream) makes the
 * iteration of `records` throw FeedFormatError; an invalid entry inside a valid feed is skipped and listed in
 * `stats` instead.
 */
export async function openFeed(path: string, options: OpenFeedOptions = {}): Promise<FeedReader> {
  const name = options.name ?? path
  const source: FeedSource = { path, name, gzip: isGzip(await readRawHead(path, name, 2)) }
  const detection = detectFormat(await readContentHead(source))
  if ('unknown' in detection) throw new FeedFormatError('unknownFormat', name, detection.unknown)
  // A zip stored as is can be checked now; a gzip-compressed one only once it is unpacked, on the first read.
  if (detection.format === 'osv-zip' && !source.gzip) await checkZip(source)
  const stats = emptyStats()
  const records = (): AsyncIterable<FeedRecord> => {
    switch (detection.format) {
      case 'osv-zip':
        return osvZipRecords(source, stats)
      case 'osv-json':
        return osvSingleRecords(source, stats)
      case 'osv-array':
        return osvArrayRecords(source, stats)
      case 'debian-tracker':
        return debianTrackerRecords(source, stats)
      case 'kev-json':
        return kevJsonRecords(source, stats)
      case 'kev-csv':
        return kevCsvRecords(source, stats)
    }
  }
  return { format: FORMAT_OF[detection.format], stats, records: records() }
}
