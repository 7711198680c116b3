// Error messages of the vulnerability feed readers (src/vulnerabilities/feeds): part of the one table,
// ERROR_MESSAGES in error-messages.ts. A feed file that cannot be read is bad input from whoever supplied it
// (400); {file} names the file, {entry} the entry inside it, {reason} what was wrong. They are filled with
// fillMessage by FeedFormatError.
import { entry } from './error-entry.js'

export const FEEDS_ERROR_MESSAGES = {
  feeds: {
    unreadable: entry('cannot read the feed file {file}: {reason}', 400),
    unknownFormat: entry(
      '{file} is not a vulnerability feed this server reads (an OSV zip or JSON file, the Debian security tracker JSON, or the CISA KEV catalogue as JSON or CSV): {reason}',
      400
    ),
    badGzip: entry('{file} is not valid gzip data: {reason}', 400),
    badZip: entry('{file} is not a readable zip archive (truncated or damaged): {reason}', 400),
    badJson: entry('{file} is not valid JSON: {reason}', 400),
    notOsv: entry('{file}: {entry} is not an OSV entry: {reason}', 400),
    badTracker: entry('{file} does not have the shape of the Debian security tracker JSON: {reason}', 400),
    badKev: entry('{file} does not have the shape of the CISA KEV catalogue: {reason}', 400)
  }
} as const
